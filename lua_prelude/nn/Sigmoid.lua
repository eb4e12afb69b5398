-- nn.Sigmoid: 1 / (1 + exp(-x)); gradient g (1 - y) y.
local Sigmoid = torch.class('nn.Sigmoid', 'nn.Module')

function Sigmoid:updateOutput(input)
   require('nn._private').checkTypes(input, 1, self.output)
   self.output:resizeAs(input):sigmoid(input)
   return self.output
end

function Sigmoid:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(self.output, 'output', gradOutput)
   local y = self.output
   if require('nn._private').isFloat(y) then
      -- THNN (float): g (1 - y) y in double, rounded once
      local yd = y:double()
      self.gradInput:resizeAs(y):copy(yd:clone():mul(-1):add(1):cmul(gradOutput:double()):cmul(yd))
      return self.gradInput
   end
   self.gradInput:resizeAs(y):copy(y):mul(-1):add(1):cmul(gradOutput):cmul(y)
   return self.gradInput
end

return Sigmoid
