-- nn.SpatialAdaptiveMaxPooling(W, H): max pooling whose windows adapt to the
-- input so that the output is always H x W per plane.
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.SpatialAdaptiveMaxPooling', 'nn.Module')

function Pool:__init(W, H)
   parent.__init(self)
   self.W, self.H = W, H
end

function Pool:updateOutput(input)
   self.indices = (self.indices or torch.LongTensor()):long()
   K.SpatialAdaptiveMaxPooling_updateOutput(input, self.output, self.indices, self.W, self.H)
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   K.SpatialAdaptiveMaxPooling_updateGradInput(input, gradOutput, self.gradInput, self.indices)
   return self.gradInput
end

function Pool:empty()
   self:clearState()
end

function Pool:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

return Pool
