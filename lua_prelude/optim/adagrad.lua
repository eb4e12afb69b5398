-- AdaGrad: each coordinate's step is divided by the root of the running sum of its
-- squared gradients (plus 1e-10).
-- config: learningRate (1e-3), learningRateDecay (0), weightDecay (0).
-- state keeps evalCounter, paramVariance (sum of squares) and paramStd.
-- Returns x, {f(x)}.
function optim.adagrad(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table, ADAGRAD initializing')
   end
   config = config or {}
   state = state or config
   local rate = config.learningRate or 1e-3
   local decay = config.learningRateDecay or 0
   local wdScalar = config.weightDecay or 0
   state.evalCounter = state.evalCounter or 0
   local step = state.evalCounter

   local fx, grad = opfunc(x)

   if wdScalar ~= 0 then
      grad:add(wdScalar, x)
   end

   local annealed = rate / (1 + step * decay)

   if state.paramVariance == nil then
      state.paramVariance = torch.Tensor():typeAs(x):resizeAs(grad):zero()
      state.paramStd = torch.Tensor():typeAs(x):resizeAs(grad)
   end
   local sumSq, root = state.paramVariance, state.paramStd
   sumSq:addcmul(1, grad, grad)
   root:resizeAs(sumSq):copy(sumSq):sqrt()
   root:add(1e-10)
   x:addcdiv(-annealed, grad, root)

   state.evalCounter = step + 1
   return x, {fx}
end
