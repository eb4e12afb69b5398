-- FISTA (Beck & Teboulle 2009) with backtracking on L, for problems f(x) + g(x)
-- with f smooth and g handled by the proximal step pl.
--
-- optim.FistaLS(f, g, pl, xinit, params):
--   f(x)        -> value;  f(x, 'dx') -> value, gradient
--   g(x)        -> value of the non-smooth term
--   pl(x, L)    solves the proximal problem in place in x
--   params: L (0.1), Lstep (1.5), maxiter (50), maxline (20), errthres (1e-4),
--           doFistaUpdate (momentum step when true; plain ISTA otherwise),
--           verbose.  params.L is updated, and params.xkm/y/ply are kept as
--           scratch tensors for the next call.
-- Returns the solution (also copied into xinit) and a history table with one
-- entry per iteration: nline, L, F, Fply, Gply, Q (plus xk, y when verbose).
function optim.FistaLS(f, g, pl, xinit, params)
   params = params or {}
   local L = params.L or 0.1
   local Lstep = params.Lstep or 1.5
   local maxiter = params.maxiter or 50
   local maxline = params.maxline or 20
   local errthres = params.errthres or 1e-4
   local doFistaUpdate = params.doFistaUpdate
   local verbose = params.verbose

   params.xkm = params.xkm or torch.Tensor()
   params.y = params.y or torch.Tensor()
   params.ply = params.ply or torch.Tensor()
   local xPrev, y, trial = params.xkm, params.y, params.ply

   local xk = xinit
   xPrev:resizeAs(xk):zero()
   trial:resizeAs(xk):zero()
   y:resizeAs(xk):zero()

   local history = {}
   local iter = 0
   local tk, tNext = 1, 0
   local gy = g(y) -- evaluated once, as Torch7 does
   local F = math.huge

   while iter < maxiter do
      local fy, gradY = f(y, 'dx')
      local fTrial, gTrial, Q = 0, 0, 0

      -- backtracking: grow L until the quadratic model bounds f at the trial
      local nline = 0
      local searching = true
      while searching do
         trial:copy(y)
         trial:add(-1 / L, gradY)
         pl(trial, L)
         xk:copy(trial)
         fTrial = f(trial)

         trial:add(-1, y) -- trial now holds (p_L(y) - y)
         local linear = gradY:dot(trial)
         local quadratic = L / 2 * trial:dot(trial)
         Q = fy + linear + quadratic
         if verbose then
            print(string.format('nline=%d L=%g fply=%g Q=%g fy=%g Q2=%g Q3=%g',
                                nline, L, fTrial, Q, fy, linear, quadratic))
         end
         if fTrial <= Q then
            searching = false
         elseif nline >= maxline then
            searching = false
            xk:copy(xPrev) -- no acceptable point: stay at the previous iterate
         else
            L = L * Lstep
         end
         nline = nline + 1
      end

      if doFistaUpdate then
         tNext = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
         xPrev:add(-1, xk)                 -- x(k-1) - x(k)
         y:copy(xk)
         y:add((1 - tk) / tNext, xPrev)    -- x(k) + (t(k)-1)/t(k+1) (x(k) - x(k-1))
         xPrev:copy(xk)
      else
         y:copy(xk)
      end
      tk = tNext
      fTrial = f(y)
      gTrial = g(y)
      if verbose then
         print(string.format('iter=%d eold=%g enew=%g', iter, F, fTrial + gTrial))
      end

      iter = iter + 1
      F = fTrial + gTrial
      local entry = {nline = nline, L = L, F = F, Fply = fTrial, Gply = gTrial, Q = Q}
      if verbose then
         entry.xk = xk:clone()
         entry.y = y:clone()
      end
      history[iter] = entry
      params.L = L

      local converged = iter > 1 and math.abs(history[iter].F - history[iter - 1].F) <= errthres
      if converged or iter >= maxiter then
         xinit:copy(y)
         return y, history
      end
   end
   error('not supposed to be here')
end
