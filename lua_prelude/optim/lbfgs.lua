-- Limited-memory BFGS after Mark Schmidt's minFunc.
--
-- Without config.lineSearch every iteration moves a fixed step learningRate
-- along the quasi-Newton direction (the first step is scaled by
-- min(1, 1/sum|g|)); with a line search (e.g. optim.lswolfe) the step comes
-- from it, still starting from learningRate.
--
-- config: maxIter (20), maxEval (1.25*maxIter), tolFun (1e-5), tolX (1e-9),
-- nCorrection (100), lineSearch, lineSearchOptions, learningRate (1), verbose.
-- state keeps funcEval, nIter, the direction d, the step t, the correction pairs
-- old_dirs/old_stps and their recycled buffers, Hdiag, g_old, f_old and scratch
-- tensors, so a later call resumes where the previous one stopped.
--
-- Returns x, the list of f values (f[1] at the starting point, f[#f] at the
-- end) and the number of function evaluations made by this call.
function optim.lbfgs(opfunc, x, config, state)
   config = config or {}
   state = state or config
   local maxIter = tonumber(config.maxIter) or 20
   local maxEval = tonumber(config.maxEval) or maxIter * 1.25
   local tolFun = config.tolFun or 1e-5
   local tolX = config.tolX or 1e-9
   local nCorrection = config.nCorrection or 100
   local lineSearch = config.lineSearch
   local lineSearchOpts = config.lineSearchOptions
   local learningRate = config.learningRate or 1
   local say = function() end
   if config.verbose then
      say = function(...) print('<optim.lbfgs> ', ...) end
   end

   state.funcEval = state.funcEval or 0
   state.nIter = state.nIter or 0

   local f, g = opfunc(x)
   local fHistory = {f}
   local evalsHere = 1
   state.funcEval = state.funcEval + 1
   local p = g:size(1)

   -- sum of |v| through the shared scratch tensor
   state.tmp1 = state.tmp1 or g.new(g:size()):zero()
   local scratch = state.tmp1
   local function l1(v, scale)
      scratch:copy(v)
      if scale then scratch:mul(scale) end
      return scratch:abs():sum()
   end

   if l1(g) <= tolFun then
      say('optimality condition below tolFun')
      return x, fHistory
   end

   if not state.dir_bufs then
      say('creating recyclable direction/step/history buffers')
      state.dir_bufs = g.new(nCorrection + 1, p):split(1)
      state.stp_bufs = g.new(nCorrection + 1, p):split(1)
      for i = 1, #state.dir_bufs do
         state.dir_bufs[i] = state.dir_bufs[i]:squeeze(1)
         state.stp_bufs[i] = state.stp_bufs[i]:squeeze(1)
      end
   end

   local d, t = state.d, state.t
   local oldDirs, oldStps = state.old_dirs, state.old_stps
   local Hdiag, gOld, fOld = state.Hdiag, state.g_old, state.f_old

   local iter = 0
   while iter < maxIter do
      iter = iter + 1
      state.nIter = state.nIter + 1

      -- search direction ------------------------------------------------
      if state.nIter == 1 then
         d = g:clone():mul(-1)
         oldDirs, oldStps = {}, {}
         Hdiag = 1
      else
         -- new correction pair: y = g - g_old, s = t*d
         local y = table.remove(state.dir_bufs)
         local s = table.remove(state.stp_bufs)
         y:add(g, -1, gOld)
         s:mul(d, t)
         local ys = y:dot(s)
         if ys > 1e-10 then
            if #oldDirs == nCorrection then
               -- memory full: recycle the oldest pair's buffers
               table.insert(state.dir_bufs, table.remove(oldDirs, 1))
               table.insert(state.stp_bufs, table.remove(oldStps, 1))
            end
            -- (the s vectors live in old_dirs, the y vectors in old_stps)
            table.insert(oldDirs, s)
            table.insert(oldStps, y)
            Hdiag = ys / y:dot(y)
         else
            table.insert(state.dir_bufs, y)
            table.insert(state.stp_bufs, s)
         end

         -- two-loop recursion: d = -H g
         local k = #oldDirs
         state.ro = state.ro or torch.Tensor(nCorrection)
         state.al = state.al or torch.zeros(nCorrection)
         local ro, al = state.ro, state.al
         for i = 1, k do
            ro[i] = 1 / oldStps[i]:dot(oldDirs[i])
         end
         local q = scratch
         q:mul(g, -1)
         for i = k, 1, -1 do
            al[i] = oldDirs[i]:dot(q) * ro[i]
            q:add(-al[i], oldStps[i])
         end
         d:mul(q, Hdiag)
         for i = 1, k do
            local beta = oldStps[i]:dot(d) * ro[i]
            d:add(al[i] - beta, oldDirs[i])
         end
      end
      gOld = gOld or g:clone()
      gOld:copy(g)
      fOld = f

      -- step length -----------------------------------------------------
      local gtd = g:dot(d)
      if gtd > -tolX then
         break -- not a descent direction
      end

      if state.nIter == 1 then
         t = math.min(1, 1 / l1(g)) * learningRate
      else
         t = learningRate
      end

      local lsEvals = 0
      if lineSearch and type(lineSearch) == 'function' then
         f, g, x, t, lsEvals = lineSearch(opfunc, x, t, d, f, g, gtd, lineSearchOpts)
         table.insert(fHistory, f)
      else
         x:add(t, d)
         -- a last fixed step is not evaluated (useless in stochastic settings)
         if iter ~= maxIter then
            f, g = opfunc(x)
            lsEvals = 1
            table.insert(fHistory, f)
         end
      end
      evalsHere = evalsHere + lsEvals
      state.funcEval = state.funcEval + lsEvals

      -- stopping tests ----------------------------------------------------
      if iter == maxIter then
         say('reached max number of iterations')
         break
      end
      if evalsHere >= maxEval then
         say('max nb of function evals')
         break
      end
      if l1(g) <= tolFun then
         say('optimality condition below tolFun')
         break
      end
      if l1(d, t) <= tolX then
         say('step size below tolX')
         break
      end
      if math.abs(f - fOld) < tolX then
         say('function value changing less than tolX')
         break
      end
   end

   state.old_dirs, state.old_stps = oldDirs, oldStps
   state.Hdiag, state.g_old, state.f_old = Hdiag, gOld, fOld
   state.t, state.d = t, d

   return x, fHistory, evalsHere
end
