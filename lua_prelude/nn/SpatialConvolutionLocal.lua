-- nn.SpatialConvolutionLocal(nIn, nOut, iW, iH, kW, kH[, dW=1, dH=1, padW=0,
-- padH=padW]): like nn.SpatialConvolution but with unshared weights, a
-- different nOut x nIn x kH x kW kernel at each of the oH x oW output
-- positions; the input size is fixed at construction.
local K = require 'nn.THNN_kernels'
local Local, parent = torch.class('nn.SpatialConvolutionLocal', 'nn.Module')

function Local:__init(nInputPlane, nOutputPlane, iW, iH, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH = kW, kH
   self.iW, self.iH = iW, iH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.oW = math.floor((self.padW * 2 + iW - self.kW) / self.dW) + 1
   self.oH = math.floor((self.padH * 2 + iH - self.kH) / self.dH) + 1
   assert(1 <= self.oW and 1 <= self.oH,
      'illegal configuration: output width or height less than 1')
   self.weight = torch.Tensor(self.oH, self.oW, nOutputPlane, nInputPlane, kH, kW)
   self.bias = torch.Tensor(nOutputPlane, self.oH, self.oW)
   self.gradWeight = torch.Tensor():resizeAs(self.weight)
   self.gradBias = torch.Tensor():resizeAs(self.bias)
   self:reset()
end

function Local:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW * self.kH * self.nInputPlane)
   require('nn._private').uniformParameters(self, stdv)
end

-- the kernels see the weights as (oH*oW) x nOut x (nIn*kH*kW)
local function flat(self)
   local n = self.nInputPlane * self.kH * self.kW
   self.weight = self.weight:view(self.oH * self.oW, self.nOutputPlane, n)
   if self.gradWeight and self.gradWeight:dim() > 0 then
      self.gradWeight = self.gradWeight:view(self.oH * self.oW, self.nOutputPlane, n)
   end
end

local function unflat(self)
   local shape = {self.oH, self.oW, self.nOutputPlane, self.nInputPlane, self.kH, self.kW}
   self.weight = self.weight:view(table.unpack(shape))
   if self.gradWeight and self.gradWeight:dim() > 0 then
      self.gradWeight = self.gradWeight:view(table.unpack(shape))
   end
end

local function checkInput(self, input)
   local nd = input:nDimension()
   if nd == 3 then
      if input:size(1) ~= self.nInputPlane or input:size(2) ~= self.iH or input:size(3) ~= self.iW then
         error(string.format('Given input size: (%dx%dx%d) inconsistent with expected input size: (%dx%dx%d).',
            input:size(1), input:size(2), input:size(3), self.nInputPlane, self.iH, self.iW))
      end
   elseif nd == 4 then
      if input:size(2) ~= self.nInputPlane or input:size(3) ~= self.iH or input:size(4) ~= self.iW then
         error(string.format('Given input size: (%dx%dx%dx%d) inconsistent with expected input size: (batchsize x%dx%dx%d).',
            input:size(1), input:size(2), input:size(3), input:size(4), self.nInputPlane, self.iH, self.iW))
      end
   else
      error('3D or 4D(batch mode) tensor expected')
   end
end

local function checkOutput(self, input, output)
   local nd = output:nDimension()
   if nd ~= input:nDimension() then error('inconsistent dimension between output and input.') end
   if nd == 3 then
      if output:size(1) ~= self.nOutputPlane or output:size(2) ~= self.oH or output:size(3) ~= self.oW then
         error(string.format('Given output size: (%dx%dx%d) inconsistent with expected output size: (%dx%dx%d).',
            output:size(1), output:size(2), output:size(3), self.nOutputPlane, self.oH, self.oW))
      end
   elseif nd == 4 then
      if output:size(2) ~= self.nOutputPlane or output:size(3) ~= self.oH or output:size(4) ~= self.oW then
         error(string.format('Given output size: (%dx%dx%dx%d) inconsistent with expected output size: (batchsize x%dx%dx%d).',
            output:size(1), output:size(2), output:size(3), output:size(4), self.nOutputPlane, self.oH, self.oW))
      end
   else
      error('3D or 4D(batch mode) tensor expected')
   end
end

local function geometry(self)
   return self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      self.iW, self.iH, self.oW, self.oH
end

function Local:updateOutput(input)
   self.finput = self.finput or input.new()
   self.fgradInput = self.fgradInput or input.new()
   checkInput(self, input)
   flat(self)
   local ok, err = pcall(K.SpatialConvolutionLocal_updateOutput, input, self.output,
      self.weight, self.bias, self.finput, self.fgradInput, geometry(self))
   unflat(self)
   if not ok then error(err, 0) end
   return self.output
end

function Local:updateGradInput(input, gradOutput)
   checkInput(self, input)
   checkOutput(self, input, gradOutput)
   if not self.gradInput then return end
   flat(self)
   local ok, err = pcall(K.SpatialConvolutionLocal_updateGradInput, input, gradOutput,
      self.gradInput, self.weight, self.finput, self.fgradInput, geometry(self))
   unflat(self)
   if not ok then error(err, 0) end
   return self.gradInput
end

function Local:accGradParameters(input, gradOutput, scale)
   checkInput(self, input)
   checkOutput(self, input, gradOutput)
   flat(self)
   local g = {geometry(self)}
   g[#g + 1] = scale or 1
   local ok, err = pcall(K.SpatialConvolutionLocal_accGradParameters, input, gradOutput,
      self.gradWeight, self.gradBias, self.finput, self.fgradInput, table.unpack(g))
   unflat(self)
   if not ok then error(err, 0) end
end

Local.type = nn.SpatialConvolution.type

-- nn.SpatialConvolutionLocal(3 -> 4, 7x7, 3x3[, dW,dH[, padW,padH]])
function Local:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d, %dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.iW, self.iH, self.kW, self.kH)
   local padded = (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0)
   if self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. ')'
end

Local.clearState = nn.SpatialConvolution.clearState

return Local
