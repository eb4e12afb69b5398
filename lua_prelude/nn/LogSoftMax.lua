-- nn.LogSoftMax: x - (max + log(sum(exp(x - max)))) over the class dimension
-- (as nn.SoftMax).  Sums use tensor reductions; THNN sums sequentially, so
-- the last bits may differ.
local LogSoftMax = torch.class('nn.LogSoftMax', 'nn.Module')
local softmaxDim = require('nn._private').softmaxDim

function LogSoftMax:updateOutput(input)
   local d = softmaxDim(input, "bad argument #2 to 'v' (1D, 2D, 3D or 4D tensor expected)")
   local maxv = input:max(d)
   local logsum = input:clone():add(-1, maxv:expandAs(input)):exp():sum(d):log():add(maxv)
   self.output:resizeAs(input):copy(input):add(-1, logsum:expandAs(input))
   return self.output
end

-- gradInput = g - exp(y) * sum(g)
function LogSoftMax:updateGradInput(input, gradOutput)
   local y = self.output
   local d = softmaxDim(y, '1D, 2D, 3D or 4D tensor expected')
   local total = gradOutput:sum(d)
   self.gradInput:resizeAs(y):copy(y):exp():cmul(total:expandAs(y)):mul(-1):add(gradOutput)
   return self.gradInput
end

return LogSoftMax
