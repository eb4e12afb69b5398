-- nn.SpatialAdaptiveAveragePooling(W, H): average pooling whose windows adapt
-- to the input so that the output is always H x W per plane.
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.SpatialAdaptiveAveragePooling', 'nn.Module')

function Pool:__init(W, H)
   parent.__init(self)
   self.W, self.H = W, H
end

function Pool:updateOutput(input)
   K.SpatialAdaptiveAveragePooling_updateOutput(input, self.output, self.W, self.H)
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   K.SpatialAdaptiveAveragePooling_updateGradInput(input, gradOutput, self.gradInput)
   return self.gradInput
end

function Pool:empty()
   self:clearState()
end

return Pool
