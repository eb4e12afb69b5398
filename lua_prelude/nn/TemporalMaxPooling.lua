-- nn.TemporalMaxPooling(kW[, dW=kW]): max over windows of kW frames, feature
-- by feature, for (nFrame x F) or (batch x nFrame x F) input.
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.TemporalMaxPooling', 'nn.Module')

function Pool:__init(kW, dW)
   parent.__init(self)
   self.kW, self.dW = kW, dW or kW
end

function Pool:updateOutput(input)
   self.indices = (self.indices or torch.LongTensor()):long()
   K.TemporalMaxPooling_updateOutput(input, self.output, self.indices, self.kW, self.dW)
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   K.TemporalMaxPooling_updateGradInput(input, gradOutput, self.gradInput, self.indices,
      self.kW, self.dW)
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
