-- nn.LogSoftMax: x - (max + log(sum(exp(x - max)))) over the class dimension
-- (as nn.SoftMax).  Sums use tensor reductions; THNN sums sequentially, so
-- the last bits may differ.
local LogSoftMax = torch.class('nn.LogSoftMax', 'nn.Module')
local softmaxDim = require('nn._private').softmaxDim
local F = require 'nn._fused'

function LogSoftMax:updateOutput(input)
   require('nn._private').checkTypes(input, 1, self.output)
   local d = softmaxDim(input, "bad argument #2 to 'v' (1D, 2D, 3D or 4D tensor expected)")
   local ho, hx = F.h(self.output, input)
   if ho and input:dim() <= 2 then   -- the computation below in one call
      F.call(F.C.nnc_log_softmax_output, ho, hx, d - 1)
      return self.output
   end
   local maxv = input:max(d)
   if require('nn._private').isFloat(input) then
      -- THNN (float): the log-sum-exp and x - logsum in double, rounded once
      local ls = input:clone():add(-1, maxv:expandAs(input)):double():exp():sum(d):log():add(maxv:double())
      self.output:resizeAs(input):copy(input:double():add(-1, ls:expandAs(input)))
      return self.output
   end
   local logsum = input:clone():add(-1, maxv:expandAs(input)):exp():sum(d):log():add(maxv)
   self.output:resizeAs(input):copy(input):add(-1, logsum:expandAs(input))
   return self.output
end

-- gradInput = g - exp(y) * sum(g)
function LogSoftMax:updateGradInput(input, gradOutput)
   require('nn._private').checkShape(input, 'input', gradOutput)
   local y = self.output
   local d = softmaxDim(y, '1D, 2D, 3D or 4D tensor expected')
   local hg, hy, hgo = F.h(self.gradInput, y, gradOutput)
   if hg and y:dim() <= 2 then   -- the computation below in one call
      F.call(F.C.nnc_log_softmax_grad_input, hg, hy, hgo, d - 1)
      return self.gradInput
   end
   if require('nn._private').isFloat(y) then
      -- THNN (float): g - exp(y) sum(g) in double, rounded once
      local g = gradOutput:double()
      local total = g:sum(d)
      local e = y:double():exp():cmul(total:expandAs(g)):mul(-1):add(g)
      self.gradInput:resizeAs(y):copy(e)
      return self.gradInput
   end
   local total = gradOutput:sum(d)
   self.gradInput:resizeAs(y):copy(y):exp():cmul(total:expandAs(y)):mul(-1):add(gradOutput)
   return self.gradInput
end

return LogSoftMax
