-- nn.L1Cost: the criterion sum |x| (no target); gradient sign(x).
local L1Cost, parent = torch.class('nn.L1Cost', 'nn.Criterion')
local private = require 'nn._private'

function L1Cost:__init()
   parent.__init(self)
end

function L1Cost:updateOutput(input)
   return private.setLoss(self, input, input:clone():abs():sum())
end

function L1Cost:updateGradInput(input)
   self.gradInput:resizeAs(input):copy(input):sign()
   return self.gradInput
end

function L1Cost:clearState()
   if self.output_tensor then self.output_tensor:set() end
   return parent.clearState(self)
end

return L1Cost
