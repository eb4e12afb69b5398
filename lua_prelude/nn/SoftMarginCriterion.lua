-- nn.SoftMarginCriterion: two-class logistic loss sum log(1 + exp(-x t)).
local SoftMarginCriterion, parent = torch.class('nn.SoftMarginCriterion', 'nn.Criterion')
local private = require 'nn._private'

function SoftMarginCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
end

function SoftMarginCriterion:updateOutput(input, target)
   target = private.likeInput(target, input, 'SoftMarginCriterion_updateOutput')
   local sum
   if require('nn._private').isFloat(input) then
      -- THNN (float): z = (float) log(1 + exp(-x t)) in double; `real sum`
      local z = torch.cmul(input, target):mul(-1):double():exp():add(1):log():float()
      sum = private.floatLoss(input, z, self.sizeAverage)
   else
      sum = torch.cmul(input, target):mul(-1):exp():add(1):log():sum()
      if self.sizeAverage then sum = sum / input:nElement() end
   end
   return private.setLoss(self, input, sum)
end

-- with z = exp(-t x): -norm t z / (1 + z)
function SoftMarginCriterion:updateGradInput(input, target)
   target = private.likeInput(target, input, 'SoftMarginCriterion_updateGradInput')
   local norm = self.sizeAverage and 1 / input:nElement() or 1
   local z = torch.cmul(target, input):mul(-1):exp()
   if require('nn._private').isFloat(input) then
      -- THNN (float): -norm t z in float, / (1 + z) in double
      local a = input.new():resizeAs(input):copy(target):mul(-norm):cmul(z):double()
      self.gradInput:resizeAs(input):copy(a:cdiv(z:double():add(1)))
      return self.gradInput
   end
   self.gradInput:resizeAs(input):copy(target):mul(-norm):cmul(z):cdiv(z:clone():add(1))
   return self.gradInput
end

return SoftMarginCriterion
