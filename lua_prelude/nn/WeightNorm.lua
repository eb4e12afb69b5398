-- nn.WeightNorm(module, outputDim=1): re-parametrises the wrapped module's
-- weight as w = g * v / ||v|| (norm per output unit, over the other dims);
-- v and g become the parameters.  Weights of any shape are handled as a 2-D
-- nOut x (everything else) matrix, moving outputDim to the front.
local WeightNorm, parent = torch.class('nn.WeightNorm', 'nn.Decorator')

function WeightNorm:__init(module, outputDim)
   parent.__init(self, module)
   assert(module.weight)
   if module.bias then
      self.bias = module.bias
      self.gradBias = module.gradBias
   end
   self.gradWeight = module.gradWeight
   self.weight = module.weight
   self.outputDim = outputDim or 1

   self.otherDims = 1
   for d = 1, self.weight:dim() do
      if d ~= self.outputDim then self.otherDims = self.otherDims * self.weight:size(d) end
   end
   local nOut = self.weight:size(self.outputDim)
   self.viewIn = torch.LongStorage({nOut, self.otherDims})
   -- the weight's sizes with outputDim moved first
   self.viewOut = self.weight:size()
   self.weightSize = self.weight:size()
   for d = self.outputDim - 1, 1, -1 do
      self.viewOut[d], self.viewOut[d + 1] = self.viewOut[d + 1], self.viewOut[d]
   end

   self.v = torch.Tensor(nOut, self.otherDims)
   self.g = torch.Tensor(nOut)
   self._norm = torch.Tensor(nOut)
   self._scale = torch.Tensor(nOut)
   self.gradG = torch.Tensor(nOut):zero()
   self.gradV = torch.Tensor(self.viewIn)
   self:resetInit()
end

-- outputDim to the front (and back), by adjacent transpositions
function WeightNorm:permuteIn(x)
   for d = self.outputDim - 1, 1, -1 do x = x:transpose(d, d + 1) end
   return x
end

function WeightNorm:permuteOut(x)
   for d = 1, self.outputDim - 1 do x = x:transpose(d, d + 1) end
   return x
end

function WeightNorm:resetInit(inputSize, outputSize)
   self.v:normal(0, math.sqrt(2 / self.viewIn[2]))
   self.g:norm(self.v, 2, 2)
   if self.bias then self.bias:zero() end
end

function WeightNorm:evaluate()
   if self.train ~= false then
      self:updateWeight()
      parent.evaluate(self)
   end
end

-- weight = g * v / sqrt(||v||^2 + 1e-4), written back in the module's layout
function WeightNorm:updateWeight()
   local nOut, nIn = self.viewIn[1], self.viewIn[2]
   self.gradV:copy(self:permuteIn(self.weight))
   self.gradV = self.gradV:view(self.viewIn)
   self._norm:norm(self.v, 2, 2):pow(2):add(10e-5):sqrt()
   self.gradV:copy(self.v)
   self._scale:copy(self.g):cdiv(self._norm)
   self.gradV:cmul(self._scale:view(nOut, 1):expand(nOut, nIn))
   self.gradV = self.gradV:view(self.viewOut)
   self.weight:copy(self:permuteOut(self.gradV))
end

function WeightNorm:updateOutput(input)
   if self.train ~= false then self:updateWeight() end
   self.output:set(self.modules[1]:updateOutput(input))
   return self.output
end

-- from dL/dw (the module's gradWeight) to dL/dg and dL/dv; self.weight is
-- borrowed as scratch space and restored (the module's forward rewrites it)
function WeightNorm:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self.modules[1]:accGradParameters(input, gradOutput, scale)
   local nOut, nIn = self.viewIn[1], self.viewIn[2]

   self.weight:copy(self:permuteIn(self.weight))
   self.gradV:copy(self:permuteIn(self.gradWeight))
   self.weight = self.weight:view(self.viewIn)

   local norm = self._norm:view(nOut, 1):expand(nOut, nIn)
   local sc = self._scale:view(nOut, 1):expand(nOut, nIn)

   -- dL/dg = sum(dL/dw * v / ||v||)
   self.weight:copy(self.gradV):cmul(self.v):cdiv(norm)
   self.gradG:sum(self.weight, 2)
   -- dL/dv = g/||v|| * dL/dw - dL/dg * g * v / ||v||^2
   self.gradV:cmul(sc)
   self.weight:copy(self.v):cmul(sc):cdiv(norm)
   self.weight:cmul(self.gradG:view(nOut, 1):expand(nOut, nIn))
   self.gradV:add(-1, self.weight)

   self.gradV = self.gradV:view(self.viewOut)
   self.weight = self.weight:view(self.viewOut)
   self.gradWeight:copy(self:permuteOut(self.gradV))
end

function WeightNorm:updateGradInput(input, gradOutput)
   self.gradInput:set(self.modules[1]:updateGradInput(input, gradOutput))
   return self.gradInput
end

function WeightNorm:zeroGradParameters()
   self.modules[1]:zeroGradParameters()
   self.gradV:zero()
   self.gradG:zero()
end

function WeightNorm:updateParameters(lr)
   self.modules[1]:updateParameters(lr)
   self.g:add(-lr, self.gradG)
   self.v:add(-lr, self.gradV)
end

function WeightNorm:parameters()
   if self.bias then
      return {self.v, self.g, self.bias}, {self.gradV, self.gradG, self.gradBias}
   end
   return {self.v, self.g}, {self.gradV, self.gradG}
end

-- weight and gradWeight are not saved: they follow from v and g
function WeightNorm:write(file)
   local inner = self.modules[1]
   local weight, gradWeight = inner.weight, inner.gradWeight
   self.weight, self.gradWeight = nil, nil
   inner.weight, inner.gradWeight = nil, nil
   self.weightSize = self.weightSize or weight:size()
   parent.write(self, file)
   inner.weight, inner.gradWeight = weight, gradWeight
   self.weight, self.gradWeight = weight, gradWeight
end

function WeightNorm:read(file)
   parent.read(self, file)
   if not self.weight then
      local inner = self.modules[1]
      inner.weight = self.v.new(self.weightSize)
      inner.gradWeight = self.v.new(self.weightSize)
      self.weight, self.gradWeight = inner.weight, inner.gradWeight
      self:updateWeight()
      self.gradWeight:copy(self:permuteOut(self.gradV))
   end
end

return WeightNorm
