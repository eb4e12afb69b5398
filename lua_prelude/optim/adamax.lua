-- AdaMax, the infinity-norm variant of Adam (arXiv:1412.6980, section 7).
-- config: learningRate (0.002), beta1 (0.9), beta2 (0.999), epsilon (1e-38),
-- weightDecay (0).  state keeps t, m, u (weighted infinity norm) and max, a
-- 2 x size scratch tensor.  Returns x, {f(x)}.
function optim.adamax(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local rate = config.learningRate or 0.002
   local beta1 = config.beta1 or 0.9
   local beta2 = config.beta2 or 0.999
   local epsilon = config.epsilon or 1e-38
   local wdScalar = config.weightDecay or 0

   local fx, grad = opfunc(x)

   if wdScalar ~= 0 then
      grad:add(wdScalar, x)
   end

   state.t = state.t or 0
   state.m = state.m or x.new(grad:size()):zero()
   state.u = state.u or x.new(grad:size()):zero()
   state.max = state.max or x.new(2, unpack(grad:size():totable())):zero()

   local t = state.t + 1
   state.t = t

   local m, u, both = state.m, state.u, state.max
   m:mul(beta1):add(1 - beta1, grad)
   -- u <- max(beta2 * u, |g| + epsilon), elementwise
   both[1]:copy(u):mul(beta2)
   both[2]:copy(grad):abs():add(epsilon)
   u:max(both, 1)

   local stepSize = rate / (1 - beta1 ^ t)
   x:addcdiv(-stepSize, m, u)

   return x, {fx}
end
