-- nn.Sigmoid: 1 / (1 + exp(-x)); gradient g (1 - y) y.
local Sigmoid = torch.class('nn.Sigmoid', 'nn.Module')

function Sigmoid:updateOutput(input)
   self.output:resizeAs(input):sigmoid(input)
   return self.output
end

function Sigmoid:updateGradInput(input, gradOutput)
   local y = self.output
   self.gradInput:resizeAs(y):copy(y):mul(-1):add(1):cmul(gradOutput):cmul(y)
   return self.gradInput
end

return Sigmoid
