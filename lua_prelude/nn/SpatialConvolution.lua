-- nn.SpatialConvolution(nIn, nOut, kW, kH[, dW=1, dH=1, padW=0, padH=padW]):
-- 2-D convolution of a (nIn x H x W) image or a batch of them; weight is
-- nOut x nIn x kH x kW.  Computed by unfolding (THNN's SpatialConvolutionMM).
local K = require 'nn.THNN_kernels'
local Conv, parent = torch.class('nn.SpatialConvolution', 'nn.Module')

function Conv:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane, kH, kW)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self:reset()
end

function Conv:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

-- U(-stdv, stdv), stdv = 1/sqrt(fan-in), weight first then bias
function Conv:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW * self.kH * self.nInputPlane)
   require('nn._private').uniformParameters(self, stdv)
end

-- models saved by older nn versions: `padding` field, 2-D weights
local function upgrade(self)
   self.finput = self.finput or self.weight.new()
   self.fgradInput = self.fgradInput or self.weight.new()
   if self.padding then
      self.padW, self.padH, self.padding = self.padding, self.padding, nil
   else
      self.padW, self.padH = self.padW or 0, self.padH or 0
   end
   local shape = {self.nOutputPlane, self.nInputPlane, self.kH, self.kW}
   if self.weight:dim() == 2 then self.weight = self.weight:view(table.unpack(shape)) end
   if self.gradWeight and self.gradWeight:dim() == 2 then
      self.gradWeight = self.gradWeight:view(table.unpack(shape))
   end
end

function Conv:updateOutput(input)
   upgrade(self)
   K.SpatialConvolutionMM_updateOutput(input, self.output, self.weight, self.bias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.output
end

function Conv:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   upgrade(self)
   K.SpatialConvolutionMM_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.gradInput
end

function Conv:accGradParameters(input, gradOutput, scale)
   upgrade(self)
   K.SpatialConvolutionMM_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      scale or 1)
end

function Conv:type(type, tensorCache)
   if self.finput then self.finput = torch.Tensor() end
   if self.fgradInput then self.fgradInput = torch.Tensor() end
   return parent.type(self, type, tensorCache)
end

-- nn.SpatialConvolution(3 -> 16, 5x5[, dW,dH[, padW,padH]])[ without bias]
function Conv:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   local padded = (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0)
   if self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. (self.bias and ')' or ') without bias')
end

function Conv:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

return Conv
