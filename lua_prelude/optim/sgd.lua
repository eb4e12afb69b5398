-- Stochastic gradient descent with optional weight decay (global or per
-- parameter), momentum with dampening, Nesterov momentum, learning-rate annealing
-- and per-parameter learning rates.
--
-- config fields: learningRate (1e-3), learningRateDecay (0), weightDecay (0),
-- weightDecays (tensor), momentum (0), dampening (= momentum), nesterov (false),
-- learningRates (tensor).  state (= config when absent) keeps evalCounter, the
-- momentum buffer `dfdx` and the scratch tensors decayParameters/deltaParameters.
-- Returns x (updated in place) and {f(x)} measured before the step.
function optim.sgd(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local rate = config.learningRate or 1e-3
   local decay = config.learningRateDecay or 0
   local wdScalar = config.weightDecay or 0
   local wdVector = config.weightDecays
   local momentum = config.momentum or 0
   local dampening = config.dampening or momentum
   local useNesterov = config.nesterov or false
   local rateVector = config.learningRates
   state.evalCounter = state.evalCounter or 0
   local step = state.evalCounter
   assert(not useNesterov or (momentum > 0 and dampening == 0),
          "Nesterov momentum requires a momentum and zero dampening")

   local fx, grad = opfunc(x)

   -- L2 penalty, added to the gradient
   if wdScalar ~= 0 then
      grad:add(wdScalar, x)
   elseif wdVector then
      state.decayParameters = state.decayParameters
         or torch.Tensor():typeAs(x):resizeAs(grad)
      state.decayParameters:copy(wdVector):cmul(x)
      grad:add(state.decayParameters)
   end

   -- velocity: first call copies the gradient, later calls blend it in
   if momentum ~= 0 then
      local v = state.dfdx
      if v == nil then
         state.dfdx = torch.Tensor():typeAs(grad):resizeAs(grad):copy(grad)
      else
         v:mul(momentum):add(1 - dampening, grad)
      end
      if useNesterov then
         grad:add(momentum, state.dfdx)
      else
         grad = state.dfdx
      end
   end

   local annealed = rate / (1 + step * decay)

   if rateVector then
      state.deltaParameters = state.deltaParameters
         or torch.Tensor():typeAs(x):resizeAs(grad)
      state.deltaParameters:copy(rateVector):cmul(grad)
      x:add(-annealed, state.deltaParameters)
   else
      x:add(-annealed, grad)
   end

   state.evalCounter = step + 1
   return x, {fx}
end
