-- nn.Tanh: tanh(x); gradient g (1 - y^2).
local Tanh = torch.class('nn.Tanh', 'nn.Module')
local F = require 'nn._fused'

function Tanh:updateOutput(input)
   require('nn._private').checkTypes(input, 1, self.output)
   local ho, hi = F.h(self.output, input)
   if ho then
      F.call(F.C.nnp_tanh_output, ho, hi)
      return self.output
   end
   self.output:resizeAs(input):tanh(input)
   return self.output
end

function Tanh:updateGradInput(input, gradOutput)
   require('nn._private').checkShape(self.output, 'output', gradOutput)
   local y = self.output
   local hg, hy, hgo = F.h(self.gradInput, y, gradOutput)
   if hg then   -- the computation below in one call
      F.call(F.C.nnp_tanh_grad_input, hg, hy, hgo)
      return self.gradInput
   end
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
