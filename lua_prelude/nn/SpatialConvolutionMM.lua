-- nn.SpatialConvolutionMM: nn.SpatialConvolution with the weight kept as a
-- nOut x (nIn*kH*kW) matrix (same arguments, same results).
local K = require 'nn.THNN_kernels'
local ConvMM, parent = torch.class('nn.SpatialConvolutionMM', 'nn.Module')

function ConvMM:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self:reset()
end

ConvMM.noBias = nn.SpatialConvolution.noBias
ConvMM.reset = nn.SpatialConvolution.reset
ConvMM.__tostring__ = nn.SpatialConvolution.__tostring__
ConvMM.clearState = nn.SpatialConvolution.clearState

local function buffers(self, input)
   self.finput = self.finput or input.new()
   self.fgradInput = self.fgradInput or input.new()
   if self.padding then
      self.padW, self.padH, self.padding = self.padding, self.padding, nil
   end
end

function ConvMM:updateOutput(input)
   buffers(self, input)
   K.SpatialConvolutionMM_updateOutput(input, self.output, self.weight, self.bias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.output
end

function ConvMM:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   buffers(self, input)
   K.SpatialConvolutionMM_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.gradInput
end

function ConvMM:accGradParameters(input, gradOutput, scale)
   assert((self.bias and self.gradBias) or (self.bias == nil and self.gradBias == nil))
   buffers(self, input)
   K.SpatialConvolutionMM_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.finput, self.fgradInput, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      scale or 1)
end

ConvMM.type = nn.SpatialConvolution.type

return ConvMM
