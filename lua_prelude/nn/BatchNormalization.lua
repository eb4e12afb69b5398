-- nn.BatchNormalization(N[, eps=1e-5, momentum=0.1, affine=true]): normalises
-- each of the N features of a batch (B x N) to zero mean and unit variance,
-- then y = x_hat * weight + bias (Ioffe & Szegedy 2015).  Training uses the
-- batch statistics and updates running_mean/running_var (not for batches of
-- one); evaluation uses the running estimates and also accepts one sample.
--
-- Written for any input whose dimension 2 holds the features, so the spatial
-- and volumetric variants only change nDim.  The per-feature sums use tensor
-- reductions (THNN sums sequentially; a Numba kernel could match it bit for bit).
local BN, parent = torch.class('nn.BatchNormalization', 'nn.Module')

BN.__version = 2
BN.nDim = 2   -- expected input dimension (a batch)

function BN:__init(nOutput, eps, momentum, affine)
   parent.__init(self)
   assert(nOutput and type(nOutput) == 'number', 'Missing argument #1: dimensionality of input. ')
   assert(nOutput ~= 0, 'To set affine=false call BatchNormalization' ..
          '(nOutput,  eps, momentum, false) ')
   if affine ~= nil then
      assert(type(affine) == 'boolean', 'affine has to be true/false')
      self.affine = affine
   else
      self.affine = true
   end
   self.eps = eps or 1e-5
   self.train = true
   self.momentum = momentum or 0.1
   self.running_mean = torch.zeros(nOutput)
   self.running_var = torch.ones(nOutput)
   if self.affine then
      self.weight = torch.Tensor(nOutput)
      self.bias = torch.Tensor(nOutput)
      self.gradWeight = torch.Tensor(nOutput)
      self.gradBias = torch.Tensor(nOutput)
      self:reset()
   end
end

function BN:reset()
   if self.weight then self.weight:uniform() end
   if self.bias then self.bias:zero() end
   self.running_mean:zero()
   self.running_var:fill(1)
end

function BN:checkInputDim(input)
   local iDim = input:dim()
   assert(iDim == self.nDim or (iDim == self.nDim - 1 and self.train == false),
          string.format('only mini-batch supported (%dD tensor), got %dD tensor instead',
                        self.nDim, iDim))
   local featDim = (iDim == self.nDim - 1) and 1 or 2
   assert(input:size(featDim) == self.running_mean:nElement(),
          string.format('got %d-feature tensor, expected %d',
                        input:size(featDim), self.running_mean:nElement()))
end

local function makeContiguous(self, input, gradOutput)
   if not input:isContiguous() then
      self._input = self._input or input.new()
      self._input:resizeAs(input):copy(input)
      input = self._input
   end
   if gradOutput and not gradOutput:isContiguous() then
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      gradOutput = self._gradOutput
   end
   return input, gradOutput
end

-- a single sample (evaluation only) becomes a batch of one
local function makeBatch(self, input)
   if self.train == false and input:dim() == self.nDim - 1 then
      return nn.utils.addSingletonDimension(input, input, 1)
   end
   return input
end

-- per-feature vector v seen with the shape of x (1 x C x 1 x ...)
local function along_features(v, x)
   local shape = {}
   for d = 1, x:dim() do shape[d] = 1 end
   shape[2] = x:size(2)
   return v:view(table.unpack(shape)):expandAs(x)
end

-- a copy of x as C rows of n values
local function by_feature(x)
   return x:transpose(1, 2):clone():view(x:size(2), -1)
end

-- per-feature statistics the forward and backward passes use
local function mean_invstd(self, input, useBatch)
   if useBatch then return self.save_mean, self.save_std end
   if require('nn._private').isFloat(self.running_var) then
      -- THNN (float): 1 / sqrt(var + eps) in double, rounded to float
      return self.running_mean, self.running_var:double():add(self.eps):sqrt():cinv():float()
   end
   local invstd = self.running_var:clone():add(self.eps):sqrt():cinv()
   return self.running_mean, invstd
end

function BN:updateOutput(input)
   self:checkInputDim(input)
   input = makeContiguous(self, input)
   input = makeBatch(self, input)
   self.save_mean = self.save_mean or input.new()
   self.save_mean:resizeAs(self.running_mean)
   self.save_std = self.save_std or input.new()
   self.save_std:resizeAs(self.running_var)
   local C = input:size(2)
   local n = input:nElement() / C
   local train = self.train and input:size(1) > 1
   if train then
      local x = by_feature(input)
      self.save_mean:copy(x:sum(2)):div(n)
      local centered = x:add(-1, self.save_mean:view(C, 1):expandAs(x))
      if require('nn._private').isFloat(input) then
         -- THNN (float): float products summed in double (accreal); invstd
         -- and the running averages computed in double, rounded to float
         local vs = centered:cmul(centered):double():sum(2):view(C)
         local sd = vs:clone():div(n):add(self.eps):sqrt():cinv()
         if self.eps == 0 then sd:maskedFill(vs:eq(0), 0) end
         self.save_std:copy(sd)
         local m = self.momentum
         self.running_mean:copy(self.running_mean:double():mul(1 - m):add(m, self.save_mean:double()))
         self.running_var:copy(self.running_var:double():mul(1 - m):add(m, vs:div(n - 1)))
         local mean, invstd = self.save_mean, self.save_std
         self.output:resizeAs(input):copy(input)
         self.output:add(-1, along_features(mean, input)):cmul(along_features(invstd, input))
         if self.weight then self.output:cmul(along_features(self.weight, input)) end
         if self.bias then self.output:add(along_features(self.bias, input)) end
         return self.output
      end
      local varsum = centered:cmul(centered):sum(2):view(C)
      self.save_std:copy(varsum):div(n):add(self.eps):sqrt():cinv()
      if self.eps == 0 then self.save_std:maskedFill(varsum:eq(0), 0) end
      self.running_mean:mul(1 - self.momentum):add(self.momentum, self.save_mean)
      self.running_var:mul(1 - self.momentum):add(self.momentum, varsum:clone():div(n - 1))
   end
   local mean, invstd = mean_invstd(self, input, train)
   self.output:resizeAs(input):copy(input)
   self.output:add(-1, along_features(mean, input)):cmul(along_features(invstd, input))
   if self.weight then self.output:cmul(along_features(self.weight, input)) end
   if self.bias then self.output:add(along_features(self.bias, input)) end
   return self.output
