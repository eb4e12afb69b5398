-- nn.FlattenTable: a nested table of tensors -> the flat table of its tensors
-- (depth-first order); the gradient is rebuilt with the input's nesting.
local FlattenTable, parent = torch.class('nn.FlattenTable', 'nn.Module')

function FlattenTable:__init()
   parent.__init(self)
   self.output = {}
   self.input_map = {}
   self.gradInput = {}
end

-- appends input's tensors to output; returns input's shape with each tensor
-- replaced by its index in output
local function flatten(output, input)
   if torch.type(input) == 'table' then
      local map = {}
      for i = 1, #input do map[#map + 1] = flatten(output, input[i]) end
      return map
   end
   output[#output + 1] = input
   return #output
end

-- whether `output` already is the flattening of `input` under `map`
local function matches(output, input, map)
   if map == nil or output == nil or input == nil then return false end
   if torch.type(input) == 'table' then
      if torch.type(map) ~= 'table' or #input ~= #map then return false end
      for i = 1, #input do
         if not matches(output, input[i], map[i]) then return false end
      end
      return true
   end
   if torch.type(map) ~= 'number' then return false end
   return rawequal(output[map], input)
end

local function unflatten(flat, map)
   if torch.type(map) == 'table' then
      local nested = {}
      for i = 1, #map do nested[#nested + 1] = unflatten(flat, map[i]) end
      return nested
   end
   return flat[map]
end

-- the flat table is rebuilt only when the input's structure or tensors changed
function FlattenTable:updateOutput(input)
   assert(torch.type(input) == 'table', 'input must be a table')
   if not matches(self.output, input, self.input_map) then
      self.output = {}
      self.input_map = flatten(self.output, input)
   end
   return self.output
end

function FlattenTable:updateGradInput(input, gradOutput)
   assert(torch.type(input) == 'table', 'input must be a table')
   assert(torch.type(input) == 'table', 'gradOutput must be a table')
   if not matches(gradOutput, self.gradInput, self.input_map) then
      self.gradInput = unflatten(gradOutput, self.input_map)
   end
   return self.gradInput
end

-- only references are held: nothing to convert
function FlattenTable:type(typename, tensorCache)
   self:clearState()
end

function FlattenTable:clearState()
   self.input_map = {}
   return parent.clearState(self)
end

return FlattenTable
