-- nn.Padding(dim, pad, nInputDim, value=0, index=1): inserts |pad| entries of
-- `value` along dim.  pad < 0 pads before position `index` (counted from the
-- start), pad > 0 after the position counted from the end.
local Padding, parent = torch.class('nn.Padding', 'nn.Module')

function Padding:__init(dim, pad, nInputDim, value, index)
   self.value = value or 0
   self.index = index or 1
   self.dim = dim
   self.pad = pad
   self.nInputDim = nInputDim
   self.outputSize = torch.LongStorage()
   parent.__init(self)
end

-- dim (batch-adjusted), the insertion position, the pad length
local function layout(self, input)
   local dim = self.dim
   if self.nInputDim and input:dim() ~= self.nInputDim then dim = dim + 1 end
   local index, pad = self.index, self.pad
   if pad > 0 then
      index = input:size(dim) - index + 2
   else
      pad = -pad
   end
   return dim, index, pad
end

function Padding:updateOutput(input)
   local dim, index, pad = layout(self, input)
   local n = input:size(dim)
   self.outputSize:resize(input:dim()):copy(input:size())
   self.outputSize[dim] = self.outputSize[dim] + pad
   self.output:resize(self.outputSize):fill(self.value)
   if index == 1 then
      self.output:narrow(dim, 1 + pad, n):copy(input)
   elseif index == n + 1 then
      self.output:narrow(dim, 1, n):copy(input)
   else
      self.output:narrow(dim, 1, index - 1):copy(input:narrow(dim, 1, index - 1))
      self.output:narrow(dim, index + pad, n - (index - 1)):copy(input:narrow(dim, index, n - (index - 1)))
   end
   return self.output
end

function Padding:updateGradInput(input, gradOutput)
   local dim, index, pad = layout(self, input)
   local n = input:size(dim)
   self.gradInput:resizeAs(input)
   if index == 1 then
      self.gradInput:copy(gradOutput:narrow(dim, 1 + pad, n))
   elseif index == n + 1 then
      self.gradInput:copy(gradOutput:narrow(dim, 1, n))
   else
      self.gradInput:narrow(dim, 1, index - 1):copy(gradOutput:narrow(dim, 1, index - 1))
      self.gradInput:narrow(dim, index, n - (index - 1)):copy(gradOutput:narrow(dim, index + pad, n - (index - 1)))
   end
   return self.gradInput
end

return Padding
