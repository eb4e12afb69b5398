-- nn.SparseLinear(inputSize, outputSize[, doGradInput=false]): a Linear layer
-- for sparse inputs.  A sample is an nnz x 2 tensor of (index, value) rows; a
-- batch is a table of samples.  The legacy format, one B x nnz x 2 tensor, is
-- also accepted.  After a single accGradParameters, updateParameters and
-- zeroGradParameters only touch the weight columns the last input used.
--
-- The loops below are per non-zero (one tensor call each), in the order THNN
-- accumulates, so results match Torch7; a Numba kernel could replace them if
-- very sparse-wide inputs turn out slow.
local SparseLinear, parent = torch.class('nn.SparseLinear', 'nn.Module')

local NO_LAST_INPUT, ONE_LAST_INPUT, ACC_MULTIPLE_TIMES = 0, 1, 2

function SparseLinear:__init(inputSize, outputSize, doGradInput)
   parent.__init(self)
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   self.weight = torch.Tensor(outputSize, inputSize):zero()
   self.bias = torch.Tensor(outputSize):zero()
   self.gradWeight = torch.Tensor(outputSize, inputSize):zero()
   self.gradBias = torch.Tensor(outputSize):zero()
   assert(type(self.doGradInput) == 'boolean')
   self.lastInput = nil
   self.sparseUpdate = NO_LAST_INPUT
   self.formatted_input = nil
   self.gradInput = {}
   self.output:resize(outputSize)
   self:reset()
end

function SparseLinear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
end

-- returns the input as a table of samples (or the legacy tensor),
-- batchMode, legacyMode
function SparseLinear:reshapeInput(input)
   if torch.type(input) == 'table' then return input, true, false end
   if input:dim() == 2 then return {input}, false, false end
   return input, true, true
end

-- indices are stored as reals; THNN truncates them like a C cast
local function checked_column(offset, inDim, where)
   offset = offset >= 0 and math.floor(offset) or math.ceil(offset)
   if offset < 1 or offset > inDim then
      error(string.format('index out of bound. %s: %d not between 1 and %d', where, offset, inDim))
   end
   return offset
end

-- entries as a Lua list of {batch, index, value} (from the coo or legacy form)
local function entries(legacy, coo)
   local list = {}
   if legacy then
      local t = coo:totable()
      for h = 1, #t do
         for i = 1, #t[h] do list[#list + 1] = {h, t[h][i][1], t[h][i][2]} end
      end
   else
      for i, e in ipairs(coo:totable()) do list[i] = e end
   end
   return list
end

function SparseLinear:updateOutput(input)
   if self.sparseUpdate == ONE_LAST_INPUT then self.sparseUpdate = ACC_MULTIPLE_TIMES end
   local batch, batchMode, legacy = self:reshapeInput(input)
   self.legacyMode = legacy
   local nOut, inDim = self.weight:size(1), self.weight:size(2)
   local list, nbatch
   if legacy then
      if not (batch:dim() == 3 and batch:size(3) == 2) then
         error('input size must be batchsize x nnz x 2')
      end
      nbatch = batch:size(1)
      list = entries(true, batch)
   else
      nbatch = #batch
      if nbatch == 0 then
         self.output:copy(self.bias)
         return self.output
      end
      -- coo rows (sample, index, value)
      local total = 0
      for i = 1, nbatch do total = total + batch[i]:size(1) end
      self.formatted_input = self.formatted_input or batch[1].new()
      self.formatted_input:resize(total, 3)
      local at = 1
      for i = 1, nbatch do
         local n = batch[i]:size(1)
         local part = self.formatted_input:narrow(1, at, n)
         part:narrow(2, 2, 2):copy(batch[i])
         part:select(2, 1):fill(i)
         at = at + n
      end
      list = entries(false, self.formatted_input)
   end
   self.output:resize(nbatch, nOut):zero()
   for _, e in ipairs(list) do
      local val = e[3]
      if val ~= 0 then
         local col = checked_column(e[2], inDim, 'updateOutput')
         self.output:select(1, e[1]):add(val, self.weight:select(2, col))
      end
   end
   for h = 1, nbatch do
      local row = self.output:select(1, h)
      row:add(self.bias)
   end
   if not legacy and not batchMode then self.output = self.output[1] end
   return self.output
end

function SparseLinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local batch, batchMode, legacy = self:reshapeInput(input)
   self.legacyMode = legacy
   self.lastInput = self.lastInput or gradOutput.new()
   if self.sparseUpdate == NO_LAST_INPUT then
      local v = legacy and batch or self.formatted_input
      self.lastInput:resizeAs(v):copy(v)
      self.sparseUpdate = ONE_LAST_INPUT
   elseif self.sparseUpdate == ONE_LAST_INPUT then
      self.sparseUpdate = ACC_MULTIPLE_TIMES
   end
   local inDim = self.weight:size(2)
   local list
   if legacy then
      gradOutput:resize(batch:size(1), self.weight:size(1))
      list = entries(true, batch)
   else
      if not batchMode then gradOutput:resize(1, gradOutput:size(1)) end
      -- THNN walks the entries column by column, then by sample
      list = entries(false, self.formatted_input)
      for i, e in ipairs(list) do e[4] = i end
      table.sort(list, function(a, b)
         if a[2] ~= b[2] then return a[2] < b[2] end
         if a[1] ~= b[1] then return a[1] < b[1] end
         return a[4] < b[4]
      end)
   end
   for _, e in ipairs(list) do
      local val = scale * e[3]
      if not legacy or val ~= 0 then
         local col = checked_column(e[2], inDim, 'accGradParameters')
         self.gradWeight:select(2, col):add(val, gradOutput:select(1, e[1]))
      end
   end
   if legacy then
      for h = 1, gradOutput:size(1) do self.gradBias:add(scale, gradOutput:select(1, h)) end
   else
      self.gradBias:add(scale, gradOutput:sum(1):select(1, 1))
   end
   if (self.weightDecay or 0) ~= 0 then
      self.gradWeight:add(self.weightDecay, self.weight)
   end
end

function SparseLinear:updateGradInput(input, gradOutput)
   if self.legacyMode then
      if torch.type(self.gradInput) ~= torch.type(gradOutput) then self.gradInput = gradOutput.new() end
      self.gradInput:resizeAs(input)
   else
      self.gradInput = {}
   end
   if self.doGradInput then
      -- the gradient is dense: every index gets a value
      local gi
      local batchMode = true
      if gradOutput:dim() == 1 then
         gi = self.weight:t() * gradOutput
         batchMode = false
      elseif gradOutput:dim() == 2 then
         gi = gradOutput * self.weight
      end
      local ini = self.weight:size(2)
      if self.legacyMode then
         local batches = self.gradInput:size(1)
         self.gradInput:resize(batches, ini, 2)
         self.gradInput:select(3, 1):copy(torch.repeatTensor(torch.range(1, ini), batches, 1))
         self.gradInput:select(3, 2):copy(gi)
      else
         if not batchMode then gi:resize(1, ini) end
         for i = 1, gi:size(1) do
            self.gradInput[i] = gradOutput.new(ini, 2)
            self.gradInput[i]:select(2, 2):copy(gi[i])
            self.gradInput[i]:select(2, 1):range(1, ini)
         end
      end
   end
   return self.gradInput
end

-- the distinct weight columns with a non-zero value in the last input
local function touched_columns(self, where)
   local legacy = self.legacyMode
   local inDim = self.weight:size(2)
   local seen, cols = {}, {}
   for _, e in ipairs(entries(legacy, self.lastInput)) do
      if e[3] ~= 0 then
         local c = checked_column(e[2], inDim, where)
         if not seen[c] then seen[c] = true; cols[#cols + 1] = c end
      end
   end
   table.sort(cols)
   return cols
end

-- sparse updates are only valid after exactly one accumulation
function SparseLinear:updateParameters(learningRate)
   if self.lastInput and self.sparseUpdate == ONE_LAST_INPUT then
      local cols = touched_columns(self, 'updateParameters')
      if #cols == 0 and not self.legacyMode then return end
      self.bias:add(-learningRate, self.gradBias)
      for _, c in ipairs(cols) do
         self.weight:select(2, c):add(-learningRate, self.gradWeight:select(2, c))
      end
   else
      parent.updateParameters(self, learningRate)
   end
end

function SparseLinear:zeroGradParameters()
   if self.lastInput and self.sparseUpdate == ONE_LAST_INPUT then
      self.gradBias:zero()
      for _, c in ipairs(touched_columns(self, 'zeroGradParameters')) do
         self.gradWeight:select(2, c):zero()
      end
   else
      parent.zeroGradParameters(self)
   end
   self.sparseUpdate = NO_LAST_INPUT
end

function SparseLinear:clearState()
   if self.lastInput then self.lastInput:set() end
   return parent.clearState(self)
end

return SparseLinear
