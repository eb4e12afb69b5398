-- nn.HardShrink(lambda=0.5): x where |x| > lambda, 0 elsewhere.
local HardShrink, parent = torch.class('nn.HardShrink', 'nn.Module')

function HardShrink:__init(lam)
   parent.__init(self)
   self.lambda = lam or 0.5
end

-- where |x| <= lambda (NaN included)
function HardShrink.inside(input, lambda)
   return torch.add(input:gt(lambda), input:lt(-lambda)):eq(0)
end

function HardShrink:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   self.output:maskedFill(HardShrink.inside(input, self.lambda), 0)
   return self.output
end

function HardShrink:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   self.gradInput:resizeAs(input):copy(gradOutput)
   self.gradInput:maskedFill(HardShrink.inside(input, self.lambda), 0)
   return self.gradInput
end

return HardShrink
