-- ADADELTA (Zeiler 2012, arXiv:1212.5701): steps are the ratio of the RMS of past
-- steps to the RMS of past gradients, times the gradient.
-- config: rho (0.9), eps (1e-6), weightDecay (0).
-- state keeps evalCounter, paramVariance, paramStd, delta, accDelta.
-- Returns x, {f(x)}.
function optim.adadelta(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table, ADADELTA initializing')
   end
   config = config or {}
   state = state or config
   local rho = config.rho or 0.9
   local eps = config.eps or 1e-6
   local wdScalar = config.weightDecay or 0
   state.evalCounter = state.evalCounter or 0

   local fx, grad = opfunc(x)

   if wdScalar ~= 0 then
      grad:add(wdScalar, x)
   end

   if state.paramVariance == nil then
      local function fresh() return torch.Tensor():typeAs(x):resizeAs(grad):zero() end
      state.paramVariance = fresh()
      state.paramStd = fresh()
      state.delta = fresh()
      state.accDelta = fresh()
   end
   local gradSq, gradRms = state.paramVariance, state.paramStd
   local stepVec, stepSq = state.delta, state.accDelta

   gradSq:mul(rho):addcmul(1 - rho, grad, grad)
   gradRms:resizeAs(gradSq):copy(gradSq):add(eps):sqrt()
   stepVec:resizeAs(gradSq):copy(stepSq):add(eps):sqrt()
   stepVec:cdiv(gradRms):cmul(grad)
   x:add(-1, stepVec)
   stepSq:mul(rho):addcmul(1 - rho, stepVec, stepVec)

   state.evalCounter = state.evalCounter + 1
   return x, {fx}
end
