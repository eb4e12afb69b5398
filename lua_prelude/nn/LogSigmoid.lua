-- nn.LogSigmoid: log(1 / (1 + exp(-x))), computed as -(m + log(exp(-m) +
-- exp(-x - m))) with m = max(0, -x) so that it cannot overflow.
local LogSigmoid, parent = torch.class('nn.LogSigmoid', 'nn.Module')
local copyWhere = require('nn._private').copyWhere

-- keeps buffer = exp(-m) + exp(-x - m) for the gradient
function LogSigmoid:updateOutput(input)
   self.buffer = self.buffer or input.new()
   local m = input:clone():mul(-1):cmax(0)
   local shifted = input:clone():mul(-1):add(-1, m):exp()
   self.buffer:resizeAs(input):copy(m):mul(-1):exp():add(shifted)
   self.output:resizeAs(input):copy(self.buffer):log():add(m):mul(-1)
   return self.output
end

-- d/dx = (z - 1) / z for x >= 0 and 1 - (z - 1) / z for x < 0 (z = buffer)
function LogSigmoid:updateGradInput(input, gradOutput)
   local z = self.buffer
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
