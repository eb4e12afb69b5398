-- nn.CMaxTable: the element-wise maximum of a table of tensors; the gradient
-- goes to the (first) input that held the maximum.
local CMaxTable, parent = torch.class('nn.CMaxTable', 'nn.Module')

function CMaxTable:__init()
   parent.__init(self)
   self.gradInput = {}
   self.maxIdx = torch.Tensor()
   self.mask = torch.Tensor()
   self.maxVals = torch.Tensor()
   self.gradMaxVals = torch.Tensor()
end

-- shared with CMinTable: `better(a, b)` says where a beats b
function CMaxTable.pick(self, input, idx, better)
   self.output:resizeAs(input[1]):copy(input[1])
   idx:resizeAs(input[1]):fill(1)
   for i = 2, #input do
      local wins = better(input[i], self.output)
      idx:maskedFill(wins, i)
      self.output:maskedCopy(wins, input[i]:maskedSelect(wins))
   end
   return self.output
end

function CMaxTable.route(self, input, gradOutput, idx)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[i].new()
      self.gradInput[i]:resizeAs(input[i]):fill(0.0)
      local mine = idx:eq(i)
      self.gradInput[i]:maskedCopy(mine, gradOutput:maskedSelect(mine))
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

function CMaxTable:updateOutput(input)
   return CMaxTable.pick(self, input, self.maxIdx, function(a, b) return a:gt(b) end)
end

function CMaxTable:updateGradInput(input, gradOutput)
   return CMaxTable.route(self, input, gradOutput, self.maxIdx)
end

return CMaxTable
