-- nn.MSECriterion([sizeAverage=true]): sum (x - t)^2, divided by the number
-- of elements when sizeAverage.
local MSECriterion, parent = torch.class('nn.MSECriterion', 'nn.Criterion')
local private = require 'nn._private'

function MSECriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
end

function MSECriterion:updateOutput(input, target)
   target = private.likeInput(target, input, 'MSECriterion_updateOutput')
   local d = input:clone():add(-1, target)
   local sq = d:cmul(d)
   local sum = private.floatLoss(input, sq, self.sizeAverage)
   if not sum then
      sum = sq:sum()
      if self.sizeAverage then sum = sum / input:nElement() end
   end
   return private.setLoss(self, input, sum)
end

function MSECriterion:updateGradInput(input, target)
   target = private.likeInput(target, input, 'MSECriterion_updateGradInput')
   local norm = self.sizeAverage and 2 / input:nElement() or 2
   self.gradInput:resizeAs(input):copy(input):add(-1, target):mul(norm)
   return self.gradInput
end

return MSECriterion
