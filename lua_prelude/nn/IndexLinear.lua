-- nn.IndexLinear(inputSize, outputSize[, doGradInput, keysOffset, weight, bias,
-- normalize]): a Linear layer for sparse inputs given as keys and values:
--   {keys, values}                          one sample (1-D tensors),
--   {{keys1, ...}, {values1, ...}}          a batch,
--   {keys, values, sizes}                   a batch, flattened.
-- The weight is inputSize x outputSize (one row per key).  Gradients are kept
-- densely per key (self.running) and applied by updateParameters.  With
-- `normalize`, each weight row starts with 4 extra columns: max |value| seen,
-- its inverse, an update scale and a per-feature bias; values are divided by
-- the max before use.
--
-- THNN updates rows key after key (later occurrences of a key see the
-- earlier updates); index-add keeps that order.  The normalisation and weight
-- decay paths loop over the keys in Lua.
local IndexLinear, parent = torch.class('nn.IndexLinear', 'nn.Module')

function IndexLinear:__init(inputSize, outputSize, doGradInput, keysOffset, weight, bias, normalize)
   parent.__init(self)
   self.normalize = normalize and 4 or 0
   -- a given weight is used as is: these can be very large
   self.weight = weight or torch.Tensor(inputSize, outputSize + self.normalize):zero()
   self.bias = bias or torch.Tensor(outputSize):zero()
   self.inputSize = self.weight and self.weight:size(1) or inputSize
   self.outputSize = self.weight and (self.weight:size(2) - self.normalize) or outputSize
   -- no dense gradWeight: gradients are accumulated per key in self.running
   self.gradWeight = torch.Tensor()
   self.gradBias = torch.Tensor(self.outputSize):zero()
   self.gradWeightBuffer = torch.Tensor()
   self.valuesBuffer = torch.Tensor()
   self.normalizedValues = torch.Tensor()
   self.running = {cumSumSizes = {}, keys = {}, gradWeight = {}, counter = 1}
   self.sizesCache = {}
   self.cumSumSizesCache = {}
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   self.offset = keysOffset and keysOffset - 1 or -1   -- added to the keys (0-based rows)
end

function IndexLinear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
   if self.normalize and self.normalize > 0 then
      self.weight[{{}, {1, self.normalize}}]:zero()
   end
end

-- keys/values as lists of 1-D tensors, or flat keys, values, sizes
function IndexLinear:reshapeInput(input)
   assert(torch.type(input) == 'table')
   local n = #input
   assert(n == 2 or n == 3)
   if n == 3 then
      local fkeys, fvals = input[1], input[2]
      local fsizes = torch.isTensor(input[3]) and input[3] or fkeys.new{input[3]}
      assert(fkeys:nElement() == fvals:nElement(), 'Keys and values should be of same size')
      assert(fkeys:dim() == 1, 'Keys and values should be 1D')
      self.isFlat = true
      self.noBatch = false
      return fkeys, fvals, fsizes
   end
   local keys, values = input[1], input[2]
   local lkeys, lvalues
   if torch.type(keys) == 'table' and torch.type(values) == 'table' then
      lkeys, lvalues = keys, values
      self.isFlat = false
      self.noBatch = false
   elseif torch.isTensor(keys) and torch.isTensor(values) then
      lkeys, lvalues = {keys}, {values}
      self.isFlat = false
      self.noBatch = true
   else
      error('Wrong input format.')
   end
   for i = 1, #lkeys do
      assert(lvalues[i]:dim() == 1 and lkeys[i]:dim() == 1, "keys and values should be 1D")
   end
   return lkeys, lvalues
end

function IndexLinear:longTensor(...)
   return torch.LongTensor(...)
end

