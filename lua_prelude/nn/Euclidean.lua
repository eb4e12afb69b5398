-- nn.Euclidean(inputSize, outputSize): y_j = ||x - w_j||, w_j the j-th
-- column of the weight; for a vector or a batch of rows.
local Euclidean, parent = torch.class('nn.Euclidean', 'nn.Module')
local viewOrCopy = require('nn._private').viewOrCopy

function Euclidean:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   self.gradInput:resize(inputSize)
   self.output:resize(outputSize)
   self.fastBackward = true
   self:reset()
end

function Euclidean:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(1))
   end
   if nn.oldSeed then
      for i = 1, self.weight:size(2) do
         self.weight:select(2, i):apply(function() return torch.uniform(-stdv, stdv) end)
      end
   else
      self.weight:uniform(-stdv, stdv)
   end
end

-- keeps _repeat = x - w (per sample) for the backward pass
function Euclidean:updateOutput(input)
   self._input = self._input or input.new()
   self._weight = self._weight or self.weight.new()
   self._expand = self._expand or self.output.new()
   self._expand2 = self._expand2 or self.output.new()
   self._repeat = self._repeat or self.output.new()
   self._repeat2 = self._repeat2 or self.output.new()
   local nIn, nOut = self.weight:size(1), self.weight:size(2)
   if input:dim() == 1 then
      viewOrCopy(self._input, input, nIn, 1)
      self._expand:set(self._input:expandAs(self.weight))
      self._repeat:resizeAs(self._expand):copy(self._expand)
      self._repeat:add(-1, self.weight)
      self.output:norm(self._repeat, 2, 1)
      self.output:resize(nOut)
   elseif input:dim() == 2 then
      local batchSize = input:size(1)
      viewOrCopy(self._input, input, batchSize, nIn, 1)
      self._expand:set(self._input:expand(batchSize, nIn, nOut))
      self._repeat:resizeAs(self._expand):copy(self._expand)
      self._weight:set(self.weight:view(1, nIn, nOut))
      self._expand2:set(self._weight:expandAs(self._repeat))
      self._repeat:add(-1, self._expand2)
      self.output:norm(self._repeat, 2, 2)
      self.output:resize(batchSize, nOut)
   else
      error"1D or 2D input expected"
   end
   return self.output
end

-- dy_j/dx = (x - w_j) / y_j; keeps _repeat2 = (x - w) * gradOutput / y
function Euclidean:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self._div = self._div or input.new()
   self._output = self._output or self.output.new()
   self._gradOutput = self._gradOutput or input.new()
   self._expand3 = self._expand3 or input.new()
   if not self.fastBackward then self:updateOutput(input) end
   local nIn, nOut = self.weight:size(1), self.weight:size(2)
   -- a tiny offset keeps y = 0 from dividing by zero
   self._output:resizeAs(self.output):copy(self.output):add(0.0000001)
   viewOrCopy(self._gradOutput, gradOutput, gradOutput:size())
   self._div:cdiv(gradOutput, self._output)
   if input:dim() == 1 then
      self._div:resize(1, nOut)
      self._expand3:set(self._div:expandAs(self.weight))
      self._repeat2:cmul(self._repeat, self._expand3)
      self.gradInput:sum(self._repeat2, 2)
      self.gradInput:resizeAs(input)
   elseif input:dim() == 2 then
      local batchSize = input:size(1)
      self._div:resize(batchSize, 1, nOut)
      self._expand3:set(self._div:expand(batchSize, nIn, nOut))
      self._repeat2:cmul(self._repeat, self._expand3)
      self.gradInput:sum(self._repeat2, 3)
      self.gradInput:resizeAs(input)
   else
      error"1D or 2D input expected"
   end
   return self.gradInput
end

-- dy_j/dw_j = (w_j - x) / y_j: reuses _repeat2 from updateGradInput
function Euclidean:accGradParameters(input, gradOutput, scale)
   local nIn, nOut = self.weight:size(1), self.weight:size(2)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:add(-scale, self._repeat2)
   elseif input:dim() == 2 then
      self._sum = self._sum or input.new()
      self._sum:sum(self._repeat2, 1)
      self._sum:resize(nIn, nOut)
      self.gradWeight:add(-scale, self._sum)
   else
      error"1D or 2D input expected"
   end
end

function Euclidean:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function Euclidean:clearState()
   nn.utils.clear(self, {'_input', '_output', '_gradOutput', '_weight', '_div', '_sum',
                         '_expand', '_expand2', '_expand3', '_repeat', '_repeat2'})
   return parent.clearState(self)
end

return Euclidean
