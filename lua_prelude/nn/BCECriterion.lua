-- nn.BCECriterion([weights, sizeAverage=true]): binary cross-entropy
-- -sum w (t log(x + eps) + (1 - t) log(1 - x + eps)), eps = 1e-12, for
-- probabilities x in [0, 1]; weights (one per column) are optional.
local BCECriterion, parent = torch.class('nn.BCECriterion', 'nn.Criterion')
local private = require 'nn._private'

local EPS = 1e-12

function BCECriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
   if weights ~= nil then
      assert(weights:dim() == 1, "weights input should be 1-D Tensor")
      self.weights = weights
   end
end

function BCECriterion:__len()
   return self.weights and #self.weights or 0
end

function BCECriterion:updateOutput(input, target)
   assert(input:nElement() == target:nElement(), "input and target size mismatch")
   local w = private.columnWeights(self.weights, target)
   target = private.likeInput(target, input, 'BCECriterion_updateOutput')
   local outside = torch.cmul(input:ge(0), input:le(1)):eq(0)   -- NaN counts as outside
   if outside:sum() > 0 then
      local bad = input:maskedSelect(outside)[1]
      error(string.format("Assertion `x >= 0. && x <= 1.' failed. input value should be between 0~1, but got %f", bad))
   end
   if require('nn._private').isFloat(input) then
      -- THNN (float): each term in double, `real sum` rounded to float at
      -- every step, the mean divided in float
      local xd, yd = input:double(), target:double()
      local a = xd:clone():add(EPS):log():cmul(yd)
      a:add(xd:clone():mul(-1):add(1):add(EPS):log():cmul(yd:clone():mul(-1):add(1)))
      if w then a:cmul(private.likeInput(w, input, nil, 'weights'):double()) end
      local sum = require('nn.THNN_kernels').RealSum_updateOutput(a:mul(-1), input)
      if self.sizeAverage then sum = torch.FloatTensor{sum}:div(input:nElement())[1] end
      return private.setLoss(self, input, sum)
   end
   -- log(x + eps) t + log(1 - x + eps) (1 - t)
   local a = input:clone():add(EPS):log():cmul(target)
   local b = input:clone():mul(-1):add(1):add(EPS):log()
   b:cmul(target:clone():mul(-1):add(1))
   a:add(b)
   if w then a:cmul(private.likeInput(w, input, nil, 'weights')) end
   local sum = -a:sum()
   if self.sizeAverage then sum = sum / input:nElement() end
   return private.setLoss(self, input, sum)
end

-- -norm (t - x) / ((1 - x + eps)(x + eps)), times the weights
function BCECriterion:updateGradInput(input, target)
   assert(input:nElement() == target:nElement(), "input and target size mismatch")
   local w = private.columnWeights(self.weights, target)
   target = private.likeInput(target, input, 'BCECriterion_updateGradInput')
   local norm = self.sizeAverage and 1 / input:nElement() or 1
   if require('nn._private').isFloat(input) then
      -- THNN (float): -norm (t - x) / ((1 - x + eps)(x + eps)) in double with
      -- -norm (t - x) in float, rounded once
      norm = torch.FloatTensor{norm}[1]
      local xd = input:double()
      local den = xd:clone():mul(-1):add(1):add(EPS):cmul(xd:clone():add(EPS))
      local diff = input.new():resizeAs(input):copy(target):add(-1, input):mul(-norm):double()
      self.gradInput:resizeAs(input):copy(diff:cdiv(den))
      if w then self.gradInput:cmul(private.likeInput(w, input, nil, 'weights')) end
      return self.gradInput
   end
   local denom = input:clone():mul(-1):add(1):add(EPS):cmul(input:clone():add(EPS))
   self.gradInput:resizeAs(input):copy(target):add(-1, input):mul(-norm):cdiv(denom)
   if w then self.gradInput:cmul(private.likeInput(w, input, nil, 'weights')) end
   return self.gradInput
end

return BCECriterion