end

local function backward(self, input, gradOutput, scale, gradInput, gradWeight, gradBias)
   self:checkInputDim(input)
   self:checkInputDim(gradOutput)
   assert(self.save_mean and self.save_std, 'must call :updateOutput() first')
   input, gradOutput = makeContiguous(self, input, gradOutput)
   input = makeBatch(self, input)
   gradOutput = makeBatch(self, gradOutput)
   scale = scale or 1
   local C = input:size(2)
   local n = input:nElement() / C
   local train = self.train and input:size(1) > 1
   local mean, invstd = mean_invstd(self, input, train)

   -- per feature: sum of gradOutput, and (x - mean) . gradOutput
   local g = by_feature(gradOutput)
   local gsum = g:sum(2):view(C)
   local centered = by_feature(input)
   centered:add(-1, mean:view(C, 1):expandAs(centered))
   local dotp = centered:cmul(g):sum(2):view(C)
   if require('nn._private').isFloat(input) then
      -- THNN (float): sums in double (accreal) of float products; k in float;
      -- the training gradInput and the parameter updates in double
      local gsumD = g:double():sum(2):view(C)
      local dotpD = centered:double():sum(2):view(C)
      if gradInput then
         gradInput:resizeAs(input)
         if train then
            local k = invstd.new():resizeAs(invstd):copy(dotpD):cmul(invstd):cmul(invstd):div(n)
            gradInput:copy(input):add(-1, along_features(mean, input)):cmul(along_features(k, input))
            local gd = gradOutput:double()
            gd:add(-1, along_features(gsumD:clone():div(n), gd)):add(-1, gradInput:double())
            gd:cmul(along_features(invstd:double(), gd))
            if self.weight then gd:cmul(along_features(self.weight:double(), gd)) end
            gradInput:copy(gd)
         else
            gradInput:copy(gradOutput):cmul(along_features(invstd, input))
            if self.weight then gradInput:cmul(along_features(self.weight, input)) end
         end
      end
      if gradWeight then
         gradWeight:copy(gradWeight:double():add(dotpD:clone():mul(scale):cmul(invstd:double())))
      end
      if gradBias then gradBias:copy(gradBias:double():add(scale, gsumD)) end
      return self.gradInput
   end

   if gradInput then
      gradInput:resizeAs(input)
      local invstdE = along_features(invstd, input)
      if train then
         -- (g - mean(g) - (x - mean) * dotp * invstd^2 / n) * invstd * w
         local k = dotp:clone():cmul(invstd):cmul(invstd):div(n)
         gradInput:copy(input):add(-1, along_features(mean, input)):cmul(along_features(k, input))
         local gradMean = gsum:clone():div(n)
         local shifted = gradOutput:clone():add(-1, along_features(gradMean, input))
         gradInput:mul(-1):add(shifted)
      else
         gradInput:copy(gradOutput)
      end
      gradInput:cmul(invstdE)
      if self.weight then gradInput:cmul(along_features(self.weight, input)) end
   end
   if gradWeight then gradWeight:add(scale, dotp:cmul(invstd)) end
   if gradBias then gradBias:add(scale, gsum) end
   return self.gradInput
end

function BN:backward(input, gradOutput, scale)
   return backward(self, input, gradOutput, scale, self.gradInput, self.gradWeight, self.gradBias)
end

function BN:updateGradInput(input, gradOutput)
   return backward(self, input, gradOutput, 1, self.gradInput)
end

function BN:accGradParameters(input, gradOutput, scale)
   return backward(self, input, gradOutput, scale, nil, self.gradWeight, self.gradBias)
end

-- version 1 kept running_std (1/sqrt(var + eps))
function BN:read(file, version)
   parent.read(self, file)
   if version < 2 and self.running_std then
      self.running_var = self.running_std:pow(-2):add(-self.eps)
      self.running_std = nil
   end
end

function BN:clearState()
   -- the first five only exist in modules saved by older versions
   nn.utils.clear(self, {'buffer', 'buffer2', 'centered', 'std', 'normalized',
                         '_input', '_gradOutput', 'save_mean', 'save_std'})
   return parent.clearState(self)
end

function BN:__tostring__()
   return string.format('%s (%dD) (%d)', torch.type(self), self.nDim, self.running_mean:nElement())
end

return BN
