-- nn.AbsCriterion([sizeAverage=true]): sum |x - t| (mean with sizeAverage).
local AbsCriterion, parent = torch.class('nn.AbsCriterion', 'nn.Criterion')
local private = require 'nn._private'

function AbsCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
end

function AbsCriterion:updateOutput(input, target)
   target = private.likeInput(target, input, 'AbsCriterion_updateOutput')
   local z = input:clone():add(-1, target):abs()
   local sum = private.floatLoss(input, z, self.sizeAverage)
   if not sum then
      sum = z:sum()
      if self.sizeAverage then sum = sum / input:nElement() end
   end
   return private.setLoss(self, input, sum)
end

-- +norm where x - t >= 0, -norm elsewhere
function AbsCriterion:updateGradInput(input, target)
   target = private.likeInput(target, input, 'AbsCriterion_updateGradInput')
   local norm = self.sizeAverage and 1 / input:nElement() or 1
   local d = input:clone():add(-1, target)
   self.gradInput:resizeAs(input):fill(norm)
   self.gradInput:maskedFill(d:ge(0):eq(0), -norm)
   return self.gradInput
end

return AbsCriterion
