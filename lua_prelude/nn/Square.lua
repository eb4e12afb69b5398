-- nn.Square: x^2; gradient 2 g x.
local Square, parent = torch.class('nn.Square', 'nn.Module')

function Square:__init(args)
   parent.__init(self)
end

function Square:updateOutput(input)
   self.output:resizeAs(input):copy(input):cmul(input)
   return self.output
end

function Square:updateGradInput(input, gradOutput)
   require('nn._private').checkShape(input, 'input', gradOutput)
   self.gradInput:resizeAs(input):copy(gradOutput):mul(2):cmul(input)
   return self.gradInput
end

return Square