-- self.keys/self.values: the batch's keys and values end to end, self.sizes:
-- the number per sample, self.cumSumSizes: their running sums
function IndexLinear:flattenInputs(input)
   local lkeys, lvalues, sizes = self:reshapeInput(input)
   local counter = self.running.counter
   self.running.keys[counter] = self.running.keys[counter] or self:longTensor()
   self.keys = self.running.keys[counter]
   if self.isFlat then
      self.values = self.values or lvalues.new()
      self.sizes = self.sizes or self:longTensor()
      self.keys:resize(lkeys:size()):copy(lkeys)
      self.values:resize(lvalues:size()):copy(lvalues)
      self.sizes = sizes
      self.cumSumSizes = self.cumSumSizes or self.sizes.new()
      self.cumSumSizes:cumsum(self.sizes)
   else
      self.values = self.values or lvalues[1].new()
      self.lkeys = lkeys
      self.lvalues = lvalues
      local batchSize = #lkeys
      self.sizesCache[1] = self.sizesCache[1] or torch.LongTensor(batchSize)
      self.cumSumSizesCache[1] = self.cumSumSizesCache[1] or torch.LongTensor(batchSize)
      self.sizes = self.sizesCache[1]
      self.cumSumSizes = self.cumSumSizesCache[1]
      self.sizes:resize(batchSize)
      self.cumSumSizes:resize(batchSize)
      for i = 1, batchSize do self.sizes[i] = lkeys[i]:size(1) end
      self.cumSumSizes:cumsum(self.sizes)
      self.keys:cat(lkeys, 1)
      self.values:cat(lvalues, 1)
   end
   self.running.cumSumSizes[counter] = self.cumSumSizes
end

-- per key: the (1-based) weight row and the (1-based) sample it belongs to
local function rowsAndSamples(self)
   local rows = self.keys:clone():add(self.offset + 1)
   local samples = torch.LongTensor(math.max(self.keys:nElement(), 1))
   local at = 1
   for j, n in ipairs(self.sizes:totable()) do
      if n > 0 then samples:narrow(1, at, n):fill(j) end
      at = at + n
   end
   return rows, samples:narrow(1, 1, self.keys:nElement())
end

local function sign(v)
   if v < 0 then return -1 elseif v > 0 then return 1 end
   return 0
end

