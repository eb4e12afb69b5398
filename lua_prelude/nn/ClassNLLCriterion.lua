-- nn.ClassNLLCriterion([weights, sizeAverage=true, ignoreIndex=-100]):
-- negative log-likelihood -x[target] (times the class weight) for
-- log-probability inputs, a vector or a batch matrix; targets equal to
-- ignoreIndex are skipped.  With sizeAverage the loss is divided by the total
-- weight of the counted targets.  The per-target loop is done in Lua, in
-- THNN's order, so sums round as in Torch7.
local ClassNLLCriterion, parent = torch.class('nn.ClassNLLCriterion', 'nn.Criterion')
local F = require 'nn._fused'
local TDATA = require('torch._core').TDATA

-- the Python handles of input, target and weights for the one-call paths
-- (torchlua/core/nn_classify.py), or nil
local function fusedArgs(self, input)
   local hx = F.h(input, input)
   local rt, rw = TDATA[self.target], self.weights and TDATA[self.weights]
   if not (hx and rt and (rw or not self.weights)) then return nil end
   return hx, rt.h, rw and rw.h
end

function ClassNLLCriterion:__init(weights, sizeAverage, ignoreIndex)
   parent.__init(self)
   if sizeAverage == nil then sizeAverage = true end
   self.sizeAverage = sizeAverage
   self.ignoreIndex = ignoreIndex or -100
   if weights then
      assert(weights:dim() == 1, "weights input should be 1-D Tensor")
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.zeros(1):long()
end

function ClassNLLCriterion:__len()
   if self.weights then return #self.weights end
   return 0
end

-- the target as a LongTensor in self.target (a number becomes a 1-vector)
local function setTarget(self, target)
   if type(target) == 'number' then
      self.target = self.target:long()
      self.target:resize(1)
      self.target[1] = target
   else
      self.target = target:long()
   end
end

local function check(self, input)
   local nClasses = input:size(input:dim())
   if self.target:dim() > 1 then error("multi-target not supported") end
   if input:dim() > 2 then error("input tensor should be 1D or 2D") end
   if self.weights and self.weights:nElement() ~= nClasses then
      error(string.format("weight tensor should be defined either for all %d classes or no classes"
                          .. " but got weight tensor of shape: %s",
                          nClasses, table.concat(self.weights:size():totable(), 'x')))
   end
   return nClasses
end

-- per counted sample: {row, class} (1-based), in order
local function countedTargets(self, input, nClasses)
   local t = self.target:totable()
   local n = input:dim() == 1 and 1 or input:size(1)
   if input:dim() == 2 and #t ~= n then
      error("Assertion `THIndexTensor_(size)(target, 0) == batch_size' failed. ")
   end
   local list = {}
   for i = 1, n do
      local c = t[i]
      if c ~= self.ignoreIndex then
         if not (c >= 1 and c <= nClasses) then
            error("Assertion `cur_target >= 0 && cur_target < n_classes' failed. ")
         end
         list[#list + 1] = {i, c}
      end
   end
   return list
end

function ClassNLLCriterion:updateOutput(input, target)
   setTarget(self, target)
   -- THNN's arguments: input, target (Long), output, sizeAverage, weights
   require('nn._private').checkTypes(input, 2, nil, self.output_tensor)
   local hx, ht, hw = fusedArgs(self, input)
   if hx then   -- the checks and the loop below in one call (nil: irregular targets)
      local out, total = F.call(F.C.nnc_class_nll_output, hx, ht, hw, self.sizeAverage,
                                self.ignoreIndex)
      if out then
         self.output_tensor[1] = out
         self.total_weight_tensor[1] = total
         self.output = self.output_tensor[1]
         return self.output, self.total_weight_tensor[1]
      end
   end
   local nClasses = check(self, input)
   local list = countedTargets(self, input, nClasses)
   local w = self.weights and self.weights:totable()
   local rows = input:dim() == 1 and input:view(1, -1) or input
   local picked = {}
   if #list > 0 then
      local idx = torch.LongTensor(rows:size(1), 1):fill(1)
      for _, e in ipairs(list) do idx[{e[1], 1}] = e[2] end
      picked = rows:gather(2, idx):view(-1):totable()
   end
   local out, total = 0, 0
   -- THNN accumulates in the tensor's type (`real`): round every step
   local round = function(v) return v end
   if require('nn._private').isFloat(input) then
      local f = torch.FloatTensor(1)
      round = function(v) f[1] = v; return f[1] end
   end
   for _, e in ipairs(list) do
      local cw = w and w[e[2]] or 1
      total = round(total + cw)
      out = round(out - round(picked[e[1]] * cw))
   end
   if self.sizeAverage and total ~= 0 then out = round(out / total) end
   self.output_tensor[1] = out
   self.total_weight_tensor[1] = total
   self.output = self.output_tensor[1]
   return self.output, self.total_weight_tensor[1]
end

-- -weight at each counted target (divided by the total weight for batches
-- with sizeAverage; a single sample gets -1, or -weight without sizeAverage)
function ClassNLLCriterion:updateGradInput(input, target)
   setTarget(self, target)
   local hx, ht, hw = fusedArgs(self, input)
   local hg = hx and F.h(self.gradInput, input)
   -- the loop below in one call (false: irregular targets)
   if hg and F.call(F.C.nnc_class_nll_grad_input, hg, hx, ht, hw, self.sizeAverage,
                    self.ignoreIndex, self.total_weight_tensor[1]) then
      return self.gradInput
   end
   self.gradInput:resizeAs(input):zero()
   local total = self.total_weight_tensor[1]
   if not (total > 0) then return self.gradInput end
   local nClasses = check(self, input)
   local list = countedTargets(self, input, nClasses)
   if #list == 0 then return self.gradInput end
   local w = self.weights and self.weights:totable()
   local rows = input:dim() == 1 and self.gradInput:view(1, -1) or self.gradInput
   local idx = torch.LongTensor(rows:size(1), 1):fill(1)
   local vals = rows.new(rows:size(1), 1):zero()
   for _, e in ipairs(list) do
      local v
      if input:dim() == 1 then
         v = (not self.sizeAverage and w) and -w[e[2]] or -1
      else
         v = -(w and w[e[2]] or 1)
         if self.sizeAverage and total ~= 0 then v = v / total end
      end
      idx[{e[1], 1}] = e[2]
      vals[{e[1], 1}] = v
   end
   -- ignored rows write 0 into column 1, which is 0 already
   rows:scatter(2, idx, vals)
   return self.gradInput
end

return ClassNLLCriterion
