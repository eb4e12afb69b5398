-- nn.SoftMax: exp(x - max) / sum over the class dimension (the last of a
-- vector or batch matrix, dimension 1/2 of 3-D/4-D planes).  Sums use tensor
-- reductions; THNN sums sequentially, so the last bits may differ.
local SoftMax = torch.class('nn.SoftMax', 'nn.Module')
local softmaxDim = require('nn._private').softmaxDim

function SoftMax.softmax(output, input)
   local d = softmaxDim(input, "bad argument #2 to 'v' (1D, 2D, 3D or 4D tensor expected)")
   local maxv = input:max(d)
   if require('nn._private').isFloat(input) then
      -- THNN (float): z = (float) exp(x - max) in double, the sum and the
      -- scaling in double (accreal), one rounding to float at the end
      local z = input:clone():add(-1, maxv:expandAs(input)):double():exp():float():double()
      local inv = z:sum(d):cinv()
      output:resizeAs(input):copy(z:cmul(inv:expandAs(z)))
      return output
   end
   output:resizeAs(input):copy(input):add(-1, maxv:expandAs(input)):exp()
   local inv = output:sum(d):cinv()
   output:cmul(inv:expandAs(output))
   return output
end

-- gradInput = y .* (g - sum(g .* y))
function SoftMax.softmaxBackward(gradInput, gradOutput, output)
   local d = softmaxDim(output, '1D, 2D, 3D or 4D tensor expected')
   if require('nn._private').isFloat(output) then
      -- THNN (float): y (g - sum(g y)) evaluated in double, rounded once
      local g, y = gradOutput:double(), output:double()
      local dot = torch.cmul(g, y):sum(d)
      gradInput:resizeAs(output):copy(g:add(-1, dot:expandAs(g)):cmul(y))
      return gradInput
   end
   local dot = torch.cmul(gradOutput, output):sum(d)
   gradInput:resizeAs(output):copy(gradOutput):add(-1, dot:expandAs(output)):cmul(output)
   return gradInput
end

function SoftMax:updateOutput(input)
   require('nn._private').checkTypes(input, 1, self.output)
   SoftMax.softmax(self.output, input)
   return self.output
end

function SoftMax:updateGradInput(input, gradOutput)
   require('nn._private').checkShape(input, 'input', gradOutput)
   SoftMax.softmaxBackward(self.gradInput, gradOutput, self.output)
   return self.gradInput
end

return SoftMax
