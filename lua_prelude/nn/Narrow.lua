-- nn.Narrow(dim, offset, length=1): a copy of input:narrow(dim, offset,
-- length).  Negative dim counts from the end; negative length leaves that
-- many elements (minus one) out at the end; a negative offset takes the
-- first size - length elements.
local Narrow, parent = torch.class('nn.Narrow', 'nn.Module')

function Narrow:__init(dimension, offset, length)
   parent.__init(self)
   self.dimension = dimension
   self.index = offset
   self.length = length or 1
   if not dimension or not offset then error('nn.Narrow(dimension, offset, length)') end
end

-- dim, first index, length for this input
local function window(self, input)
   local dim = self.dimension < 0 and input:dim() + self.dimension + 1 or self.dimension
   local length = self.length
   if length < 0 then length = input:size(dim) - self.index + self.length + 2 end
   local index = self.index
   if self.index < 0 then
      index = 1
      length = input:size(dim) - length
   end
   return dim, index, length
end

function Narrow:updateOutput(input)
   local part = input:narrow(window(self, input))
   self.output = self.output:typeAs(part)
   self.output:resizeAs(part):copy(part)
   return self.output
end

function Narrow:updateGradInput(input, gradOutput)
   local dim, index, length = window(self, input)
   self.gradInput = self.gradInput:typeAs(input)
   self.gradInput:resizeAs(input):zero()
   self.gradInput:narrow(dim, index, length):copy(gradOutput)
   return self.gradInput
end

return Narrow
