-- nn.NaN(module[, id]): errors as soon as the wrapped module produces a NaN,
-- saying where it came from (input, parameters, output, gradients).
local NaN, parent = torch.class('nn.NaN', 'nn.Decorator')

local lastId = 0
function NaN.newId()
   lastId = lastId + 1
   return lastId
end

function NaN:__init(module, id)
   parent.__init(self, module)
   self.id = id or NaN.newId()
end

-- a NaN anywhere makes the sum NaN
function NaN:recursiveIsNaN(x)
   if torch.type(x) == 'table' then
      for _, v in pairs(x) do
         if self:recursiveIsNaN(v) then return true end
      end
      return false
   end
   local s = x:sum()
   return s ~= s
end

local function fail(self, what)
   error(string.format("NaN found in %s of module :\n%s", what, self:__tostring__()))
end

function NaN:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   if self:recursiveIsNaN(self.output) then
      if self:recursiveIsNaN(input) then fail(self, 'input')
      elseif self:recursiveIsNaN(self:parameters()) then fail(self, 'parameters') end
      fail(self, 'output')
   end
   return self.output
end

function NaN:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   if self:recursiveIsNaN(self.gradInput) then
      if self:recursiveIsNaN(gradOutput) then fail(self, 'gradOutput') end
      fail(self, 'gradInput')
   end
   return self.gradInput
end

function NaN:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
   local _, gradParams = self:parameters()
   if self:recursiveIsNaN(gradParams) then fail(self, 'gradParameters') end
end

-- 'nn.NaN(3) @ <inner>'
function NaN:__tostring__()
   local inner = self.modules[1]
   local text = inner.__tostring__ and inner:__tostring__() or torch.type(inner)
   return torch.type(self) .. '(' .. self.id .. ') @ ' .. text
end

return NaN
