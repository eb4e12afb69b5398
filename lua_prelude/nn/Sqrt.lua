-- nn.Sqrt([eps]): sqrt(x) (eps is kept but, as in THNN, not used);
-- gradient g / (2 sqrt(x)), 0 where the output is 0.
local Sqrt, parent = torch.class('nn.Sqrt', 'nn.Module')

function Sqrt:__init(b)
   parent.__init(self)
   self.eps = b or 0
end

function Sqrt:updateOutput(input)
   self.eps = self.eps or 0
   self.output:resizeAs(input):sqrt(input)
   return self.output
end

function Sqrt:updateGradInput(input, gradOutput)
   require('nn._private').checkShape(self.output, 'output', gradOutput)
   self.gradInput:resizeAs(input):copy(gradOutput):cdiv(self.output):mul(0.5)
   self.gradInput:maskedFill(self.output:eq(0), 0)
   return self.gradInput
end

return Sqrt
