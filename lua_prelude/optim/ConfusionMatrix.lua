-- optim.ConfusionMatrix(nclasses[, classes]) or optim.ConfusionMatrix(classes):
-- counts mat[target][prediction] over a run, and derives per-class accuracy
-- (valids), intersection-over-union (unionvalids), global accuracy (totalValid)
-- and the averages of the first two.  tostring() gives Torch7's printout.
local ConfusionMatrix = torch.class('optim.ConfusionMatrix')

function ConfusionMatrix:__init(nclasses, classes)
   if type(nclasses) == 'table' then
      classes, nclasses = nclasses, #nclasses
   end
   self.mat = torch.LongTensor(nclasses, nclasses):zero()
   self.valids = torch.FloatTensor(nclasses):zero()
   self.unionvalids = torch.FloatTensor(nclasses):zero()
   self.nclasses = nclasses
   self.totalValid = 0
   self.averageValid = 0
   self.classes = classes or {}
   -- reusable buffers
   self._mat_flat = self.mat:view(-1)
   self._target = torch.FloatTensor()
   self._prediction = torch.FloatTensor()
   self._max = torch.FloatTensor()
   self._pred_idx = torch.LongTensor()
   self._targ_idx = torch.LongTensor()
end

-- one (prediction, target) pair of class indices; targets <= 0 are skipped
function ConfusionMatrix:_add(p, t)
   assert(p and type(p) == 'number')
   assert(t and type(t) == 'number')
   if t > 0 then
      self.mat[t][p] = self.mat[t][p] + 1
   end
end

-- prediction: a class index or a vector of scores (its argmax is the class);
-- target: a class index or a vector (its argmax is the class)
function ConfusionMatrix:add(prediction, target)
   if type(prediction) == 'number' then
      self:_add(prediction, target)
      return
   end
   self._prediction:resize(prediction:size()):copy(prediction)
   assert(prediction:dim() == 1)
   if type(target) == 'number' then
      self._max:max(self._pred_idx, self._prediction, 1)
      self:_add(self._pred_idx[1], target)
   else
      assert(target:dim() == 1)
      self._target:resize(target:size()):copy(target)
      self._max:max(self._targ_idx, self._target, 1)
      self._max:max(self._pred_idx, self._prediction, 1)
      self:_add(self._pred_idx[1], self._targ_idx[1])
   end
end

-- as add, for a batch: predictions and targets are vectors of class indices,
-- n x 1 columns of them, or n x nclasses score / one-hot matrices
function ConfusionMatrix:batchAdd(predictions, targets)
   local function classesOf(src, buffer, idx, what)
      buffer:resize(src:size()):copy(src)
      if src:dim() == 1 then
         return buffer
      elseif src:dim() == 2 then
         if src:size(2) == 1 then
            return buffer:select(2, 1)
         end
         self._max:max(idx, buffer, 2)
         return idx:select(2, 1)
      end
      error(what .. " has invalid number of dimensions")
   end
   local preds = classesOf(predictions, self._prediction, self._pred_idx, 'predictions')
   local targs = classesOf(targets, self._target, self._targ_idx, 'targets')

   local keep = targs:ge(1)
   targs = targs[keep]
   preds = preds[keep]

   self._mat_flat = self._mat_flat or self.mat:view(-1)
   preds = preds:typeAs(targs)

   assert(self.mat:isContiguous() and self.mat:stride(2) == 1)
   local cells = ((targs - 1) * self.mat:stride(1) + preds):typeAs(self.mat)
   local ones = torch.ones(1):typeAs(self.mat):expand(cells:size(1))
   self._mat_flat:indexAdd(1, cells, ones)
end

function ConfusionMatrix:zero()
   self.mat:zero()
   self.valids:zero()
   self.unionvalids:zero()
   self.totalValid = 0
   self.averageValid = 0
end

local function isNaN(v)
   return v ~= v
end

function ConfusionMatrix:updateValids()
   local mat = self.mat
   local correct = 0
   for c = 1, self.nclasses do
      local hit = mat[c][c]
      local rowSum = mat:select(1, c):sum()
      local colSum = mat:select(2, c):sum()
      self.valids[c] = hit / rowSum
      self.unionvalids[c] = hit / (rowSum + colSum - hit)
      correct = correct + hit
   end
   self.totalValid = correct / mat:sum()

   -- averages over the classes whose ratios are defined
   local sumValid, nValid = 0, 0
   local sumUnion, nUnion = 0, 0
   for c = 1, self.nclasses do
      local v, u = self.valids[c], self.unionvalids[c]
      if not isNaN(v) then
         sumValid = sumValid + v
         nValid = nValid + 1
      end
      if not isNaN(v) and not isNaN(u) then
         sumUnion = sumUnion + u
         nUnion = nUnion + 1
      end
   end
   self.averageValid = sumValid / nValid
   self.averageUnionValid = sumUnion / nUnion
