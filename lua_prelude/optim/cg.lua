-- Nonlinear conjugate gradient (Polak-Ribiere directions) with Carl Rasmussen's
-- line search from minimize.m: cubic extrapolation/interpolation under the
-- Wolfe-Powell conditions.  Only function evaluations are budgeted.
--
-- config: rho (0.01), sig (0.5), int (0.1), ext (3.0), maxIter (20),
-- ratio (100), maxEval (1.25*maxIter).  state may hold the scratch tensors
-- df0..df3, s and x0 (given or created, kept after the call).
-- Returns x, the list of accepted f values (f[1] at the start) and the number
-- of evaluations.
function optim.cg(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local RHO = config.rho or 0.01
   local SIG = config.sig or 0.5
   local INT = config.int or 0.1
   local EXT = config.ext or 3.0
   local maxIter = config.maxIter or 20
   local RATIO = config.ratio or 100
   local maxEval = config.maxEval or maxIter * 1.25
   local red = 1

   local function buffer(name)
      local b = state[name] or x.new()
      b:resizeAs(x)
      return b
   end
   local df1, df2, df3 = buffer('df1'), buffer('df2'), buffer('df3')
   local s = buffer('s')
   local x0 = buffer('x0')
   local df0 = buffer('df0')

   local function finite(v) return v == v and v ~= math.huge and v ~= -math.huge end

   local evals = 0
   local history = {}
   local z1, z2, z3 = 0, 0, 0
   local d1, d2, d3 = 0, 0, 0
   local f0, f1, f2, f3 = 0, 0, 0, 0
   local grad

   f1, grad = opfunc(x)
   history[#history + 1] = f1
   df1:copy(grad)
   evals = evals + 1

   -- start downhill with step red/(1+|g|^2)
   s:copy(df1):mul(-1)
   d1 = -s:dot(s)
   z1 = red / (1 - d1)

   while evals < math.abs(maxEval) do
      x0:copy(x)
      f0 = f1
      df0:copy(df1)

      x:add(z1, s)
      f2, grad = opfunc(x)
      df2:copy(grad)
      evals = evals + 1
      d2 = df2:dot(s)
      f3, d3, z3 = f1, d1, -z1
      local budget = math.min(maxIter, maxEval - evals)
      local success = false
      local limit = -1

      while true do
         -- interpolate back while the step is too long (Wolfe-Powell fails)
         while (f2 > f1 + z1 * RHO * d1 or d2 > -SIG * d1) and budget > 0 do
            limit = z1
            if f2 > f1 then
               z2 = z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3) -- quadratic fit
            else
               local A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3) -- cubic fit
               local B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
               z2 = (math.sqrt(B * B - A * d2 * z3 * z3) - B) / A
            end
            if not finite(z2) then
               z2 = z3 / 2
            end
            z2 = math.max(math.min(z2, INT * z3), (1 - INT) * z3)
            z1 = z1 + z2
            x:add(z2, s)
            f2, grad = opfunc(x)
            df2:copy(grad)
            evals = evals + 1
            budget = budget - 1
            d2 = df2:dot(s)
            z3 = z3 - z2
         end

         if f2 > f1 + z1 * RHO * d1 or d2 > -SIG * d1 then
            break -- failure
         elseif d2 > SIG * d1 then
            success = true
            break
         elseif budget == 0 then
            break
         end

         -- extrapolate with a cubic
         local A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
         local B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
         z2 = -d2 * z3 * z3 / (B + math.sqrt(B * B - A * d2 * z3 * z3))
         if not finite(z2) or z2 < 0 then
            if limit < -0.5 then
               z2 = z1 * (EXT - 1) -- no upper limit yet: extrapolate the maximum
            else
               z2 = (limit - z1) / 2 -- otherwise bisect
            end
         elseif limit > -0.5 and (z2 + z1) > limit then
            z2 = (limit - z1) / 2
         elseif limit < -0.5 and (z2 + z1) > z1 * EXT then
            z2 = z1 * (EXT - 1)
         elseif z2 < -z3 * INT then
            z2 = -z3 * INT
         elseif limit > -0.5 and z2 < (limit - z1) * (1 - INT) then
            z2 = (limit - z1) * (1 - INT)
         end
         f3, d3, z3 = f2, d2, -z2
         z1 = z1 + z2
         x:add(z2, s)
         f2, grad = opfunc(x)
         df2:copy(grad)
         evals = evals + 1
         budget = budget - 1
         d2 = df2:dot(s)
      end

      if success then
         f1 = f2
         history[#history + 1] = f1
         -- Polak-Ribiere: s = ss*s - df2
         local ss = (df2:dot(df2) - df2:dot(df1)) / df1:dot(df1)
         s:mul(ss)
         s:add(-1, df2)
         local swap = df1:clone()
         df1:copy(df2)
         df2:copy(swap)
         d2 = df1:dot(s)
         if d2 > 0 then
            -- not downhill: restart along the steepest descent
            s:copy(df1)
            s:mul(-1)
            d2 = -s:dot(s)
         end
         z1 = z1 * math.min(RATIO, d1 / (d2 - 1e-320))
         d1 = d2
      else
         -- failed line search: go back to the last accepted point.  Torch7's
         -- test `ls_failed or i > maxEval` is always true there (ls_failed is a
         -- number), so cg stops at the first failure; this keeps that behaviour.
         x:copy(x0)
         f1 = f0
         df1:copy(df0)
         break
      end
   end

   state.df0, state.df1, state.df2, state.df3 = df0, df1, df2, df3
   state.x0, state.s = x0, s
   return x, history, evals
end
