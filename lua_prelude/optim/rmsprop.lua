-- RMSprop: divide the gradient by a leaky root-mean-square of recent gradients.
-- config: learningRate (1e-2), alpha (0.99), epsilon (1e-8), weightDecay (0),
-- initialMean (0, the starting value of m).  state keeps m and tmp.
-- Returns x, {f(x)}.
function optim.rmsprop(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local rate = config.learningRate or 1e-2
   local alpha = config.alpha or 0.99
   local epsilon = config.epsilon or 1e-8
   local wdScalar = config.weightDecay or 0
   local initialMean = config.initialMean or 0

   local fx, grad = opfunc(x)

   if wdScalar ~= 0 then
      grad:add(wdScalar, x)
   end

   if state.m == nil then
      state.m = torch.Tensor():typeAs(x):resizeAs(grad):fill(initialMean)
      state.tmp = torch.Tensor():typeAs(x):resizeAs(grad)
   end
   local meanSq, root = state.m, state.tmp

   meanSq:mul(alpha)
   meanSq:addcmul(1.0 - alpha, grad, grad)

   root:sqrt(meanSq):add(epsilon)
   x:addcdiv(-rate, grad, root)

   return x, {fx}
end
