-- nn.Jacobian: finite-difference checks of a module's gradients.  Each
-- jacobian is (number of inputs/parameters) x (number of outputs); `forward`
-- estimates it by central differences, `backward` builds it column by
-- column from updateGradInput/accGradParameters.  The random draws (torch.rand,
-- torch.uniform) happen in the same order as in Torch7.
nn.Jacobian = {}
local Jacobian = nn.Jacobian
local private = require 'nn._private'
local unitGradOutput = private.unitGradOutput

-- fills x with U(minval, maxval) values (drawn as torch.rand(n) scaled)
local function randomize(x, minval, maxval, n)
   x:copy(torch.rand(n or x:nElement()):mul(maxval - minval):add(minval))
end

function Jacobian.backward(module, input, param, dparam)
   local wrtParam = param ~= nil
   param = param or input
   local dout, flat = unitGradOutput(module, input)
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   for i = 1, flat:nElement() do
      dout:zero()
      flat[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      jacobian:select(2, i):copy(wrtParam and dparam or din)
   end
   return jacobian
end

function Jacobian.backwardUpdate(module, input, param)
   return private.backwardUpdate(module, input, param, false)
end

-- central differences; with `update`, rows hold param - derivative instead
local function finiteDifferences(module, input, param, perturbation, update)
   perturbation = perturbation or 1e-6
   local flat = param.new(param):resize(param:nElement())
   local jacobian = torch.Tensor():resize(param:nElement(), module:forward(input):nElement())
   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))
   for i = 1, flat:nElement() do
      local orig = flat[i]
      flat[i] = orig - perturbation
      outa:copy(module:forward(input))
      flat[i] = orig + perturbation
      outb:copy(module:forward(input))
      flat[i] = orig
      outb:add(-1, outa):div(2 * perturbation)
      local row = jacobian:select(1, i)
      row:copy(outb)
      if update then row:mul(-1):add(flat[i]) end
   end
   return jacobian
end

function Jacobian.forward(module, input, param, perturbation)
   return finiteDifferences(module, input, param or input, perturbation, false)
end

function Jacobian.forwardUpdate(module, input, param, perturbation)
   return finiteDifferences(module, input, param, perturbation, true)
end

-- second derivatives of F = sum(y^2)/2 through the hessian.lua methods
function Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   module:forward(input)
   local ones = module.output.new():resizeAs(module.output):fill(1)
   module.diagHessianWeight:zero()
   module.diagHessianBias:zero()
   module:updateDiagHessianInput(input, ones)
   module:accDiagHessianParameters(input, ones)
   return module[diagHessianParamName]
end

-- the same for a module linear in inputs and weights: sum_k (dy_k/dx_i)^2
function Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   local gradParam = module[gradParamName]
   local diag = gradParam.new():resize(gradParam:nElement()):zero()
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local flat = gradOutput:view(gradOutput:nElement())
   for i = 1, gradOutput:nElement() do
      flat:zero()
      flat[i] = 1
      module.gradWeight:zero()
      if module.bias then module.gradBias:zero() end
      module:updateGradInput(input, gradOutput)
      module:accGradParameters(input, gradOutput)
      diag:addcmul(gradParam, gradParam)
   end
   return diag
end

-- the largest absolute difference between two jacobians
local function maxError(a, b)
   return (a - b):abs():max()
end

function Jacobian.testJacobian(module, input, minval, maxval, perturbation)
   minval, maxval = minval or -2, maxval or 2
   randomize(input, minval, maxval)
   local fprop = Jacobian.forward(module, input, input, perturbation)
   local bprop = Jacobian.backward(module, input)
   return maxError(fprop, bprop)
end

function Jacobian.testJacobianParameters(module, input, param, dparam, minval, maxval, perturbation)
   minval, maxval = minval or -2, maxval or 2
   randomize(input, minval, maxval)
   randomize(param, minval, maxval)
   local bprop = Jacobian.backward(module, input, param, dparam)
   local fprop = Jacobian.forward(module, input, param, perturbation)
   return maxError(fprop, bprop)
end

function Jacobian.testJacobianUpdateParameters(module, input, param, minval, maxval, perturbation)
   minval, maxval = minval or -2, maxval or 2
   randomize(input, minval, maxval)
   randomize(param, minval, maxval)
   local bprop = Jacobian.backwardUpdate(module, input, param)
   local fprop = Jacobian.forwardUpdate(module, input, param, perturbation)
   return maxError(fprop, bprop)
