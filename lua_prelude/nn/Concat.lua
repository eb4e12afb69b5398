-- nn.Concat(dim): every child sees the input; outputs joined along dim.
local Concat, parent = torch.class('nn.Concat', 'nn.Container')
local private = require 'nn._private'

function Concat:__init(dimension)
   parent.__init(self)
   self.outputSize = torch.LongStorage()
   self.dimension = dimension
end

function Concat:updateOutput(input)
   self.outputSize = self.outputSize or torch.LongStorage()
   local dim = self.dimension
   local outs = {}
   for i = 1, #self.modules do
      local out = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
      outs[i] = out
      if i == 1 then
         self.outputSize:resize(out:dim()):copy(out:size())
      else
         self.outputSize[dim] = self.outputSize[dim] + out:size(dim)
      end
   end
   self.output:resize(self.outputSize)
   local offset = 1
   for i = 1, #self.modules do
      local n = outs[i]:size(dim)
      self.output:narrow(dim, offset, n):copy(outs[i])
      offset = offset + n
   end
   return self.output
end

-- method is 'updateGradInput' or 'backward'; the children's gradInputs are summed
local function backward(self, method, input, gradOutput, scale)
   local dim = self.dimension
   local wasTable = torch.type(self.gradInput) == 'table'
   scale = scale or 1
   local offset = 1
   if torch.type(input) == 'table' then
      for i, module in ipairs(self.modules) do
         local n = module.output:size(dim)
         local g = self:rethrowErrors(module, i, method, input, gradOutput:narrow(dim, offset, n), scale)
         if torch.type(g) ~= 'table' then error"currentGradInput is not a table!" end
         if #input ~= #g then error("table size mismatch: " .. #input .. " ~= " .. #g) end
         if i == 1 then
            self.gradInput = wasTable and self.gradInput or {}
            private.accumulateTable(self.gradInput, g, true)
         else
            private.accumulateTable(self.gradInput, g, false)
         end
         offset = offset + n
      end
   else
      self.gradInput = (not wasTable) and self.gradInput:resizeAs(input) or input:clone()
      for i, module in ipairs(self.modules) do
         local n = module.output:size(dim)
         local g = self:rethrowErrors(module, i, method, input, gradOutput:narrow(dim, offset, n), scale)
         -- a child may give no gradInput (e.g. a first layer): skip it
         if g then
            if i == 1 then self.gradInput:copy(g) else self.gradInput:add(g) end
         end
         offset = offset + n
      end
   end
   return self.gradInput
end

function Concat:updateGradInput(input, gradOutput)
   return backward(self, 'updateGradInput', input, gradOutput)
end

function Concat:backward(input, gradOutput, scale)
   return backward(self, 'backward', input, gradOutput, scale)
end

local function each_child(self, method, input, gradOutput, arg)
   local dim = self.dimension
   local offset = 1
   for i, module in ipairs(self.modules) do
      local n = module.output:size(dim)
      self:rethrowErrors(module, i, method, input, gradOutput:narrow(dim, offset, n), arg)
      offset = offset + n
   end
end

function Concat:accGradParameters(input, gradOutput, scale)
   each_child(self, 'accGradParameters', input, gradOutput, scale or 1)
end

function Concat:accUpdateGradParameters(input, gradOutput, lr)
   each_child(self, 'accUpdateGradParameters', input, gradOutput, lr)
end

Concat.__tostring__ = private.branches

return Concat
