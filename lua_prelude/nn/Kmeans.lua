-- nn.Kmeans(k, dim[, scale]): online hard k-means.  forward gives each row's
-- nearest centre (self.loss = within-cluster squared error); the "gradient"
-- moves each centre towards the mean of its samples.
local Kmeans, parent = torch.class('nn.Kmeans', 'nn.Module')

function Kmeans:__init(k, dim, scale)
   parent.__init(self)
   self.k = k
   self.dim = dim
   self.scale = scale
   assert(k > 0, "Clusters cannot be 0 or negative.")
   assert(dim > 0, "Dimensionality cannot be 0 or negative.")
   self.weight = torch.Tensor(self.k, self.dim)   -- the centres
   self.gradWeight = torch.Tensor(self.weight:size())
   self.loss = 0
   self.clusterSampleCount = torch.Tensor(self.k)
   self:reset()
end

function Kmeans:reset(stdev)
   stdev = stdev or 1
   self.weight:uniform(-stdev, stdev)
end

-- centres = k random rows of the input
function Kmeans:initRandom(input)
   assert(input:nDimension() == 2, "Incorrect input dimensionality. Expecting 2D.")
   local n = input:size(1)
   assert(input:size(2) == self.dim, "Dimensionality of input and weight don't match.")
   assert(n >= self.k, "Need atleast k samples for initialization.")
   local picks = torch.zeros(self.k)
   picks:random(1, n)
   for i = 1, self.k do self.weight[i]:copy(input[picks[i]]) end
end

-- k-means++: each next centre is drawn among the pcount samples farthest
-- from the centres chosen so far (pcount = ceil((1-p) * n))
function Kmeans:initKmeansPlus(input, p)
   self.p = p or self.p or 0.95
   assert(self.p >= 0 and self.p <= 1, "P value should be between 0-1.")
   assert(input:nDimension() == 2, "Incorrect input dimensionality. Expecting 2D.")
   local n = input:size(1)
   local pcount = math.ceil((1 - self.p) * n)
   if pcount <= 0 then pcount = 1 end
   self.weight[1]:copy(input[torch.random(n)])
   local clusterDistances = self.weight.new()
   local temp = self.weight.new()
   local sample = self.weight.new()
   local distances = self.weight.new():resize(n):fill(math.huge)
   for c = 2, self.k do
      local last = self.weight[{{c - 1, c - 1}}]
      for i = 1, n do
         temp:set(input[{{i}}]:expand(1, self.dim))
         sample:resize(temp:size()):copy(temp)
         sample:add(-1, last)
         clusterDistances:norm(sample, 2, 2)
         clusterDistances:pow(2)
         distances[i] = math.min(clusterDistances:min(), distances[i])
      end
      local _, order = distances:sort(true)
      self.weight[c]:copy(input[order[torch.random(pcount)]])
   end
end

function Kmeans:updateOutput(input)
   assert(input:nDimension() == 2, "Incorrect input dimensionality. Expecting 2D.")
   local batchSize = input:size(1)
   assert(input:size(2) == self.dim, "Dimensionality of input and weight don't match.")
   assert(input:isContiguous(), "Input is not contiguous.")
   self._expandedSamples = self._expandedSamples or self.weight.new()
   self._clusterDistances = self._clusterDistances or self.weight.new()
   self._temp = self._temp or input.new()
   self._tempExpanded = self._tempExpanded or input.new()
   -- k x batch x dim copies of the samples and of the centres
   self._temp:set(input:view(1, batchSize, self.dim))
   self._tempExpanded:set(self._temp:expand(self.k, batchSize, self.dim))
   self._expandedSamples:resize(self.k, batchSize, self.dim):copy(self._tempExpanded)
   self._tempWeight = self._tempWeight or self.weight.new()
   self._tempWeightExp = self._tempWeightExp or self.weight.new()
   self._expandedWeight = self._expandedWeight or self.weight.new()
   self._tempWeight:set(self.weight:view(self.k, 1, self.dim))
   self._tempWeightExp:set(self._tempWeight:expand(self._expandedSamples:size()))
   self._expandedWeight:resize(self.k, batchSize, self.dim):copy(self._tempWeightExp)
   -- squared distances, k x batch
   self._expandedSamples:add(-1, self._expandedWeight)
   self._clusterDistances:norm(self._expandedSamples, 2, 3)
   self._clusterDistances:pow(2)
   self._clusterDistances:resize(self.k, batchSize)
   self._minScore = self._minScore or self.weight.new()
   self._minIndx = self._minIndx or torch.LongTensor()
   self._minScore:min(self._minIndx, self._clusterDistances, 1)
   self._minIndx:resize(batchSize)
   self.output:resize(batchSize):copy(self._minIndx)
   self.loss = self._minScore:sum()
   return self.output
end

-- the module is its own criterion: no gradient for the input
function Kmeans:updateGradInput(input, gradOutput)
   self.gradInput:resize(input:size()):zero()
   return self.gradInput
end

-- gradWeight[c] += -scale * mean over c's samples of (x - c), so that a
-- gradient step c -= gradWeight moves c towards its samples
function Kmeans:accGradParameters(input, gradOutput, scale)
   scale = self.scale or scale or 1
   assert(scale > 0, " Scale has to be positive.")
   local batchSize = input:size(1)
   self._cscAdder = self._cscAdder or self.weight.new()
   self._cscAdder:resize(batchSize):fill(1)
   self.clusterSampleCount:zero()
   self.clusterSampleCount:indexAdd(1, self._minIndx, self._cscAdder)
   self._gradWeight = self._gradWeight or self.gradWeight.new()
   self._gradWeight:index(self.weight, 1, self._minIndx)
   self._gradWeight:mul(-1)
   self._gradWeight:add(input)
   self._gradWeight:mul(-scale)
   self._gradWeight2 = self._gradWeight2 or self.gradWeight.new()
   self._gradWeight2:resizeAs(self.gradWeight):zero()
   self._gradWeight2:indexAdd(1, self._minIndx, self._gradWeight)
   self._ccounts = self._ccounts or self.clusterSampleCount.new()
   self._ccounts:resize(self.k):copy(self.clusterSampleCount)
   self._ccounts:add(0.0000001)   -- empty clusters: no division by zero
   self._gradWeight2:cdiv(self._ccounts:view(self.k, 1):expandAs(self.gradWeight))
   self.gradWeight:add(self._gradWeight2)
end

function Kmeans:clearState()
   for _, k in ipairs({'_expandedSamples', '_clusterDistances', '_temp', '_tempExpanded',
                       '_tempWeight', '_tempWeightExp', '_expandedWeight', '_minScore',
                       '_minIndx', '_cscAdder'}) do
      self[k] = nil
   end
end

function Kmeans:type(typename, tensorCache)
   self:clearState()
   return parent.type(self, typename, tensorCache)
end

return Kmeans
