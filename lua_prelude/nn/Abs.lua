-- nn.Abs: |x|; gradient sign(x) * g with sign(0) = 1.
local Abs, parent = torch.class('nn.Abs', 'nn.Module')

function Abs:__init()
   parent.__init(self)
end

function Abs:updateOutput(input)
   self.output:resizeAs(input):abs(input)
   return self.output
end

function Abs:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   -- +1 where x >= 0, -1 elsewhere (NaN included), as THNN
   self.gradInput:resizeAs(input):fill(1)
   self.gradInput:maskedFill(input:ge(0):eq(0), -1)
   self.gradInput:cmul(gradOutput)
   return self.gradInput
end

return Abs
