-- nn.Sequential: children applied one after the other.
local Sequential = torch.class('nn.Sequential', 'nn.Container')

function Sequential:__len()
   return #self.modules
end

function Sequential:add(module)
   if #self.modules == 0 then self.gradInput = module.gradInput end
   self.modules[#self.modules + 1] = module
   self.output = module.output
   return self
end

function Sequential:insert(module, index)
   local n = #self.modules
   index = index or (n + 1)
   if index > n + 1 or index < 1 then
      error"index should be contiguous to existing modules"
   end
   table.insert(self.modules, index, module)
   self.output = self.modules[#self.modules].output
   self.gradInput = self.modules[1].gradInput
end

function Sequential:remove(index)
   local n = #self.modules
   index = index or n
   if index > n or index < 1 then error"index out of range" end
   table.remove(self.modules, index)
   if #self.modules > 0 then
      self.output = self.modules[#self.modules].output
      self.gradInput = self.modules[1].gradInput
   else
      self.output = torch.Tensor()
      self.gradInput = torch.Tensor()
   end
end

function Sequential:updateOutput(input)
   local x = input
   for i = 1, #self.modules do
      x = self:rethrowErrors(self.modules[i], i, 'updateOutput', x)
   end
   self.output = x
   return x
end

-- Each child i > 1 gets the output of child i-1 as its input.
function Sequential:updateGradInput(input, gradOutput)
   local g = gradOutput
   for i = #self.modules, 2, -1 do
      g = self:rethrowErrors(self.modules[i], i, 'updateGradInput', self.modules[i - 1].output, g)
   end
   g = self:rethrowErrors(self.modules[1], 1, 'updateGradInput', input, g)
   self.gradInput = g
   return g
end

function Sequential:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local g = gradOutput
   for i = #self.modules, 2, -1 do
      local m = self.modules[i]
      self:rethrowErrors(m, i, 'accGradParameters', self.modules[i - 1].output, g, scale)
      g = m.gradInput
   end
   self:rethrowErrors(self.modules[1], 1, 'accGradParameters', input, g, scale)
end

function Sequential:backward(input, gradOutput, scale)
   scale = scale or 1
   local g = gradOutput
   for i = #self.modules, 2, -1 do
      local m = self.modules[i]
      g = self:rethrowErrors(m, i, 'backward', self.modules[i - 1].output, g, scale)
      m.gradInput = g
   end
   g = self:rethrowErrors(self.modules[1], 1, 'backward', input, g, scale)
   self.gradInput = g
   return g
end

function Sequential:accUpdateGradParameters(input, gradOutput, lr)
   local g = gradOutput
   for i = #self.modules, 2, -1 do
      local m = self.modules[i]
      self:rethrowErrors(m, i, 'accUpdateGradParameters', self.modules[i - 1].output, g, lr)
      g = m.gradInput
   end
   self:rethrowErrors(self.modules[1], 1, 'accUpdateGradParameters', input, g, lr)
end

-- always 'nn.Sequential' (not torch.type), as upstream
function Sequential:__tostring__()
   local n = #self.modules
   local flow = {'[input'}
   for i = 1, n do flow[#flow + 1] = '(' .. i .. ')' end
   flow[#flow + 1] = 'output]'
   local lines = {'nn.Sequential {', '  ' .. table.concat(flow, ' -> ')}
   for i = 1, n do
      lines[#lines + 1] = '  (' .. i .. '): ' .. tostring(self.modules[i]):gsub('\n', '\n  ')
   end
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

return Sequential
