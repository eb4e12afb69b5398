-- nn.MarginCriterion(margin=1): two-class hinge loss sum max(0, margin - x t)
-- for targets t in {-1, 1}.
local MarginCriterion, parent = torch.class('nn.MarginCriterion', 'nn.Criterion')
local private = require 'nn._private'

function MarginCriterion:__init(margin)
   parent.__init(self)
   self.sizeAverage = true
   self.margin = margin or 1
end

function MarginCriterion:updateOutput(input, target)
   target = private.likeInput(target, input, 'MarginCriterion_updateOutput')
   local z = torch.cmul(input, target):mul(-1):add(self.margin)
   z:maskedFill(z:gt(0):eq(0), 0)
   local sum = private.floatLoss(input, z, self.sizeAverage)
   if not sum then
      sum = z:sum()
      if self.sizeAverage then sum = sum / input:nElement() end
   end
   return private.setLoss(self, input, sum)
end

function MarginCriterion:updateGradInput(input, target)
   target = private.likeInput(target, input, 'MarginCriterion_updateGradInput')
   local norm = self.sizeAverage and 1 / input:nElement() or 1
   self.gradInput:resizeAs(input):copy(target):mul(-norm)
   self.gradInput:maskedFill(torch.cmul(input, target):lt(self.margin):eq(0), 0)
   return self.gradInput
end

return MarginCriterion
