-- Resilient backpropagation (Riedmiller): per-coordinate step sizes grow by
-- etaplus while the gradient keeps its sign and shrink by etaminus when it flips;
-- x moves by the step size against the sign of the gradient.
-- config: stepsize (0.1), etaplus (1.2), etaminus (0.5), stepsizemax (50),
-- stepsizemin (1e-6), niter (1).  state keeps delta (previous gradient),
-- stepsize (tensor), sign and the byte masks psign, nsign, zsign, dminmax.
-- Returns x and the list of f(x) values met (one per inner iteration).
function optim.rprop(opfunc, x, config, state)
   if config == nil and state == nil then
      print('no state table RPROP initializing')
   end
   config = config or {}
   state = state or config
   local stepsize = config.stepsize or 0.1
   local etaplus = config.etaplus or 1.2
   local etaminus = config.etaminus or 0.5
   local stepsizemax = config.stepsizemax or 50.0
   local stepsizemin = config.stepsizemin or 1E-06
   local niter = config.niter or 1

   local seen = {}
   for _ = 1, niter do
      local fx, grad = opfunc(x)

      if state.delta == nil then
         local size = grad:size()
         state.delta = grad.new(size):zero()
         state.stepsize = grad.new(size):fill(stepsize)
         state.sign = grad.new(size)
         state.psign = torch.ByteTensor(size)
         state.nsign = torch.ByteTensor(size)
         state.zsign = torch.ByteTensor(size)
         state.dminmax = torch.ByteTensor(size)
      end
      local sign, steps, clip = state.sign, state.stepsize, state.dminmax

      -- did each coordinate's gradient keep (>0), flip (<0) or vanish (==0)?
      torch.cmul(sign, grad, state.delta)
      torch.sign(sign, sign)
      sign.gt(state.psign, sign, 0)
      sign.lt(state.nsign, sign, 0)
      sign.eq(state.zsign, sign, 0)

      -- turn those masks into step-size factors and apply them
      sign[state.psign] = etaplus
      sign[state.nsign] = etaminus
      sign[state.zsign] = 1
      steps:cmul(sign)

      -- keep the step sizes inside [stepsizemin, stepsizemax]
      steps.gt(clip, steps, stepsizemax)
      steps[clip] = stepsizemax
      steps.lt(clip, steps, stepsizemin)
      steps[clip] = stepsizemin

      -- after a sign flip the coordinate waits one step (gradient taken as 0)
      grad[state.nsign] = 0
      torch.sign(sign, grad)
      x:addcmul(-1, sign, steps)

      state.delta:copy(grad)
      seen[#seen + 1] = fx
   end

   return x, seen
end
