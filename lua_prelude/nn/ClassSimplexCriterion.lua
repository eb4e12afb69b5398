-- nn.ClassSimplexCriterion(nClasses): MSE between the input and the target
-- class's vertex of a regular simplex (embedded in nClasses dimensions);
-- see arXiv:1506.08230.
local ClassSimplexCriterion, parent = torch.class('nn.ClassSimplexCriterion', 'nn.MSECriterion')

-- the n+1 unit-norm vertices (rows) of a regular simplex centred at 0 in R^n
local function regsplex(n)
   local a = torch.zeros(n + 1, n)
   for k = 1, n do
      if k == 1 then a[k][k] = 1 end
      if k > 1 then a[k][k] = math.sqrt(1 - a[{{k}, {1, k - 1}}]:norm() ^ 2) end
      local c = (a[k][k] ^ 2 - 1 - 1 / n) / a[k][k]
      a[{{k + 1, n + 1}, {k}}]:fill(c)
   end
   return a
end

function ClassSimplexCriterion:__init(nClasses)
   parent.__init(self)
   assert(nClasses and nClasses > 1 and nClasses == (nClasses - (nClasses % 1)),
          "Required positive integer argument nClasses > 1")
   self.nClasses = nClasses
   -- one more dimension than the simplex needs: this is what makes it train well
   local simp = regsplex(nClasses - 1)
   self.simplex = torch.cat(simp, torch.zeros(simp:size(1), nClasses - simp:size(2)), 2)
   self._target = torch.Tensor(nClasses)
end

-- class numbers -> vertices in self._target (a number or a 1-D tensor)
local function transformTarget(self, target)
   if torch.type(target) == 'number' then
      self._target:resize(self.nClasses):copy(self.simplex[target])
   elseif torch.isTensor(target) then
      assert(target:dim() == 1, '1D tensors only!')
      local n = target:size(1)
      self._target:resize(n, self.nClasses)
      for i = 1, n do self._target[i]:copy(self.simplex[target[i]]) end
   end
end

function ClassSimplexCriterion:updateOutput(input, target)
   transformTarget(self, target)
   assert(input:nElement() == self._target:nElement())
   return parent.updateOutput(self, input, self._target)
end

function ClassSimplexCriterion:updateGradInput(input, target)
   assert(input:nElement() == self._target:nElement())
   return parent.updateGradInput(self, input, self._target)
end

function ClassSimplexCriterion:getPredictions(input)
   if input:dim() == 1 then input = input:view(1, -1) end
   return torch.mm(input, self.simplex:t())
end

function ClassSimplexCriterion:getTopPrediction(input)
   local prod = self:getPredictions(input)
   local _, maxs = prod:max(prod:nDimension())
   return maxs:view(-1)
end

return ClassSimplexCriterion
