-- Adam (Kingma & Ba, arXiv:1412.6980) with bias-corrected step size.
-- config: learningRate (1e-3), learningRateDecay (0), beta1 (0.9),
-- beta2 (0.999), epsilon (1e-8), weightDecay (0).
-- state keeps t, m (first moment), v (second moment), denom.  Returns x, {f(x)}.
function optim.adam(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local rate = config.learningRate or 0.001
   local decay = config.learningRateDecay or 0
   local beta1 = config.beta1 or 0.9
   local beta2 = config.beta2 or 0.999
   local epsilon = config.epsilon or 1e-8
   local wdScalar = config.weightDecay or 0

   local fx, grad = opfunc(x)

   if wdScalar ~= 0 then
      grad:add(wdScalar, x)
   end

   state.t = state.t or 0
   state.m = state.m or x.new(grad:size()):zero()
   state.v = state.v or x.new(grad:size()):zero()
   state.denom = state.denom or x.new(grad:size()):zero()

   local annealed = rate / (1 + state.t * decay)
   local t = state.t + 1
   state.t = t

   local m, v, denom = state.m, state.v, state.denom
   m:mul(beta1):add(1 - beta1, grad)
   v:mul(beta2):addcmul(1 - beta2, grad, grad)
   denom:copy(v):sqrt():add(epsilon)

   local correction1 = 1 - beta1 ^ t
   local correction2 = 1 - beta2 ^ t
   local stepSize = annealed * math.sqrt(correction2) / correction1
   x:addcdiv(-stepSize, m, denom)

   return x, {fx}
end
