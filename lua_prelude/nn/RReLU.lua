-- nn.RReLU(l=1/8, u=1/3[, inplace]): randomized leaky ReLU.  In training each
-- non-positive element is multiplied by a slope drawn from U(l, u) (drawn in
-- element order, one draw per such element); in evaluation by (l + u) / 2.
local RReLU, parent = torch.class('nn.RReLU', 'nn.Module')

function RReLU:__init(l, u, ip)
   parent.__init(self)
   self.lower = l or 1 / 8
   self.upper = u or 1 / 3
   assert(self.lower <= self.upper and self.lower >= 0 and self.upper >= 0)
   self.noise = torch.Tensor()
   self.train = true
   self.inplace = ip or false
end

function RReLU:updateOutput(input)
   local slope = self.noise
   if self.train then
      slope:resizeAs(input):fill(1)
      local neg = input:le(0)
      local n = neg:sum()
      if n > 0 then slope:maskedCopy(neg, input.new(n):uniform(self.lower, self.upper)) end
   else
      local negSlope = (self.lower + self.upper) / 2
      slope = input.new():resizeAs(input):fill(1):maskedFill(input:le(0), negSlope)
   end
   if self.inplace then
      input:cmul(slope)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input):cmul(slope)
   end
   return self.output
end

function RReLU:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   local g = gradOutput
   if not self.inplace then
      self.gradInput:resizeAs(input):copy(gradOutput)
      g = self.gradInput
   end
   if self.train and self.upper - self.lower > 1E-6 then
      g:cmul(self.noise)
   else
      -- equal bounds behave as a LeakyReLU with the constant slope
      local neg = input:le(0)
      g:maskedCopy(neg, g:maskedSelect(neg):mul((self.lower + self.upper) / 2))
   end
   if self.inplace then self.gradInput:set(gradOutput) end
   return self.gradInput
end

function RReLU:__tostring__()
   return string.format('%s (l:%f, u:%f)', torch.type(self), self.lower, self.upper)
end

function RReLU:clearState()
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end

return RReLU
