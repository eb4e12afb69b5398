-- nn.LookupTable(nIndex, nOutput[, paddingValue=0, maxNorm, normType=2]):
-- row i of the weight for every index i of the input (vector, or batch
-- matrix).  Indices equal to paddingValue get no gradient; with maxNorm the
-- looked-up rows are rescaled to norm <= maxNorm before use.
local LookupTable, parent = torch.class('nn.LookupTable', 'nn.Module')

LookupTable.__version = 4

function LookupTable:__init(nIndex, nOutput, paddingValue, maxNorm, normType)
   parent.__init(self)
   self.weight = torch.Tensor(nIndex, nOutput)
   self.gradWeight = torch.Tensor(nIndex, nOutput):zero()
   self.paddingValue = paddingValue or 0
   self.maxNorm = maxNorm or nil
   self.normType = normType or nil
   self:reset()
end

-- fields older saved versions lack
function LookupTable:backCompatibility()
   self._count = self._count or torch.IntTensor()
   self._input = self._input or torch.LongTensor()
   if not self.shouldScaleGradByFreq then self.shouldScaleGradByFreq = false end
end

function LookupTable:accUpdateOnly()
   self.gradWeight = nil
   return self
end

function LookupTable:setPadding(paddingValue)
   self.paddingValue = paddingValue
   return self
end

function LookupTable:setMaxNorm(maxNorm)
   self.maxNorm = maxNorm
   return self
end

function LookupTable:setNormType(normType)
   self.normType = normType
   return self
end

function LookupTable:scaleGradByFreq()
   self.shouldScaleGradByFreq = true
   return self
end

function LookupTable:reset(stdv)
   self.weight:normal(0, stdv or 1)
end

-- the input as a contiguous LongTensor (copied into self._input if needed)
function LookupTable:makeInputContiguous(input)
   if not input:isContiguous() or torch.type(input) ~= torch.type(self._input) then
      self.copiedInput = true
      self._input:resize(input:size()):copy(input)
      return self._input
   end
   self.copiedInput = false
   return input
end

function LookupTable:updateOutput(input)
   self:backCompatibility()
   self:renorm(input)
   input = self:makeInputContiguous(input)
   if input:dim() == 1 then
      self.output:index(self.weight, 1, input)
   elseif input:dim() == 2 then
      self.output:index(self.weight, 1, input:view(-1))
      self.output = self.output:view(input:size(1), input:size(2), self.weight:size(2))
   else
      error("input must be a vector or matrix")
   end
   return self.output
end

-- indices have no gradient; a zero tensor of the input's type and size
function LookupTable:updateGradInput(input, gradOutput)
   if torch.type(self.gradInput) ~= torch.type(input) then
      self.gradInput = input.new()
   end
   if not self.gradInput:isSameSizeAs(input) then
      self.gradInput:resizeAs(input):zero()
   end
   return self.gradInput
end

local function check_range(indices, n)
   for _, k in ipairs(indices) do
      if k < 1 or k > n then
         error(string.format('inputs need to be in the range %d <= input < %d, but got input of value: %d',
                             1, n + 1, k))
      end
   end
end

-- gradWeight[k] += scale * gradOutput[i] for every input position i with
-- index k (skipping paddingValue); with scaleGradByFreq the scale is divided
-- by how often k occurs in this input.
function LookupTable:accGradParameters(input, gradOutput, scale)
   self:backCompatibility()
   scale = scale or 1
   input = self.copiedInput and self._input or input
   if input:dim() == 2 then
      input = input:view(-1)
   elseif input:dim() ~= 1 then
      error("input must be a vector or matrix")
   end
   local gw = self.gradWeight
   if not gw:isContiguous() then error("gradWeight must be contiguous") end
   local idx = input:totable()
   check_range(idx, gw:size(1))
   local go = gradOutput:contiguous():view(#idx, gw:size(2))

   local count
   if self.shouldScaleGradByFreq then
      count = {}
      for _, k in ipairs(idx) do count[k] = (count[k] or 0) + 1 end
   end
   local keep, scales, all = {}, {}, true
   for i, k in ipairs(idx) do
      if k ~= self.paddingValue then
         keep[#keep + 1] = i
         scales[#scales + 1] = count and scale / count[k] or scale
      else
         all = false
      end
   end
   if #keep == 0 then return end

   local rows, where = go, input
   if not all then
      local pos = torch.LongTensor(keep)
      rows = go:index(1, pos)
      where = input:index(1, pos)
   end
   if count then
      local s = rows.new(scales):view(#keep, 1):expandAs(rows)
      rows = torch.cmul(rows, s)
   elseif scale ~= 1 then
      rows = torch.mul(rows, scale)
   end
   gw:indexAdd(1, where, rows)
end

-- rescale the rows the input uses whose normType-norm exceeds maxNorm
function LookupTable:renorm(input)
   if not self.maxNorm then return end
   self._input:resize(input:size()):copy(input)
   local idx = self._input
   if idx:dim() == 2 then
      idx = idx:view(-1)
   elseif idx:dim() ~= 1 then
      error("input must be a vector or matrix")
   end
   local normType = self.normType or 2
   if normType <= 0 then error("non-positive-norm not supported") end
   local w = self.weight
   local list = idx:totable()
   check_range(list, w:size(1))
   table.sort(list)
   local uniq = {}
   for i, k in ipairs(list) do
      if i == 1 or k ~= list[i - 1] then uniq[#uniq + 1] = k end
   end
   local norms = w:index(1, torch.LongTensor(uniq)):norm(normType, 2):view(-1):totable()
   for i, k in ipairs(uniq) do
      if norms[i] > self.maxNorm then
         w:select(1, k):mul(self.maxNorm / (norms[i] + 1e-7))
      end
   end
end

function LookupTable:type(typename, tensorCache)
   parent.type(self, typename, tensorCache)
   -- the index buffers stay integer tensors
   self._count = torch.IntTensor()
   self._input = torch.LongTensor()
   return self
end

function LookupTable:clearState()
   nn.utils.clear(self, '_count', '_input')
   return parent.clearState(self)
end

function LookupTable:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

return LookupTable
