-- nn.Cosine(inputSize, outputSize): y_j = w_j . x / (||w_j|| ||x||), w_j the
-- j-th row of the weight.
local Cosine, parent = torch.class('nn.Cosine', 'nn.Module')

function Cosine:__init(inputSize, outputSize)
   parent.__init(self)
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   self:reset()
end

function Cosine:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(1))
   end
   self.weight:uniform(-stdv, stdv)
end

function Cosine:updateOutput(input)
   local nOut = self.weight:size(1)
   self._weightNorm = self._weightNorm or self.weight.new()
   self._inputNorm = self._inputNorm or self.weight.new()
   self._weightNorm:norm(self.weight, 2, 2):add(1e-12)
   if input:dim() == 1 then
      self.output:resize(nOut):zero()
      self.output:addmv(1, self.weight, input)
      self.__norm = input:norm() + 1e-12
      self.output:cdiv(self._weightNorm:view(nOut)):div(self.__norm)
   elseif input:dim() == 2 then
      local before = self.output:nElement()
      self.output:resize(input:size(1), nOut)
      if self.output:nElement() ~= before then self.output:zero() end
      self.output:addmm(0, self.output, 1, input, self.weight:t())
      self._inputNorm:norm(input, 2, 2):add(1e-12)
      self.output:cdiv(self._weightNorm:view(1, nOut):expandAs(self.output))
      self.output:cdiv(self._inputNorm:expandAs(self.output))
   else
      error('input must be vector or matrix')
   end
   return self.output
end

-- dy_j/dx_i = w_ji / (||w_j|| ||x||) - y_j x_i / ||x||^2
function Cosine:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local nOut = self.weight:size(1)
   local before = self.gradInput:nElement()
   self.gradInput:resizeAs(input)
   if self.gradInput:nElement() ~= before then self.gradInput:zero() end
   if input:dim() == 1 then
      self._weight = self._weight or input.new()
      self._weight:resizeAs(self.weight):copy(self.weight)
      self._weight:cdiv(self._weightNorm:expandAs(self.weight))
      self._weight:div(self.__norm)
      self._weight:addr(1, self._weight, -1 / (self.__norm * self.__norm), self.output, input)
      self.gradInput:addmv(0, 1, self._weight:t(), gradOutput)
   elseif input:dim() == 2 then
      local inputNorm = self._inputNorm:expandAs(input)
      local weightNorm = self._weightNorm:view(1, nOut):expandAs(gradOutput)
      self.gradInput:copy(input):cdiv(inputNorm)
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      self._gradOutput:cmul(self.output)
      self._sum = self._sum or input.new()
      self._sum:sum(self._gradOutput, 2)
      self.gradInput:cmul(self._sum:expandAs(input))
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      self._gradOutput:cdiv(weightNorm)
      self.gradInput:addmm(-1, self.gradInput, 1, self._gradOutput, self.weight)
      self.gradInput:cdiv(inputNorm)
   end
   return self.gradInput
end

-- dy_j/dw_ji = x_i / (||w_j|| ||x||) - y_j w_ji / ||w_j||^2.
-- As in Torch7, `scale` only reaches the first term of the non-batch case.
function Cosine:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local nOut = self.weight:size(1)
   if input:dim() == 1 then
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      local weightNorm = self._weightNorm:view(nOut)
      self._gradOutput:cdiv(weightNorm)
      self.gradWeight:addr(scale / self.__norm, self._gradOutput, input)
      self._gradOutput:cdiv(weightNorm)
      self._gradOutput:cmul(self.output)
      self._weight = self._weight or self.weight.new()
      self._weight:resizeAs(self._weight):copy(self.weight)
      self._weight:cmul(self._gradOutput:view(nOut, 1):expandAs(self.weight))
      self.gradWeight:add(-1, self._weight)
   elseif input:dim() == 2 then
      self._weight = self._weight or self.weight.new()
      self._weight:resizeAs(self.weight):copy(self.weight)
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      self._gradOutput:cmul(self.output)
      self._sum = self._sum or input.new()
      self._sum:sum(self._gradOutput, 1)
      local grad = self._sum[1]
      grad:cdiv(self._weightNorm:select(2, 1))
      self._weight:cmul(grad:view(nOut, 1):expandAs(self._weight))
      local xn = self._gradOutput   -- reused as x / ||x||
      xn:resizeAs(input):copy(input)
      xn:cdiv(self._inputNorm:expandAs(input))
      self._weight:addmm(-1, self._weight, 1, gradOutput:t(), xn)
      self._weight:cdiv(self._weightNorm:expandAs(self._weight))
      self.gradWeight:add(self._weight)
   else
      error"1D or 2D input expected"
   end
end

function Cosine:type(typename, tensorCache)
   if typename then
      self._input = nil
      self._weight = nil
      self._inputNorm = nil
      self._weightNorm = nil
      self._gradOutput = nil
      self._sum = nil
   end
   return parent.type(self, typename, tensorCache)
end

function Cosine:clearState()
   nn.utils.clear(self, {'_input', '_weight', '_gradOutput', '_sum', '_inputNorm', '_weightNorm'})
   return parent.clearState(self)
end

return Cosine
