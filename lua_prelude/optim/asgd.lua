-- Averaged SGD (Bottou's sgd-2.0 variant):
--    x   <- (1 - lambda*eta_t) x - eta_t * df/dx
--    ax  <- ax + mu_t (x - ax)
--    eta_t = eta0 / (1 + lambda*eta0*t)^alpha,   mu_t = 1 / max(1, t - t0)
-- config: eta0 (1e-4), lambda (1e-4), alpha (0.75), t0 (1e6); the defaults are
-- written back into config, as Torch7 does.  state keeps eta_t, mu_t, t, ax, tmp.
-- Returns x, {f(x) before the step}, ax.
function optim.asgd(opfunc, x, config, state)
   config = config or {}
   state = state or config
   config.eta0 = config.eta0 or 1e-4
   config.lambda = config.lambda or 1e-4
   config.alpha = config.alpha or 0.75
   config.t0 = config.t0 or 1e6

   state.eta_t = state.eta_t or config.eta0
   state.mu_t = state.mu_t or 1
   state.t = state.t or 0

   local fx, grad = opfunc(x)

   x:mul(1 - config.lambda * state.eta_t)
   x:add(-state.eta_t, grad)

   if not state.ax then
      state.ax = torch.Tensor():typeAs(x):resizeAs(x):zero()
   end
   if not state.tmp then
      state.tmp = torch.Tensor():typeAs(state.ax):resizeAs(state.ax)
   end
   if state.mu_t == 1 then
      state.ax:copy(x)
   else
      local diff = state.tmp
      diff:copy(x)
      diff:add(-1, state.ax):mul(state.mu_t)
      state.ax:add(diff)
   end

   local t = state.t + 1
   state.t = t
   state.eta_t = config.eta0 / math.pow(1 + config.lambda * config.eta0 * t, config.alpha)
   state.mu_t = 1 / math.max(1, t - config.t0)

   return x, {fx}, state.ax
end