end

-- false rejection / false acceptance rates per class (classes without samples
-- get -1 in the per-class tensors and are left out of the compact ones)
function ConfusionMatrix:farFrr()
   local mat = self.mat
   local n = mat:size()[1]
   local function reset(name, fill)
      self[name] = self[name] or torch.zeros(n)
      self[name]:zero()
      if fill then self[name]:add(fill) end
      return self[name]
   end
   local frrs = reset('_frrs')
   local classFrrs = reset('_classFrrs', -1)
   local fars = reset('_fars')
   local classFars = reset('_classFars', -1)
   local perClass = mat:sum(2)
   local k = 0
   for i = 1, n do
      if perClass[i][1] ~= 0 then
         k = k + 1
         frrs[k] = 1 - mat[i][i] / perClass[i][1]
         classFrrs[i] = frrs[k]
         local num, den = 0, 0
         for j = 1, n do
            if i ~= j and perClass[j][1] ~= 0 then
               num = num + mat[j][i] / perClass[j][1]
               den = den + 1
            end
         end
         fars[k] = num / den
         classFars[i] = fars[k]
      end
   end
   return classFrrs, classFars, frrs[{ {1, k} }], fars[{ {1, k} }]
end

local function log10(v)
   return math.log10 and math.log10(v) or math.log(v) / math.log(10)
end

function ConfusionMatrix:__tostring__()
   self:updateValids()
   local n = self.nclasses
   local width = math.max(8, 1 + math.ceil(log10(self.mat:max())))
   local cell = '%' .. width .. 'd'
   local named = self.classes and self.classes[1]
   local out = {'ConfusionMatrix:\n', '['}
   for t = 1, n do
      out[#out + 1] = (t == 1) and '[' or ' ['
      for p = 1, n do
         out[#out + 1] = string.format(cell, self.mat[t][p])
      end
      local close = (t == n) and ']]  ' or ']   '
      local line = close .. string.format('%2.3f', self.valids[t] * 100) .. '% '
      if named then
         line = line .. '\t[class: ' .. (self.classes[t] or '') .. ']'
      end
      out[#out + 1] = line .. '\n'
   end
   out[#out + 1] = ' + average row correct: ' .. (self.averageValid * 100) .. '% \n'
   out[#out + 1] = ' + average rowUcol correct (VOC measure): ' .. (self.averageUnionValid * 100) .. '% \n'
   out[#out + 1] = ' + global correct: ' .. (self.totalValid * 100) .. '%'
   return table.concat(out)
end

-- Torch7 draws the matrix with qtwidget; torchlua has no Qt.  This returns the
-- greyscale image part of that rendering (each cell a block x block square
-- holding its row-normalised score, classes sorted by 'score' or 'occurrence',
-- grid lines at 0.1) as a DoubleTensor, without the text legend.
function ConfusionMatrix:render(sortmode, display, block)
   sortmode = sortmode or 'score'
   block = block or 25
   local n = self.nclasses
   local norm = self.mat:double()
   local freqs = torch.DoubleTensor(n)
   local diag = torch.DoubleTensor(n)
   for c = 1, n do
      freqs[c] = norm[c]:sum()
      norm[c]:div(math.max(norm[c]:sum(), 1))
      diag[c] = norm[c][c]
   end
   local order
   if sortmode == 'score' then
      order = select(2, torch.sort(diag, 1, true))
   elseif sortmode == 'occurrence' then
      order = select(2, torch.sort(freqs, 1, true))
   else
      error('sort mode must be one of: score | occurrence')
   end
   local img = torch.zeros(n * block, n * block)
   for t = 1, n do
      for p = 1, n do
         img[{ {(t - 1) * block + 1, t * block}, {(p - 1) * block + 1, p * block} }] =
            norm[order[t]][order[p]]
      end
   end
   for c = 1, n do
      img[{ {c * block}, {} }] = 0.1
      img[{ {}, {c * block} }] = 0.1
   end
   return img
end
