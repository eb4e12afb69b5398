-- nn.LeakyReLU(negval=0.01[, inplace]): x for x > 0, negval * x otherwise.
local LeakyReLU, parent = torch.class('nn.LeakyReLU', 'nn.Module')

function LeakyReLU:__init(negval, ip)
   parent.__init(self)
   if type(negval) == 'boolean' then
      -- nn.LeakyReLU(true): as upstream, the flag does not reach `inplace`
      self.negval = 1 / 100
   else
      self.negval = negval or (1 / 100)
   end
   self.inplace = ip or false
   -- a negative slope flips signs, which the in-place backward cannot undo
   if self.negval < 0 then self.inplace = false end
end

-- x[mask] = x[mask] * k
local function scaleWhere(x, mask, k)
   x:maskedCopy(mask, x:maskedSelect(mask):mul(k))
end

function LeakyReLU:updateOutput(input)
   if self.inplace then
      scaleWhere(input, input:le(0), self.negval)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input)
      scaleWhere(self.output, input:le(0), self.negval)
   end
   return self.output
end

function LeakyReLU:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   if self.inplace then
      scaleWhere(gradOutput, input:le(0), self.negval)
      self.gradInput:set(gradOutput)
   else
      self.gradInput:resizeAs(input):copy(gradOutput)
      scaleWhere(self.gradInput, input:gt(0):eq(0), self.negval)
   end
   return self.gradInput
end

function LeakyReLU:__tostring__()
   return torch.type(self) .. string.format('(%g)', self.negval)
end

return LeakyReLU
