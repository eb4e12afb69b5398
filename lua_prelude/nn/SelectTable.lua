-- nn.SelectTable(index): element `index` of the input table (negative
-- indices count from the end).  The gradient is a zero-filled copy of the
-- input's structure with gradOutput at `index`, so backward works even
-- without a forward.
local SelectTable, parent = torch.class('nn.SelectTable', 'nn.Module')

function SelectTable:__init(index)
   parent.__init(self)
   self.index = index
   self.gradInput = {}
end

local function position(index, input)
   if type(index) == 'number' and index < 0 then return #input + index + 1 end
   return index
end

function SelectTable:updateOutput(input)
   local index = position(self.index, input)
   assert(input[index], "index does not exist in the input table")
   self.output = input[index]
   return self.output
end

-- dst becomes src's shape with zeros (tensors reused where they exist)
local function zeroLike(dst, src)
   for k, v in pairs(src) do
      if torch.type(v) == 'table' then
         dst[k] = zeroLike(dst[k] or {}, v)
      elseif torch.isTensor(v) then
         if dst[k] then
            dst[k]:resizeAs(v):zero()
         else
            dst[k] = v:clone():zero()
         end
      else
         dst[k] = nil
      end
   end
   for k in pairs(dst) do
      if not src[k] then dst[k] = nil end
   end
   return dst
end

function SelectTable:updateGradInput(input, gradOutput)
   zeroLike(self.gradInput, input)
   local index = position(self.index, input)
   assert(self.gradInput[index])
   nn.utils.recursiveCopy(self.gradInput[index], gradOutput)
   return self.gradInput
end

function SelectTable:type(typename, tensorCache)
   self.gradInput = {}
   self.output = {}
   return parent.type(self, typename, tensorCache)
end

function SelectTable:__tostring__()
   return torch.type(self) .. '(' .. self.index .. ')'
end

SelectTable.clearState = nn.Identity.clearState

return SelectTable
