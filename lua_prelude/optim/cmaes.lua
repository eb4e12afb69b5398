-- CMA-ES (Covariance Matrix Adaptation Evolution Strategy), following Nikolaus
-- Hansen's barecmaes2 as Torch7's optim does.  Gradients are not used.
--
-- config/state (state defaults to config; the settings are read from state):
--   sigma         initial step size (standard deviation per coordinate)
--   maxEval       evaluation budget (1e3 * N^2)
--   ftarget       stop once the best fitness is <= ftarget
--   popsize       offspring per generation (4 + floor(3 ln N))
--   verb_disp     print progress every verb_disp generations (0: never)
--   min_iterations  run at least this many generations (1)
-- Returns the best point found (flattened), the list of f values (f at x, the
-- best of each generation, and finally the overall best) and the number of
-- evaluations.
local Best = {}
Best.__index = Best

function Best.new(x, f, evals)
   return setmetatable({x = x, f = f, evals = evals}, Best)
end

function Best:update(x, f, evals)
   if self.f == nil or f < self.f then
      self.x, self.f, self.evals = x:clone(), f, evals
   end
   return self
end

function Best:get()
   return self.x, self.f, self.evals
end

function optim.cmaes(opfunc, x, config, state)
   if x.triu == nil or x.diag == nil then
      error('Unsupported Tensor ' .. x:type() .. " please use Float- or DoubleTensor for x")
   end
   config = config or {}
   state = state or config
   local xmean = x:clone():view(-1)
   local N = xmean:size(1)
   local sigma = state.sigma
   local ftarget = state.ftarget
   local maxEval = tonumber(state.maxEval) or 1e3 * N ^ 2
   local verb_disp = state.verb_disp
   local min_iterations = state.min_iterations or 1

   -- selection parameters
   local lambda = state.popsize
   if lambda == nil then
      lambda = 4 + math.floor(3 * math.log(N))
   end
   local mu = lambda / 2
   local weights = torch.range(0, mu - 1):apply(function(i)
      return math.log(mu + 0.5) - math.log(i + 1)
   end)
   weights:div(weights:sum())
   local mueff = weights:sum() ^ 2 / torch.pow(weights, 2):sum()
   weights = weights:typeAs(x)

   -- adaptation parameters
   local cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
   local cs = (mueff + 2) / (N + mueff + 5)
   local c1 = 2 / ((N + 1.3) ^ 2 + mueff)
   local cmu = math.min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ^ 2 + mueff))
   local damps = 2 * mueff / lambda + 0.3 + cs

   -- dynamic state
   local pc = torch.Tensor(N):zero():typeAs(x)
   local ps = torch.Tensor(N):zero():typeAs(x)
   local B = torch.eye(N):typeAs(x)
   local D = torch.Tensor(N):fill(1):typeAs(x)
   local C = torch.eye(N):typeAs(x)
   if not pcall(function() torch.symeig(C, 'V') end) then
      error('torch.symeig not available for ' .. x:type() ..
            " please use Float- or DoubleTensor for x")
   end
   local candidates = torch.Tensor(lambda, N):typeAs(x)
   local invsqrtC = torch.eye(N):typeAs(x)
   local eigeneval = 0
   local counteval = 0
   local f_hist = {[1] = opfunc(x)}
   local fitvals = torch.Tensor(lambda)
   local best = Best.new(nil, nil, counteval)
   local iteration = 0

   -- sample lambda points from N(xmean, sigma^2 C)
   local function ask()
      -- refresh the eigendecomposition only every so often (O(N^2) per sample)
      if counteval - eigeneval > lambda / (c1 + cmu) / C:size(1) / 10 then
         eigeneval = counteval
         C = torch.triu(C) + torch.triu(C, 1):t()
         D, B = torch.symeig(C, 'V')
         D = torch.sqrt(D)
         invsqrtC = (B * torch.diag(torch.pow(D, -1)) * B:t())
      end
      for k = 1, lambda do
         local z = D:clone():normal(0, 1):cmul(D)
         candidates[{k, {}}] = torch.add(xmean, (B * z) * sigma)
      end
      return candidates
   end

   -- move the mean, the evolution paths, C and sigma after ranking the samples
   local function tell(arx)
      counteval = counteval + lambda
      local xold = xmean:clone()

      local order
      fitvals, order = torch.sort(fitvals)
      arx = arx:index(1, order[{ {1, mu} }])

      table.insert(f_hist, fitvals[1])
      best:update(arx[1], fitvals[1], counteval)

      xmean:zero()
      xmean:addmv(arx:t(), weights)

      local y = xmean - xold
      local z = invsqrtC * y

      local c = (cs * (2 - cs) * mueff) ^ 0.5 / sigma
      ps = ps - ps * cs + z * c
      local hsig = (torch.sum(torch.pow(ps, 2)) /
         (1 - (1 - cs) ^ (2 * counteval / lambda)) / N < 2 + 4. / (N + 1))
      hsig = hsig and 1.0 or 0.0

      c = (cc * (2 - cc) * mueff) ^ 0.5 / sigma
      pc = pc - pc * cc + y * c * hsig

      local c1a = c1 - (1 - hsig ^ 2) * c1 * cc * (2 - cc)
      -- rank-mu term: for each (i, j), sum over the parents k = 1..floor(mu) of
      -- w_k (arx_ki - xold_i)(arx_kj - xold_j), accumulated in order from 0 as
      -- Torch7's torch.sum over a torch.range(1, mu) does; the scalars are read
      -- once instead of through tensor indexing in the innermost loop.
      local nParents = torch.range(1, mu):size(1)
      local w, dev, xo, p = {}, {}, {}, {}
      for i = 1, N do xo[i] = xold[i]; p[i] = pc[i] end
      for k = 1, nParents do
         w[k] = weights[k]
         local row, d = arx[k], {}
         for i = 1, N do d[i] = row[i] end
         dev[k] = d
      end
      local sigma2 = sigma ^ 2
      for i = 1, N do
         local Ci = C[i]
         for j = 1, N do
            local acc = 0
            for k = 1, nParents do
               local d = dev[k]
               acc = acc + w[k] * (d[i] - xo[i]) * (d[j] - xo[j])
            end
            local Cmuij = acc / sigma2
            local cij = Ci[j]
            Ci[j] = cij + ((-c1a - cmu) * cij + c1 * p[i] * p[j] + cmu * Cmuij)
         end
      end

      sigma = sigma * math.exp(math.min(0.6,
         (cs / damps) * (torch.sum(torch.pow(ps, 2)) / N - 1) / 2))
   end

   local function stop()
      local reasons = {}
      if counteval > 0 then
         if counteval >= maxEval then
            reasons['evals'] = maxEval
         end
         if ftarget ~= nil and fitvals:nElement() > 0 and fitvals[1] <= ftarget then
            reasons['ftarget'] = ftarget
         end
         if torch.max(D) > 1e7 * torch.min(D) then
            reasons['condition'] = 1e7
         end
         if fitvals:nElement() > 1 and fitvals[fitvals:nElement()] - fitvals[1] < 1e-12 then
            reasons['tolfun'] = 1e-12
         end
         if sigma * torch.max(D) < 1e-11 then
            reasons['tolx'] = 1e-11
         end
      end
      return reasons
   end

   local function disp(every)
      if verb_disp == 0 then
         return nil
      end
      local gen = counteval / lambda
      if gen == 1 or gen % (10 * every) == 0 then
         print('evals:\t ax-ratio max(std)   f-value')
      end
      if gen <= 2 or gen % every == 0 then
         local maxStd = math.sqrt(torch.max(torch.diag(C)))
         print(tostring(counteval) .. ': ' ..
               string.format(' %6.1f %8.1e ', torch.max(D) / torch.min(D), sigma * maxStd) ..
               tostring(fitvals[1]))
      end
      return nil
   end

   while next(stop()) == nil or iteration < min_iterations do
      iteration = iteration + 1
      local X = ask()
      for i = 1, lambda do
         fitvals[i] = opfunc(X[i]:viewAs(x))
      end
      tell(X)
      disp(verb_disp)
   end

   local bestx, bestf, when = best:get()
   if verb_disp > 0 then
      for k, v in pairs(stop()) do
         print('termination by', k, '=', v)
      end
      print('best f-value =', bestf)
      print('solution = ')
      print(bestx)
      print('best found at iteration: ', when / lambda, ' , total iterations: ', iteration)
   end
   table.insert(f_hist, bestf)
   return bestx, f_hist, counteval
end
