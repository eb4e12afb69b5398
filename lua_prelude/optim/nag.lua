-- SGD with Nesterov's accelerated gradient as in Sutskever et al. (ICML 2013):
-- the gradient is taken after first moving x along the stored velocity.
-- config: learningRate (1e-3), learningRateDecay (0), weightDecay (0),
-- momentum (0.9, must be > 0), learningRates (tensor).  state keeps evalCounter,
-- the velocity `dfdx` and deltaParameters.  Returns x, {f(x)}.
function optim.nag(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local rate = config.learningRate or 1e-3
   local decay = config.learningRateDecay or 0
   local wdScalar = config.weightDecay or 0
   local momentum = config.momentum or 0.9
   local rateVector = config.learningRates
   state.evalCounter = state.evalCounter or 0
   local step = state.evalCounter

   if momentum <= 0 then
      error('Momentum must be positive for Nesterov Accelerated Gradient')
   end

   -- look ahead along the velocity, then measure the gradient there
   local velocity = state.dfdx
   if velocity then
      x:add(momentum, velocity)
   end
   local fx, grad = opfunc(x)

   if wdScalar ~= 0 then
      grad:add(wdScalar, x)
   end

   local annealed = rate / (1 + step * decay)

   if velocity == nil then
      velocity = torch.Tensor():typeAs(grad):resizeAs(grad):fill(0)
      state.dfdx = velocity
   else
      velocity:mul(momentum)
   end

   local move = grad
   if rateVector then
      state.deltaParameters = state.deltaParameters
         or torch.Tensor():typeAs(x):resizeAs(grad)
      state.deltaParameters:copy(rateVector):cmul(grad)
      move = state.deltaParameters
   end
   x:add(-annealed, move)
   velocity:add(-annealed, move)

   state.evalCounter = step + 1
   return x, {fx}
end
