-- nn.SpatialDepthWiseConvolution(nIn, nOut, kW, kH[, dW=1, dH=1, padW=0,
-- padH=padW]): each input plane convolved separately with nOut kernels,
-- giving nIn*nOut output planes (plane (i-1)*nOut + o).  weight is
-- nOut x (nIn*kH*kW) until the first call, which reshapes it (as THNN does)
-- to nOut x nIn x kH x kW; bias is nOut x nIn.
local K = require 'nn.THNN_kernels'
local DW, parent = torch.class('nn.SpatialDepthWiseConvolution', 'nn.Module')

function DW:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.bias = torch.Tensor(nOutputPlane, nInputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.gradBias = torch.Tensor(nOutputPlane, nInputPlane)
   self:reset()
end

function DW:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

function DW:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW * self.kH * self.nInputPlane)
   require('nn._private').uniformParameters(self, stdv)
end

local function buffers(self, input)
   K.check(input)
   self.finput = self.finput or input.new()
   self.fgradInput = self.fgradInput or input.new()
   if self.padding then
      self.padW, self.padH, self.padding = self.padding, self.padding, nil
   end
end

function DW:updateOutput(input)
   buffers(self, input)
   K.SpatialDepthWiseConvolution_updateOutput(input, self.output, self.weight, self.bias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.output
end

function DW:updateGradInput(input, gradOutput)
   K.check(input)
   if not self.gradInput then return end
   K.SpatialDepthWiseConvolution_updateGradInput(input, gradOutput, self.gradInput,
      self.weight, self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH,
      self.padW, self.padH)
   return self.gradInput
end

function DW:accGradParameters(input, gradOutput, scale)
   K.check(input)
   assert((self.bias and self.gradBias) or (self.bias == nil and self.gradBias == nil))
   K.SpatialDepthWiseConvolution_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH,
      self.padW, self.padH, scale or 1)
end

DW.type = nn.SpatialConvolution.type
DW.__tostring__ = nn.SpatialConvolution.__tostring__
DW.clearState = nn.SpatialConvolution.clearState

return DW
