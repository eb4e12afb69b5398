-- nn.CMinTable: the element-wise minimum of a table of tensors (see CMaxTable).
require 'nn.CMaxTable'
local CMinTable, parent = torch.class('nn.CMinTable', 'nn.Module')

function CMinTable:__init()
   parent.__init(self)
   self.gradInput = {}
   self.minIdx = torch.Tensor()
   self.mask = torch.Tensor()
   self.minVals = torch.Tensor()
   self.gradMaxVals = torch.Tensor()
end

function CMinTable:updateOutput(input)
   return nn.CMaxTable.pick(self, input, self.minIdx, function(a, b) return a:lt(b) end)
end

function CMinTable:updateGradInput(input, gradOutput)
   return nn.CMaxTable.route(self, input, gradOutput, self.minIdx)
end

return CMinTable
