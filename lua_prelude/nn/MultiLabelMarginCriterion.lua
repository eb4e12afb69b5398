-- nn.MultiLabelMarginCriterion: multi-label hinge loss.  target holds class
-- indices, ended by the first 0 (padding); the loss sums, for every target
-- class j and every non-target class i, max(0, 1 - (x[j] - x[i])), divided by
-- the number of classes (and of samples with sizeAverage).  The loops run in
-- Lua in THNN's order.
local MultiLabelMarginCriterion, parent = torch.class('nn.MultiLabelMarginCriterion', 'nn.Criterion')
local private = require 'nn._private'

function MultiLabelMarginCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
   self.isTarget = torch.Tensor()
end

-- input rows, target rows (the class lists), and isTarget (1 where a class
-- is a target), with THNN's checks
local function prepare(self, input, target)
   target = target:long()
   local nd = input:dim()
   if nd ~= 1 and nd ~= 2 then error("bad argument #2 to 'v' (vector or matrix expected)") end
   local nframe = nd == 1 and 1 or input:size(1)
   local dim = input:size(nd)
   local ok
   if nd == 1 then
      ok = target:dim() == 1 and target:size(1) == dim
   else
      ok = target:dim() == 2 and target:size(1) == nframe and target:size(2) == dim
   end
   if not ok then error("bad argument #3 to 'v' (inconsistent target size)") end
   if target:min() < 0 or target:max() > dim then error("bad argument #3 to 'v' (target out of range)") end
   local rows = input:contiguous():view(nframe, dim):totable()
   local trows = target:contiguous():view(nframe, dim):totable()
   local lists, flags = {}, {}
   for i = 1, nframe do
      local list, flag = {}, {}
      for d = 1, dim do flag[d] = 0 end
      for k = 1, dim do
         local c = trows[i][k]
         if c < 1 then break end
         list[#list + 1] = c
         flag[c] = 1
      end
      lists[i], flags[i] = list, flag
   end
   self.isTarget:resize(target:size()):copy(input.new(flags):viewAs(target))
   return rows, lists, flags, nframe, dim
end

-- THNN computes in the tensor's type (`real`): for a FloatTensor every
-- step rounds to float
local function rounder(input)
   if not require('nn._private').isFloat(input) then return function(v) return v end end
   local f = torch.FloatTensor(1)
   return function(v) f[1] = v; return f[1] end
end

function MultiLabelMarginCriterion:updateOutput(input, target)
   local rows, lists, flags, nframe, dim = prepare(self, input, target)
   local r = rounder(input)
   local sum = 0
   for i = 1, nframe do
      local row, flag = rows[i], flags[i]
      for _, j in ipairs(lists[i]) do
         local xj = row[j]
         for d = 1, dim do
            if flag[d] == 0 then
               local z = r(r(1 - xj) + row[d])
               if z > 0 then sum = r(sum + z) end
            end
         end
      end
   end
   sum = r(sum / dim)
   if self.sizeAverage then sum = r(sum / nframe) end
   return private.setLoss(self, input, sum)
end

function MultiLabelMarginCriterion:updateGradInput(input, target)
   local rows, lists, flags, nframe, dim = prepare(self, input, target)
   local r = rounder(input)
   local g = r(self.sizeAverage and 1 / (nframe * dim) or 1 / dim)
   local grad = {}
   for i = 1, nframe do
      local row, flag = rows[i], flags[i]
      local out = {}
      for d = 1, dim do out[d] = 0 end
      for _, j in ipairs(lists[i]) do
         local xj = row[j]
         for d = 1, dim do
            if flag[d] == 0 and r(r(1 - xj) + row[d]) > 0 then
               out[j] = r(out[j] - g)
               out[d] = r(out[d] + g)
            end
         end
      end
      grad[i] = out
   end
   self.gradInput:resizeAs(input):copy(input.new(grad):viewAs(input))
   return self.gradInput
end

return MultiLabelMarginCriterion