-- normalised values (key by key: training updates the running max first)
local function normalizeValues(self, rows, train)
   local w = self.weight
   local keys = rows:totable()
   local vals = self.values:totable()
   local out = {}
   for i, r in ipairs(keys) do
      local row = w[r]
      local v = vals[i]
      local a = math.abs(v)
      if train then
         if a > row[1] then
            row[1] = a
            row[2] = 1 / a
         end
         row[3] = 1
      end
      out[i] = (a > row[1] and sign(v) or v * row[2]) + row[4]
   end
   self.normalizedValues:resize(#out)
   if #out > 0 then self.normalizedValues:copy(self.values.new(out)) end
   return self.normalizedValues
end

function IndexLinear:updateOutput(input)
   self:flattenInputs(input)
   local outDim = self.bias:size(1)
   local batchSize = self.sizes:size(1)
   local nKeys = self.keys:nElement()
   assert(nKeys == self.values:nElement(), 'Keys and values should have the same number of elements')
   local rows, samples = rowsAndSamples(self)
   local vals = self.values
   if self.normalize > 0 then vals = normalizeValues(self, rows, self.train ~= false) end
   local w = self.weight:narrow(2, self.normalize + 1, outDim)
   self.output:resize(batchSize, outDim)
   if outDim == 1 then
      -- per sample: the sum of weight * value, then added to the bias
      self.output:fill(self.bias[1])
      if nKeys > 0 then
         local sums = self.output.new(batchSize, 1):zero()
         sums:indexAdd(1, samples, w:index(1, rows):cmul(vals:view(nKeys, 1)))
         self.output:add(sums)
      end
   else
      self.output:copy(self.bias:view(1, outDim):expand(batchSize, outDim))
      if nKeys > 0 then
         local contrib = w:index(1, rows):cmul(vals:view(nKeys, 1):expand(nKeys, outDim))
         self.output:indexAdd(1, samples, contrib)
      end
   end
   if self.noBatch then self.output:resize(self.output:size(2)) end
   return self.output
end

-- dense per-key gradients: row i = value_i * scale * gradOutput[sample]
-- (normalised: [gradOutput * scale, value * scale * gradOutput])
function IndexLinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local counter = self.running.counter
   self.running.gradWeight[counter] = self.running.gradWeight[counter] or self.values.new()
   local gw = self.running.gradWeight[counter]
   local outDim = self.bias:size(1)
   local batchSize = self.sizes:size(1)
   local nKeys = self.keys:nElement()
   local g = gradOutput:contiguous():view(batchSize, outDim)
   local vals = self.normalize > 0 and self.normalizedValues or self.values
   local _, samples = rowsAndSamples(self)
   local width = outDim * (self.normalize > 0 and 2 or 1)
   gw:resize(nKeys, width)
   if nKeys > 0 then
      local rowsOfG = g:index(1, samples)
      local part = gw:narrow(2, width - outDim + 1, outDim)
      if outDim == 1 then
         -- THNN: (gradOutput * scale) * value
         part:copy(rowsOfG):mul(scale):cmul(vals:view(nKeys, 1))
      else
         -- THNN: (value * scale) * gradOutput
         part:cmul(vals:clone():mul(scale):view(nKeys, 1):expand(nKeys, outDim), rowsOfG)
      end
      if self.normalize > 0 then gw:narrow(2, 1, outDim):copy(rowsOfG):mul(scale) end
   end
   -- the bias gradient, sample after sample
   self.gradBias:view(1, outDim):indexAdd(1, torch.LongTensor(batchSize):fill(1), g:clone():mul(scale))
   self.running.counter = counter + 1
end

function IndexLinear:updateGradInput(input, gradOutput)
   self.gradInput = {}
   if self.doGradInput and self.normalize > 0 then
      error('updateGradInput is not implemented in max-normalize mode')
   end
   local ini = self.weight:size(1)
   if self.doGradInput then
      local gi = gradOutput.new()
      if gradOutput:dim() == 1 then
         gi:resize(ini):mv(self.weight, gradOutput)
         gi:resize(1, ini)
      elseif gradOutput:dim() == 2 then
         gi:resize(gradOutput:size(1), ini):mm(gradOutput, self.weight:t())
      end
      local indices = self.running.keys[1].new(ini):range(1, ini)
      if self.isFlat then
         self.gradInput[1] = torch.repeatTensor(indices, gi:size(1), 1)
         self.gradInput[2] = gi
      else
         self.gradInput[1] = {}
         self.gradInput[2] = {}
         for i = 1, gi:size(1) do
            self.gradInput[1][i] = self.running.keys[1].new(ini):copy(indices)
            self.gradInput[2][i] = gradOutput.new(ini):copy(gi[i])
         end
      end
   end
   if self.noBatch then
      if self.isFlat then
         self.gradInput = {self.gradInput[1]:resize(ini), self.gradInput[2]:resize(ini)}
      else
         self.gradInput = {self.gradInput[1][1], self.gradInput[2][1]}
      end
   end
   return self.gradInput
end

-- rows -= lr * per-key gradients, key after key (with weight decay and the
-- normalisation columns as in THNN)
local function applyRowUpdates(self, keys, grads, lr)
   local outDim = self.bias:size(1)
   local wd = self.weightDecay or 0
   local nKeys = keys:nElement()
   if nKeys == 0 then return end
   local rows = keys:clone():add(self.offset + 1)
   if self.normalize == 0 and wd == 0 then
      self.weight:indexAdd(1, rows, grads:view(nKeys, outDim):clone():mul(-lr))
      return
   end
   local g = grads:view(nKeys, -1)
   if outDim == 1 then
      local gs = g:totable()
      for i, r in ipairs(rows:totable()) do
         local row = self.weight[r]
         if self.normalize > 0 then
            local rate = lr * row[3]
            row[4] = row[4] - row[5] * gs[i][1] * rate
            -- (THNN adds the decay term here)
            row[5] = row[5] - (gs[i][2] * rate - wd * row[3] * row[5])
         else
            row[1] = row[1] - (gs[i][1] * lr + wd * row[1])
         end
      end
      return
   end
   for i, r in ipairs(rows:totable()) do
      local row = self.weight[r]
      local gi = g[i]
      local rate, decay = lr, wd
      if self.normalize > 0 then
         rate = lr * row[3]
         decay = wd * row[3]
         local gfirst = gi:narrow(1, 1, outDim)
         local wrow = row:narrow(1, 5, outDim)
         local f = row[4]
         local gf, wf = gfirst:totable(), wrow:totable()
         for k = 1, outDim do f = f - gf[k] * wf[k] * rate end
         row[4] = f
         gi = gi:narrow(1, outDim + 1, outDim)
      end
      local w = row:narrow(1, self.normalize + 1, outDim)
      if wd ~= 0 then w:add(-decay, w:clone()) end
      w:add(-rate, gi)
   end
end

function IndexLinear:updateParameters(lr)
   lr = lr or error('You must specify a learning rate')
   local counter = self.running.counter
   if counter > 1 then
      if counter == 2 then
         self.updateKeys = self.running.keys[1]
         self.gradWeight = self.running.gradWeight[1]
      else
         -- several accumulations: their keys and gradients end to end
         self.updateKeysBuffer = self.updateKeysBuffer or self:longTensor()
         local lkeys, lgrads, lcum = {}, {}, {}
         local total = 0
         for i = 1, counter - 1 do
            lkeys[i] = self.running.keys[i]
            lgrads[i] = self.running.gradWeight[i]:contiguous()
            lgrads[i]:resize(lgrads[i]:nElement())
            lcum[i] = total + self.running.cumSumSizes[i]
            total = total + lkeys[i]:size(1)
         end
         self.updateKeysBuffer:cat(lkeys, 1)
         self.gradWeightBuffer:cat(lgrads, 1)
         self.cumSumSizes:cat(lcum, 1)
         self.gradWeightBuffer:resize(total, self.outputSize * (self.normalize > 0 and 2 or 1))
         self.gradWeight = self.gradWeightBuffer
         self.updateKeys = self.updateKeysBuffer
      end
      self.bias:add(-lr, self.gradBias)
      applyRowUpdates(self, self.updateKeys, self.gradWeight, lr)
   end
end

-- updates the weights straight from gradOutput (scale plays the learning rate)
function IndexLinear:accUpdateGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local outDim = self.bias:size(1)
   local batchSize = self.sizes:size(1)
   local nKeys = self.keys:nElement()
   local g = gradOutput:contiguous():view(batchSize, outDim)
   local vals = self.normalize > 0 and self.normalizedValues or self.values
   local rows, samples = rowsAndSamples(self)
   local wd = self.weightDecay or 0
   if self.normalize == 0 and wd == 0 then
      if nKeys > 0 then
         local contrib
         if outDim == 1 then   -- (gradOutput * scale) * value
            contrib = g:index(1, samples):mul(scale):cmul(vals:view(nKeys, 1))
         else                  -- (value * scale) * gradOutput
            contrib = g:index(1, samples):cmul(vals:clone():mul(scale):view(nKeys, 1):expand(nKeys, outDim))
         end
         self.weight:indexAdd(1, rows, contrib:mul(-1))
      end
      self.bias:view(1, outDim):indexAdd(1, torch.LongTensor(batchSize):fill(1), g:clone():mul(-scale))
      return
   end
   local gs, vs = g:totable(), vals:totable()
   local key = 0
   local touched = {}   -- THNN's outDim == 1 path restarts their update scales from 0
   if outDim == 1 then
      for j, n in ipairs(self.sizes:totable()) do
         local val = gs[j][1] * scale
         self.bias[1] = self.bias[1] - val
         for _ = 1, n do
            key = key + 1
            local row = self.weight[rows[key]]
            if self.normalize > 0 then
               row[4] = row[4] - row[5] * val * row[3]
               row[5] = row[5] - (val * vs[key] - wd * row[5]) * row[3]
               touched[#touched + 1] = rows[key]
            else
               row[1] = row[1] - (val * vs[key] + row[1] * wd)
            end
         end
      end
      for _, r in ipairs(touched) do self.weight[r][3] = 0 end
      return
   end
   for j, n in ipairs(self.sizes:totable()) do
      self.bias:add(-scale, g[j])
      for _ = 1, n do
         key = key + 1
         local r = rows[key]
         local row = self.weight[r]
         local val, decay = vs[key] * scale, wd
         if self.normalize > 0 then
            local lrScale = row[3]
            val = val * lrScale
            decay = wd * lrScale
            local wrow = row:narrow(1, 5, outDim):totable()
            local f = row[4]
            for k = 1, outDim do f = f - wrow[k] * scale * gs[j][k] * lrScale end
            row[4] = f
         end
         local w = row:narrow(1, self.normalize + 1, outDim)
         if wd ~= 0 then w:add(-decay, w:clone()) end
         w:add(-val, g[j])
      end
   end
end

function IndexLinear:zeroGradParameters()
   -- gradWeight is rebuilt per accumulation: only the bias needs zeroing
   self.gradBias:zero()
   self.running.counter = 1
end

function IndexLinear:parameters()
   return {self.weight, self.bias}, {self.running, self.gradBias}
end

function IndexLinear:clearState()
   self.running.keys = {}
   self.running.gradWeight = {}
   self.keys = nil
   self.zerokeys = nil
   self.updateKeys = nil
   self.values = nil
   self.sizes = nil
   self.lkeys = {}
   self.lvalues = {}
   self.gradWeightBuffer = self.gradWeightBuffer.new()
   self.valuesBuffer = self.valuesBuffer.new()
   self.updateKeysBuffer = nil
   return parent.clearState(self)
end

return IndexLinear
