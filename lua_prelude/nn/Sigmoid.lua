-- nn.Sigmoid: 1 / (1 + exp(-x)); gradient g (1 - y) y.
local Sigmoid = torch.class('nn.Sigmoid', 'nn.Module')
local F = require 'nn._fused'

function Sigmoid:updateOutput(input)
   require('nn._private').checkTypes(input, 1, self.output)
   local ho, hi = F.h(self.output, input)
   if ho then
      F.call(F.C.nnp_sigmoid_output, ho, hi)
      return self.output
   end
   self.output:resizeAs(input):sigmoid(input)
   return self.output
end

function Sigmoid:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(self.output, 'output', gradOutput)
   local y = self.output
   local hg, hy, hgo = F.h(self.gradInput, y, gradOutput)
   if hg then   -- the computation below in one call
      F.call(F.C.nnp_sigmoid_grad_input, hg, hy, hgo)
      return self.gradInput
   end
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
