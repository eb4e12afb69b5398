-- nn.HardTanh(min=-1, max=1[, inplace]): clamps to [min, max]; the gradient
-- is g strictly inside, 0 at and beyond the bounds.  As in THNN, a NaN input
-- gives max (in place it stays NaN).
local HardTanh, parent = torch.class('nn.HardTanh', 'nn.Module')

function HardTanh:__init(min_value, max_value, inplace)
   parent.__init(self)
   self.min_val = min_value or -1
   self.max_val = max_value or 1
   self.inplace = inplace or false
   if inplace and type(inplace) ~= 'boolean' then error('in-place flag must be boolean') end
   assert(self.max_val > self.min_val, 'max_value must be larger than min_value')
end

-- also used by ReLU6 with (0, 6)
function HardTanh.clampForward(input, output, lo, hi, inplace)
   if inplace then
      input:maskedFill(input:lt(lo), lo)
      input:maskedFill(input:gt(hi), hi)
      output:set(input)
   else
      output:resizeAs(input):copy(input)
      output:maskedFill(input:lt(lo), lo)
      output:maskedFill(input:le(hi):eq(0), hi)
   end
   return output
end

function HardTanh.clampBackward(input, gradOutput, gradInput, lo, hi, inplace)
   local g = gradOutput
   if not inplace then
      gradInput:resizeAs(input):copy(gradOutput)
      g = gradInput
   end
   g:maskedFill(input:le(lo), 0)
   g:maskedFill(input:ge(hi), 0)
   if inplace then gradInput:set(gradOutput) end
   return gradInput
end

function HardTanh:updateOutput(input)
   self.min_val = self.min_val or -1
   self.max_val = self.max_val or 1
   HardTanh.clampForward(input, self.output, self.min_val, self.max_val, self.inplace or false)
   return self.output
end

function HardTanh:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   HardTanh.clampBackward(input, gradOutput, self.gradInput, self.min_val, self.max_val,
                          self.inplace or false)
   return self.gradInput
end

return HardTanh
