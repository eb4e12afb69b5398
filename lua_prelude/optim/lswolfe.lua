-- Line search along d from x satisfying the strong Wolfe conditions (minFunc's
-- bracketing + zoom with cubic interpolation through optim.polyinterp).
--
-- Arguments: opfunc, x (moved in place), t (first trial step), d (direction),
-- f, g (value and gradient at x), gtd (= g.d), options with c1 (1e-4, sufficient
-- decrease), c2 (0.9, curvature), tolX (1e-9), maxIter (20), verbose.
-- Returns f_new, g_new, x (= x0 + t*d), t, and the number of evaluations.
function optim.lswolfe(opfunc, x, t, d, f, g, gtd, options)
   options = options or {}
   local c1 = options.c1 or 1e-4
   local c2 = options.c2 or 0.9
   local tolX = options.tolX or 1e-9
   local maxIter = options.maxIter or 20
   local verbose = options.verbose or false
   local abs, min = math.abs, math.min

   local x0 = x:clone()
   local function evaluateAt(step)
      x[{}] = x0
      x:add(step, d)
      local fv, gv = opfunc(x)
      return fv, gv, gv * d
   end

   x:add(t, d)
   local fNew, gNew = opfunc(x)
   local gtdNew = gNew * d
   local evals = 1

   -- a bracket is a pair (or a single point) of steps with their f and g
   local bracket, bracketF, bracketG
   local function setBracket(steps, fvals, gvals)
      bracket = x.new(steps)
      bracketF = x.new(fvals)
      bracketG = x.new(#gvals, gvals[1]:size(1))
      for i = 1, #gvals do bracketG[i] = gvals[i] end
   end

   -- phase 1: expand until an interval is known to hold an acceptable step
   local iter, tPrev, done = 0, 0, false
   local fPrev, gPrev, gtdPrev = f, g:clone(), gtd
   while iter < maxIter do
      if fNew > f + c1 * t * gtd or (iter > 1 and fNew >= fPrev) then
         setBracket({tPrev, t}, {fPrev, fNew}, {gPrev, gNew})
         break
      elseif abs(gtdNew) <= -c2 * gtd then
         setBracket({t}, {fNew}, {gNew})
         done = true
         break
      elseif gtdNew >= 0 then
         setBracket({tPrev, t}, {fPrev, fNew}, {gPrev, gNew})
         break
      end

      -- extrapolate with a cubic, between t + 1% of the last increase and 10 t
      local older = tPrev
      tPrev = t
      t = optim.polyinterp(x.new{{older, fPrev, gtdPrev}, {t, fNew, gtdNew}},
                           t + 0.01 * (t - older), t * 10)

      fPrev, gPrev, gtdPrev = fNew, gNew:clone(), gtdNew
      fNew, gNew, gtdNew = evaluateAt(t)
      evals = evals + 1
      iter = iter + 1
   end
   if iter == maxIter then
      setBracket({0, t}, {f, fNew}, {g, gNew})
   end

   -- phase 2: shrink the bracket until a point meets the Wolfe conditions
   local insufficient = false
   while not done and iter < maxIter do
      local fLo, loPos = bracketF:min(1)
      fLo, loPos = fLo[1], loPos[1]
      local hiPos = 3 - loPos

      t = optim.polyinterp(x.new{{bracket[1], bracketF[1], bracketG[1] * d},
                                 {bracket[2], bracketF[2], bracketG[2] * d}})

      -- keep the trial away from the ends of the bracket
      local top, bottom = bracket:max(), bracket:min()
      if min(top - t, t - bottom) / (top - bottom) < 0.1 then
         if insufficient or t >= top or t <= bottom then
            if abs(t - top) < abs(t - bottom) then
               t = top - 0.1 * (top - bottom)
            else
               t = bottom + 0.1 * (top - bottom)
            end
            insufficient = false
         else
            insufficient = true
         end
      else
         insufficient = false
      end

      fNew, gNew, gtdNew = evaluateAt(t)
      evals = evals + 1
      iter = iter + 1
      if fNew > f + c1 * t * gtd or fNew >= fLo then
         -- no sufficient decrease, or not below the low end: new high end
         bracket[hiPos] = t
         bracketF[hiPos] = fNew
         bracketG[hiPos] = gNew
      else
         if abs(gtdNew) <= -c2 * gtd then
            done = true
         elseif gtdNew * (bracket[hiPos] - bracket[loPos]) >= 0 then
            -- the old low end becomes the high end
            bracket[hiPos] = bracket[loPos]
            bracketF[hiPos] = bracketF[loPos]
            bracketG[hiPos] = bracketG[loPos]
         end
         bracket[loPos] = t
         bracketF[loPos] = fNew
         bracketG[loPos] = gNew
      end

      if not done and abs((bracket[1] - bracket[2]) * gtdNew) < tolX then
         break
      end
   end

   if iter == maxIter and verbose then
      print('<optim.lswolfe> ', 'reached max number of iterations')
   end

   -- answer with the lowest point of the bracket
   local _, best = bracketF:min(1)
   best = best[1]
   t = bracket[best]
   fNew = bracketF[best]
   gNew = bracketG[best]
   x[{}] = x0
   x:add(t, d)
   return fNew, gNew, x, t, evals
end
