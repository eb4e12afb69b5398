-- nn.SoftShrink(lambda=0.5): x - lambda above lambda, x + lambda below
-- -lambda, 0 in between.
local SoftShrink, parent = torch.class('nn.SoftShrink', 'nn.Module')
local copyWhere = require('nn._private').copyWhere

function SoftShrink:__init(lam)
   parent.__init(self)
   self.lambda = lam or 0.5
end

function SoftShrink:updateOutput(input)
   local l = self.lambda
   self.output:resizeAs(input):zero()
   copyWhere(self.output, input:gt(l), torch.add(input, -l))
   copyWhere(self.output, input:lt(-l), torch.add(input, l))
   return self.output
end

function SoftShrink:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   self.gradInput:resizeAs(input):copy(gradOutput)
   self.gradInput:maskedFill(nn.HardShrink.inside(input, self.lambda), 0)
   return self.gradInput
end

return SoftShrink
