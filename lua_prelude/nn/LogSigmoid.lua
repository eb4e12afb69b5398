-- nn.LogSigmoid: log(1 / (1 + exp(-x))), computed as -(m + log(exp(-m) +
-- exp(-x - m))) with m = max(0, -x) so that it cannot overflow.
local LogSigmoid, parent = torch.class('nn.LogSigmoid', 'nn.Module')
local copyWhere = require('nn._private').copyWhere

-- keeps buffer = exp(-m) + exp(-x - m) for the gradient
function LogSigmoid:updateOutput(input)
   self.buffer = self.buffer or input.new()
   local m = input:clone():mul(-1):cmax(0)
   if require('nn._private').isFloat(input) then
      -- THNN (float): z = (float)(exp(-m) + exp(-x - m)), -(m + log z) in double
      local shifted = input:clone():mul(-1):add(-1, m):double():exp()
      self.buffer:resizeAs(input):copy(m:double():mul(-1):exp():add(shifted))
      self.output:resizeAs(input):copy(self.buffer:double():log():add(m:double()):mul(-1))
      return self.output
   end
   local shifted = input:clone():mul(-1):add(-1, m):exp()
   self.buffer:resizeAs(input):copy(m):mul(-1):exp():add(shifted)
   self.output:resizeAs(input):copy(self.buffer):log():add(m):mul(-1)
   return self.output
end

-- d/dx = (z - 1) / z for x >= 0 and 1 - (z - 1) / z for x < 0 (z = buffer)
function LogSigmoid:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   local z = self.buffer
   if require('nn._private').isFloat(z) then
      -- THNN (float): (z - 1) / z, or 1 - (z - 1) / z, in double, rounded once
      local zd = z:double()
      local q = zd:clone():add(-1):cdiv(zd)
      copyWhere(q, input:lt(0), q:clone():mul(-1):add(1))
      self.gradInput:resizeAs(z):copy(q):cmul(gradOutput)
      return self.gradInput
   end
   self.gradInput:resizeAs(z):copy(z):add(-1):cdiv(z)
   local negative = input:lt(0)
   copyWhere(self.gradInput, negative, self.gradInput:clone():mul(-1):add(1))
   self.gradInput:cmul(gradOutput)
   return self.gradInput
end

function LogSigmoid:clearState()
   if self.buffer then self.buffer:set() end
   return parent.clearState(self)
end

return LogSigmoid