end

function Jacobian.testDiagHessian(module, input, gradParamName, diagHessianParamName, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   randomize(input, minval, maxval)
   module:initDiagHessianParameters()
   local hb = Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   local hl = Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   return maxError(hb, hl)
end

function Jacobian.testDiagHessianInput(module, input, minval, maxval)
   return Jacobian.testDiagHessian(module, input, 'gradInput', 'diagHessianInput', minval, maxval)
end

function Jacobian.testDiagHessianWeight(module, input, minval, maxval)
   return Jacobian.testDiagHessian(module, input, 'gradWeight', 'diagHessianWeight', minval, maxval)
end

function Jacobian.testDiagHessianBias(module, input, minval, maxval)
   return Jacobian.testDiagHessian(module, input, 'gradBias', 'diagHessianBias', minval, maxval)
end

-- output and gradInput before and after a save/load round trip
function Jacobian.testIO(module, input, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   local inputclone = input:clone()
   module:forward(input)
   local go = module.output:clone()
   randomize(go, minval, maxval, module.output:nElement())
   local goclone = go:clone()
   module:zeroGradParameters()
   module:updateGradInput(input, go)
   module:accGradParameters(input, go)
   local fo = module.output:clone()
   local bo = module.gradInput:clone()

   local filename = os.tmpname()
   local f = torch.DiskFile(filename, 'w'):binary()
   assert(module == module:clearState(), 'clearState did not return self')
   f:writeObject(module)
   f:close()
   local m = torch.DiskFile(filename):binary():readObject()
   m:forward(inputclone)
   m:zeroGradParameters()
   m:updateGradInput(inputclone, goclone)
   m:accGradParameters(inputclone, goclone)
   os.remove(filename)

   local errb = bo - m.gradInput:clone()
   return (fo - m.output:clone()):abs():max(), errb:numel() == 0 and 0 or errb:abs():max()
end

-- accGradParameters + updateParameters, accUpdateGradParameters, and both
-- with shared weights must all give the same update
function Jacobian.testAllUpdate(module, input, weight, gradWeight)
   local lr = torch.uniform(0.1, 1)
   local errors = {}

   local maccgp = module:clone()
   local weightc = maccgp[weight]:clone()
   maccgp:forward(input)
   local gradOutput = torch.rand(maccgp.output:size())
   maccgp:zeroGradParameters()
   maccgp:updateGradInput(input, gradOutput)
   maccgp:accGradParameters(input, gradOutput)
   maccgp:updateParameters(lr)
   errors["accGradParameters"] = (weightc - maccgp[gradWeight] * lr - maccgp[weight]):norm()

   local maccugp = module:clone()
   maccugp:forward(input)
   maccugp:updateGradInput(input, gradOutput)
   maccugp:accUpdateGradParameters(input, gradOutput, lr)
   errors["accUpdateGradParameters"] = (maccugp[weight] - maccgp[weight]):norm()

   -- two modules sharing the weight: the update happens twice
   local expected = weightc - maccgp[gradWeight] * (lr * 2)
   local sh1, sh2 = module:clone(), module:clone()
   sh2:share(sh1, weight)
   sh1:forward(input); sh2:forward(input)
   sh1:zeroGradParameters(); sh2:zeroGradParameters()
   sh1:updateGradInput(input, gradOutput); sh2:updateGradInput(input, gradOutput)
   sh1:accGradParameters(input, gradOutput); sh2:accGradParameters(input, gradOutput)
   sh1:updateParameters(lr); sh2:updateParameters(lr)
   errors["accGradParameters [shared]"] = (expected - sh1[weight]):norm() + (expected - sh2[weight]):norm()

   local shu1, shu2 = module:clone(), module:clone()
   shu2:share(shu1, weight)
   shu1:forward(input); shu2:forward(input)
   shu1:updateGradInput(input, gradOutput); shu2:updateGradInput(input, gradOutput)
   shu1:accUpdateGradParameters(input, gradOutput, lr)
   shu2:accUpdateGradParameters(input, gradOutput, lr)
   errors["accUpdateGradParameters [shared]"] = (expected - shu1[weight]):norm() + (expected - shu2[weight]):norm()

   return errors
end
