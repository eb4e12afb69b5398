-- nn.ELU(alpha=1[, inplace]): x for x > 0, alpha (exp(x) - 1) otherwise
-- (Clevert et al. 2015); the gradient reads the output: g (y + alpha) for
-- y <= 0.
local ELU, parent = torch.class('nn.ELU', 'nn.Module')
local copyWhere = require('nn._private').copyWhere

function ELU:__init(alpha, inplace)
   parent.__init(self)
   self.alpha = alpha or 1
   assert(type(self.alpha) == 'number')
   self.inplace = inplace or false
   assert(type(self.inplace) == 'boolean')
end

function ELU:updateOutput(input)
   local neg = input:le(0)
   local curve
   if require('nn._private').isFloat(input) then
      -- THNN (float): (exp(x) - 1) alpha in double (alpha rounded to float)
      local alpha = torch.FloatTensor{self.alpha}[1]
      curve = input.new():resizeAs(input):copy(input:double():exp():add(-1):mul(alpha))
   else
      curve = input:clone():exp():add(-1):mul(self.alpha)
   end
   if self.inplace then
      copyWhere(input, neg, curve)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input)
      copyWhere(self.output, neg, curve)
   end
   return self.output
end

function ELU:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   local neg = self.output:le(0)
   local scaled = self.output:clone():add(self.alpha):cmul(gradOutput)
   if self.inplace then
      copyWhere(gradOutput, neg, scaled)
      self.gradInput:set(gradOutput)
   else
      self.gradInput:resizeAs(self.output):copy(gradOutput)
      copyWhere(self.gradInput, neg, scaled)
   end
   return self.gradInput
end

function ELU:__tostring__()
   return string.format('%s (alpha:%f)', torch.type(self), self.alpha)
end

return ELU
