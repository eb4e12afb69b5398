-- nn.WeightedEuclidean(inputSize, outputSize): y_j = ||c_j .* (x - w_j)||
-- with a learnable diagonal scale c_j (diagCov) per output.
local WeightedEuclidean, parent = torch.class('nn.WeightedEuclidean', 'nn.Module')
local viewOrCopy = require('nn._private').viewOrCopy

function WeightedEuclidean:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   self.diagCov = torch.Tensor(inputSize, outputSize)
   self.gradDiagCov = torch.Tensor(inputSize, outputSize)
   self:reset()
end

function WeightedEuclidean:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
   self.diagCov:fill(1)
end

-- keeps _repeat = c .* (x - w) for the backward pass
function WeightedEuclidean:updateOutput(input)
   self._diagCov = self._diagCov or self.output.new()
   self._input = self._input or input.new()
   self._weight = self._weight or self.weight.new()
   self._expand = self._expand or self.output.new()
   self._expand2 = self._expand2 or self.output.new()
   self._expand3 = self._expand3 or self.output.new()
   self._repeat = self._repeat or self.output.new()
   self._repeat2 = self._repeat2 or self.output.new()
   self._repeat3 = self._repeat3 or self.output.new()
   local nIn, nOut = self.weight:size(1), self.weight:size(2)
   if input:dim() == 1 then
      viewOrCopy(self._input, input, nIn, 1)
      self._expand:set(self._input:expandAs(self.weight))
      self._repeat:resizeAs(self._expand):copy(self._expand)
      self._repeat:add(-1, self.weight)
      self._repeat:cmul(self.diagCov)
      self.output:norm(self._repeat, 2, 1)
      self.output:resize(nOut)
   elseif input:dim() == 2 then
      local batchSize = input:size(1)
      viewOrCopy(self._input, input, batchSize, nIn, 1)
      self._expand:set(self._input:expand(batchSize, nIn, nOut))
      self._repeat:resizeAs(self._expand):copy(self._expand)
      self._weight:set(self.weight:view(1, nIn, nOut))
      self._expand2:set(self._weight:expandAs(self._repeat))
      self._diagCov:set(self.diagCov:view(1, nIn, nOut))
      self._expand3:set(self._diagCov:expandAs(self._repeat))
      self._repeat:add(-1, self._expand2)
      self._repeat:cmul(self._expand3)
      self.output:norm(self._repeat, 2, 2)
      self.output:resize(batchSize, nOut)
   else
      error"1D or 2D input expected"
   end
   return self.output
end

-- dy_j/dx = c_j^2 .* (x - w_j) / y_j; keeps _repeat2 (that times gradOutput)
function WeightedEuclidean:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self._div = self._div or input.new()
   self._output = self._output or self.output.new()
   self._expand4 = self._expand4 or input.new()
   self._gradOutput = self._gradOutput or input.new()
   if not self.fastBackward then self:updateOutput(input) end
   local nIn, nOut = self.weight:size(1), self.weight:size(2)
   self._output:resizeAs(self.output):copy(self.output):add(0.0000001)
   viewOrCopy(self._gradOutput, gradOutput, gradOutput:size())
   self._div:cdiv(gradOutput, self._output)
   if input:dim() == 1 then
      self._div:resize(1, nOut)
      self._expand4:set(self._div:expandAs(self.weight))
      self._repeat2:cmul(self._repeat, self._expand4)
      self._repeat2:cmul(self.diagCov)
      self.gradInput:sum(self._repeat2, 2)
      self.gradInput:resizeAs(input)
   elseif input:dim() == 2 then
      local batchSize = input:size(1)
      self._div:resize(batchSize, 1, nOut)
      self._expand4:set(self._div:expand(batchSize, nIn, nOut))
      self._repeat2:cmul(self._repeat, self._expand4)
      self._repeat2:cmul(self._expand3)
      self.gradInput:sum(self._repeat2, 3)
      self.gradInput:resizeAs(input)
   else
      error"1D or 2D input expected"
   end
   return self.gradInput
end

-- dy_j/dw_j = -(dy_j/dx); dy_j/dc_j = c_j .* (x - w_j)^2 / y_j.
-- As in Torch7, the non-batch diagCov gradient is accumulated without `scale`.
function WeightedEuclidean:accGradParameters(input, gradOutput, scale)
   local nIn, nOut = self.weight:size(1), self.weight:size(2)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:add(-scale, self._repeat2)
      self._repeat:cdiv(self.diagCov)
      self._repeat:cmul(self._repeat)
      self._repeat:cmul(self.diagCov)
      self._repeat2:cmul(self._repeat, self._expand4)
      self.gradDiagCov:add(self._repeat2)
   elseif input:dim() == 2 then
      self._sum = self._sum or input.new()
      self._sum:sum(self._repeat2, 1)
      self._sum:resize(nIn, nOut)
      self.gradWeight:add(-scale, self._sum)
      self._repeat:cdiv(self._expand3)
      self._repeat:cmul(self._repeat)
      self._repeat:cmul(self._expand3)
      self._repeat:cmul(self._expand4)
      self._sum:sum(self._repeat, 1)
      self._sum:resize(nIn, nOut)
      self.gradDiagCov:add(scale, self._sum)
   else
      error"1D or 2D input expected"
   end
end

function WeightedEuclidean:type(typename, tensorCache)
   if typename then
      for _, k in ipairs({'_input', '_output', '_gradOutput', '_weight', '_div', '_sum',
                          '_expand', '_expand2', '_expand3', '_expand4',
                          '_repeat', '_repeat2', '_repeat3'}) do
         self[k] = nil
      end
   end
   return parent.type(self, typename, tensorCache)
end

function WeightedEuclidean:parameters()
   return {self.weight, self.diagCov}, {self.gradWeight, self.gradDiagCov}
end

function WeightedEuclidean:accUpdateGradParameters(input, gradOutput, lr)
   local gradWeight, gradDiagCov = self.gradWeight, self.gradDiagCov
   self.gradWeight, self.gradDiagCov = self.weight, self.diagCov
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradDiagCov = gradWeight, gradDiagCov
end

return WeightedEuclidean
