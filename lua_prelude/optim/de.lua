-- Differential evolution (DE/best/1/bin) over the box [minRegion, maxRegion]^D.
-- The population is drawn from a private torch.Generator seeded with 1, so the
-- result does not depend on (and does not disturb) the global RNG.
--
-- config: popsize (10*D), scaleFactor, crossoverRate, maxFEs (evaluation budget,
-- size of the returned history), maxRegion (30), minRegion (-30).
-- Returns the best solution and a tensor of every evaluated f, in order.
-- Like Torch7, the initial "best" is the population's largest fitness; it is
-- replaced by any child that beats it.
function optim.de(opfunc, x, config, state)
   config = config or {}
   local scaleFactor = config.scaleFactor
   local crossoverRate = config.crossoverRate
   local maxFEs = tonumber(config.maxFEs)
   local maxRegion = config.maxRegion or 30
   local minRegion = config.minRegion or -30
   local D = x:clone():view(-1):size(1)
   local popsize = config.popsize or 10 * D

   local fx = x.new(maxFEs)
   local pop = x.new(popsize, D)
   local children = x.new(popsize, D)
   local fitness = x.new(popsize)
   local childFitness = x.new(popsize)
   local best = x.new(D)
   local fes = 1

   local gen = torch.Generator()
   torch.manualSeed(gen, 1)

   pop:uniform(gen, minRegion, maxRegion)
   for i = 1, popsize do
      fitness[i] = opfunc(pop[i])
      fx[fes] = fitness[i]
      fes = fes + 1
   end

   local bestFitness, at = fitness:max(1)
   bestFitness, at = bestFitness[1], at[1]
   best:copy(pop[at])

   while fes < maxFEs do
      for i = 1, popsize do
         -- two distinct partners, both different from i
         local r1, r2
         repeat r1 = torch.random(gen, 1, popsize) until r1 ~= i
         repeat r2 = torch.random(gen, 1, popsize) until r2 ~= r1 and r2 ~= i

         local forced = torch.random(gen, 1, D)
         local child, parent = children[i], pop[i]
         for j = 1, D do
            if torch.uniform(gen, 0, 1) < crossoverRate or i == forced then
               child[j] = best[j] + scaleFactor * (pop[r1][j] - pop[r2][j])
            else
               child[j] = parent[j]
            end
         end
         childFitness[i] = opfunc(child)
         fx[fes] = childFitness[i]
         fes = fes + 1
      end

      -- selection: a child replaces its parent when it is no worse
      for i = 1, popsize do
         if childFitness[i] <= fitness[i] then
            pop[i]:copy(children[i])
            fitness[i] = childFitness[i]
            if fitness[i] < bestFitness then
               bestFitness = fitness[i]
               best:copy(children[i])
            end
         end
      end
   end
   return best, fx
end
