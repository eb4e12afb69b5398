-- nn.ZipTable: { {a1, a2}, {b1, b2} } -> { {a1, b1}, {a2, b2} }.
local ZipTable, parent = torch.class('nn.ZipTable', 'nn.Module')

function ZipTable:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
end

local function zip(tables)
   local out = {}
   for i, t in ipairs(tables) do
      for j, x in ipairs(t) do
         out[j] = out[j] or {}
         out[j][i] = x
      end
   end
   return out
end

function ZipTable:updateOutput(inputTable)
   self.output = zip(inputTable)
   return self.output
end

function ZipTable:updateGradInput(inputTable, gradOutputTable)
   self.gradInput = zip(gradOutputTable)
   return self.gradInput
end

return ZipTable
