-- nn.DistKLDivCriterion: KL divergence sum t (log t - x) for log-probability
-- inputs x and probability targets t (terms with t <= 0 count 0).
local DistKLDivCriterion, parent = torch.class('nn.DistKLDivCriterion', 'nn.Criterion')
local private = require 'nn._private'

function DistKLDivCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
end

local function checkSizes(input, target)
   local same = input:dim() == target:dim()
   if same then
      for d = 1, input:dim() do
         if input:size(d) ~= target:size(d) then same = false end
      end
   end
   assert(same, 'input and target should have the same size')
end

function DistKLDivCriterion:updateOutput(input, target)
   checkSizes(input, target)
   local positive = target:gt(0)
   local terms = input.new():resizeAs(input):zero()
   private.copyWhere(terms, positive, target:clone():log():add(-1, input):cmul(target))
   local sum
   if require('nn._private').isFloat(input) then
      -- THNN (float): t (log t - x) in double, summed as a `real sum`
      local td = target:double()
      local termsD = td:clone():log():add(-1, input:double()):cmul(td)
      termsD:maskedFill(positive:eq(0), 0)
      sum = private.floatLoss(input, termsD, self.sizeAverage)
   else
      sum = terms:sum()
      if self.sizeAverage then sum = sum / input:nElement() end
   end
   return private.setLoss(self, input, sum)
end

function DistKLDivCriterion:updateGradInput(input, target)
   checkSizes(input, target)
   local norm = self.sizeAverage and 1 / input:nElement() or 1
   self.gradInput:resizeAs(input):copy(target):mul(-1):mul(norm)
   self.gradInput:maskedFill(target:gt(0):eq(0), 0)
   return self.gradInput
end

return DistKLDivCriterion
