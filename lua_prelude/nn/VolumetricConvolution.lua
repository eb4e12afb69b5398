-- nn.VolumetricConvolution(nIn, nOut, kT, kW, kH[, dT=1, dW=1, dH=1, padT=0,
-- padW=padT, padH=padW]): 3-D convolution of (nIn x T x H x W) volumes or a
-- batch of them; weight nOut x nIn x kT x kH x kW.
local K = require 'nn.THNN_kernels'
local Conv, parent = torch.class('nn.VolumetricConvolution', 'nn.Module')

function Conv:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   parent.__init(self)
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kT, self.kW, self.kH = kT, kW, kH
   self.dT, self.dW, self.dH = dT or 1, dW or 1, dH or 1
   self.padT = padT or 0
   self.padW = padW or self.padT
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self:reset()
end

function Conv:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3)
      or 1 / math.sqrt(self.kT * self.kW * self.kH * self.nInputPlane)
   require('nn._private').uniformParameters(self, stdv)
end

function Conv:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

-- kernel, stride, padding, dilation and THNN's flavour of the checks
function Conv:_geometry()
   return self.kT, self.kW, self.kH, self.dT, self.dW, self.dH,
      self.padT, self.padW, self.padH,
      self.dilationT or 1, self.dilationW or 1, self.dilationH or 1
end
Conv._variant = 'mm'

function Conv:updateOutput(input)
   self.finput = self.finput or input.new()
   self.fgradInput = self.fgradInput or input.new()
   local g = {self:_geometry()}
   g[#g + 1] = self._variant
   K.VolumetricConvolution_updateOutput(input, self.output, self.weight, self.bias,
      table.unpack(g))
   return self.output
end

function Conv:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local g = {self:_geometry()}
   g[#g + 1] = self._variant
   K.VolumetricConvolution_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      table.unpack(g))
   return self.gradInput
end

function Conv:accGradParameters(input, gradOutput, scale)
   local g = {self:_geometry()}
   g[#g + 1] = scale or 1
   g[#g + 1] = self._variant
   K.VolumetricConvolution_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, table.unpack(g))
end

function Conv:type(type, tensorCache)
   if self.finput then self.finput:set() end
   if self.fgradInput then self.fgradInput:set() end
   return parent.type(self, type, tensorCache)
end

function Conv:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

-- nn.VolumetricConvolution(1 -> 4, 3x3x3[, dT,dW,dH[, padT,padW,padH]])
function Conv:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH)
   local padded = (self.padT or self.padW or self.padH)
      and (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0)
   if self.dT ~= 1 or self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d,%d', self.dT, self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH end
   return s .. ')'
end

return Conv
