-- nn.MultiMarginCriterion(p=1[, weights, margin=1]): multi-class hinge loss
-- sum over classes d ~= y of max(0, margin - x[y] + x[d])^p (times the
-- target's weight), divided by the number of classes (and of samples with
-- sizeAverage).  The loops run in Lua in THNN's order.
local MultiMarginCriterion, parent = torch.class('nn.MultiMarginCriterion', 'nn.Criterion')
local private = require 'nn._private'

function MultiMarginCriterion:__init(p, weights, margin)
   assert(p == nil or p == 1 or p == 2, 'only p=1 and p=2 supported')
   self.p = p or 1
   self.margin = margin or 1.0
   parent.__init(self)
   self.sizeAverage = true
   if weights then
      assert(weights:dim() == 1, "weights input should be 1-D Tensor")
      self.weights = weights
   end
end

-- rows of input values, target classes, and checks (as THNN)
local function prepare(self, input, target)
   if not torch.isTensor(target) then
      self.target_tensor = self.target_tensor or torch.LongTensor(1)
      self.target_tensor[1] = target
      target = self.target_tensor
   end
   target = target:long()
   self.p = self.p or 1
   local nd = input:dim()
   if nd ~= 1 and nd ~= 2 then error("bad argument #2 to 'v' (vector or matrix expected)") end
   local nframe = nd == 1 and 1 or input:size(1)
   local dim = input:size(nd)
   if nd == 2 and not (target:dim() == 1 and target:size(1) == nframe) then
      error("bad argument #3 to 'v' (inconsistent target size)")
   end
   local t = target:view(-1):totable()
   for i = 1, nframe do
      if not (t[i] >= 1 and t[i] <= dim) then error("bad argument #3 to 'v' (target out of range)") end
   end
   local rows = input:contiguous():view(nframe, dim):totable()
   return rows, t, nframe, dim, self.weights and self.weights:totable()
end

-- THNN computes in the tensor's type (`real`): for a FloatTensor every
-- step rounds to float
local function rounder(input)
   if not require('nn._private').isFloat(input) then return function(v) return v end end
   local f = torch.FloatTensor(1)
   return function(v) f[1] = v; return f[1] end
end

function MultiMarginCriterion:updateOutput(input, target)
   local rows, t, nframe, dim, w = prepare(self, input, target)
   local r = rounder(input)
   local margin = r(self.margin)
   local sum = 0
   for i = 1, nframe do
      local row, y = rows[i], t[i]
      local xy = row[y]
      for d = 1, dim do
         local z = r(r(margin - xy) + row[d])
         if d ~= y and z > 0 then
            local h = self.p == 1 and z or r(z * z)
            if w then h = r(h * w[y]) end
            sum = r(sum + h)
         end
      end
   end
   sum = r(sum / dim)
   if self.sizeAverage then sum = r(sum / nframe) end
   return private.setLoss(self, input, sum)
end

function MultiMarginCriterion:updateGradInput(input, target)
   local rows, t, nframe, dim, w = prepare(self, input, target)
   local r = rounder(input)
   local margin = r(self.margin)
   local g = r(self.sizeAverage and 1 / (nframe * dim) or 1 / dim)
   local grad = {}
   for i = 1, nframe do
      local row, y = rows[i], t[i]
      local xy = row[y]
      local out, gy = {}, 0
      for d = 1, dim do
         if d ~= y then
            local z = r(r(margin - xy) + row[d])
            if z > 0 then
               local h = self.p == 1 and g or r(r(2 * g) * z)
               if w then h = r(h * w[y]) end
               gy = r(gy - h)
               out[d] = h
            else
               out[d] = 0
            end
         end
      end
      out[y] = gy
      grad[i] = out
   end
   self.gradInput:resizeAs(input):copy(input.new(grad):viewAs(input))
   return self.gradInput
end

return MultiMarginCriterion
