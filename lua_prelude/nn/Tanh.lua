-- nn.Tanh: tanh(x); gradient g (1 - y^2).
local Tanh = torch.class('nn.Tanh', 'nn.Module')

function Tanh:updateOutput(input)
   require('nn._private').checkTypes(input, 1, self.output)
   self.output:resizeAs(input):tanh(input)
   return self.output
end

function Tanh:updateGradInput(input, gradOutput)
   require('nn._private').checkShape(self.output, 'output', gradOutput)
   local y = self.output
   if require('nn._private').isFloat(y) then
      -- THNN (float): g (1 - y y) with y y in float, the rest in double
      local yy = torch.cmul(y, y):double()
      self.gradInput:resizeAs(y):copy(yy:mul(-1):add(1):cmul(gradOutput:double()))
      return self.gradInput
   end
   self.gradInput:resizeAs(y):copy(y):cmul(y):mul(-1):add(1):cmul(gradOutput)
   return self.gradInput
end

return Tanh
