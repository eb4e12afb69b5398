-- nn.SpatialCrossMapLRN(size[, alpha=1e-4, beta=0.75, k=1]): local response
-- normalisation across channels: x / (k + alpha/size * sum of x^2 over the
-- `size` neighbouring channels)^beta, for 3-D or 4-D (batch) input.
local K = require 'nn.THNN_kernels'
local LRN, parent = torch.class('nn.SpatialCrossMapLRN', 'nn.Module')

function LRN:__init(size, alpha, beta, k)
   parent.__init(self)
   self.size = size
   self.alpha = alpha or 0.0001
   self.beta = beta or 0.75
   self.k = k or 1
end

function LRN:updateOutput(input)
   assert(input:dim() == 3 or input:dim() == 4, 'Input must be 3D or 4D')
   self.scale = self.scale or input.new()
   K.SpatialCrossMapLRN_updateOutput(input, self.output, self.scale,
      self.size, self.alpha, self.beta, self.k)
   return self.output
end

function LRN:updateGradInput(input, gradOutput)
   assert(input:dim() == 3 or input:dim() == 4, 'Input must be 3D or 4D')
   K.SpatialCrossMapLRN_updateGradInput(input, gradOutput, self.gradInput, self.scale,
      self.output, self.size, self.alpha, self.beta, self.k)
   return self.gradInput
end

function LRN:clearState()
   nn.utils.clear(self, 'scale', 'paddedRatio', 'accumRatio')
   return parent.clearState(self)
end

return LRN
