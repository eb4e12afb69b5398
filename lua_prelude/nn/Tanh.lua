-- nn.Tanh: tanh(x); gradient g (1 - y^2).
local Tanh = torch.class('nn.Tanh', 'nn.Module')

function Tanh:updateOutput(input)
   self.output:resizeAs(input):tanh(input)
   return self.output
end

function Tanh:updateGradInput(input, gradOutput)
   local y = self.output
   self.gradInput:resizeAs(y):copy(y):cmul(y):mul(-1):add(1):cmul(gradOutput)
   return self.gradInput
end

return Tanh
