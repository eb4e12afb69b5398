-- nn.SplitTable(dim[, nInputDims]): a tensor -> the table of its slices along
-- dim (views, no copy).
local SplitTable, parent = torch.class('nn.SplitTable', 'nn.Module')
local F = require 'nn._fused'

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
   local hx = F.h(input, input)
   if hx and input:dim() >= 2 and d >= 1 and d <= input:dim() then
      self.output = F.tensors(F.C.nnp_split, hx, d - 1)   -- all the selects in one call
      return self.output
   end
   local slices = {}
   for i = 1, input:size(d) do slices[i] = input:select(d, i) end
   self.output = slices
   return self.output
end

function SplitTable:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   if self.gradInput then
      local n = input:dim() >= 2 and d >= 1 and d <= input:dim() and input:size(d)
      local hs = n and #gradOutput == n and F.list(input, gradOutput)
      local hgi = hs and F.h(self.gradInput, input)
      if hgi then   -- the resize and the copies below in one call
         F.call(F.C.nnp_split_grad, hgi, hs[1], d - 1, unpack(hs, 2, n + 1))
         return self.gradInput
      end
      self.gradInput:resizeAs(input)
      for i = 1, input:size(d) do
         self.gradInput:select(d, i):copy(gradOutput[i])
      end
   end
   return self.gradInput
end

return SplitTable
