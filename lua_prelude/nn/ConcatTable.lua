-- nn.ConcatTable: every child sees the input; the output is the table of
-- their outputs.
local ConcatTable, parent = torch.class('nn.ConcatTable', 'nn.Container')
local private = require 'nn._private'

function ConcatTable:__init()
   parent.__init(self)
   self.modules = {}
   self.output = {}
end

function ConcatTable:updateOutput(input)
   for i = 1, #self.modules do
      self.output[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
   end
   return self.output
end

-- the input's gradient is the sum of the children's gradInputs
local function backward(self, method, input, gradOutput, scale)
   local wasTable = torch.type(self.gradInput) == 'table'
   if torch.type(input) == 'table' then
      for i, module in ipairs(self.modules) do
         local g = self:rethrowErrors(module, i, method, input, gradOutput[i], scale)
         if torch.type(g) ~= 'table' then error"currentGradInput is not a table!" end
         if #input ~= #g then error("table size mismatch: " .. #input .. " ~= " .. #g) end
         if i == 1 then
            self.gradInput = wasTable and self.gradInput or {}
            private.accumulateTable(self.gradInput, g, true)
         else
            private.accumulateTable(self.gradInput, g, false)
         end
      end
   else
      self.gradInput = (not wasTable) and self.gradInput or input:clone()
      for i, module in ipairs(self.modules) do
         local g = self:rethrowErrors(module, i, method, input, gradOutput[i], scale)
         if i == 1 then
            self.gradInput:resize(g:size()):copy(g)
         else
            self.gradInput:add(g)
         end
      end
   end
   return self.gradInput
end

function ConcatTable:updateGradInput(input, gradOutput)
   return backward(self, 'updateGradInput', input, gradOutput)
end

function ConcatTable:backward(input, gradOutput, scale)
   return backward(self, 'backward', input, gradOutput, scale)
end

function ConcatTable:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accGradParameters', input, gradOutput[i], scale)
   end
end

function ConcatTable:accUpdateGradParameters(input, gradOutput, lr)
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accUpdateGradParameters', input, gradOutput[i], lr)
   end
end

ConcatTable.__tostring__ = private.branches

return ConcatTable
