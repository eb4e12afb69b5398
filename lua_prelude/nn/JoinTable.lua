-- nn.JoinTable(dim[, nInputDims]): a table of tensors -> their concatenation
-- along dim.
local JoinTable, parent = torch.class('nn.JoinTable', 'nn.Module')

function JoinTable:__init(dimension, nInputDims)
   parent.__init(self)
   self.size = torch.LongStorage()
   self.dimension = dimension
   self.gradInput = {}
   self.nInputDims = nInputDims
end

function JoinTable:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then
      d = input[1]:dim() + d + 1
   elseif self.nInputDims and input[1]:dim() == self.nInputDims + 1 then
      d = d + 1
   end
   return d
end

function JoinTable:updateOutput(input)
   local d = self:_getPositiveDimension(input)
   for i = 1, #input do
      if i == 1 then
         self.size:resize(input[i]:dim()):copy(input[i]:size())
      else
         self.size[d] = self.size[d] + input[i]:size(d)
      end
   end
   self.output:resize(self.size)
   local offset = 1
   for i = 1, #input do
      local n = input[i]:size(d)
      self.output:narrow(d, offset, n):copy(input[i])
      offset = offset + n
   end
   return self.output
end

function JoinTable:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[i].new()
      self.gradInput[i]:resizeAs(input[i])
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   local offset = 1
   for i = 1, #input do
      local n = input[i]:size(d)
      self.gradInput[i]:copy(gradOutput:narrow(d, offset, n))
      offset = offset + n
   end
   return self.gradInput
end

function JoinTable:type(typename, tensorCache)
   self.gradInput = {}
   return parent.type(self, typename, tensorCache)
end

return JoinTable
