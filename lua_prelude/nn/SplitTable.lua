-- nn.SplitTable(dim[, nInputDims]): a tensor -> the table of its slices along
-- dim (views, no copy).
local SplitTable, parent = torch.class('nn.SplitTable', 'nn.Module')

function SplitTable:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension
   self.nInputDims = nInputDims
end

function SplitTable:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then
      d = input:dim() + d + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then
      d = d + 1
   end
   return d
end

function SplitTable:updateOutput(input)
   local d = self:_getPositiveDimension(input)
   local slices = {}
   for i = 1, input:size(d) do slices[i] = input:select(d, i) end
   self.output = slices
   return self.output
end

function SplitTable:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   if self.gradInput then
      self.gradInput:resizeAs(input)
      for i = 1, input:size(d) do
         self.gradInput:select(d, i):copy(gradOutput[i])
      end
   end
   return self.gradInput
end

return SplitTable
