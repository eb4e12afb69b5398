-- nn.SmoothL1Criterion([sizeAverage=true]): per element 0.5 d^2 where |d| < 1,
-- |d| - 0.5 elsewhere (d = x - t); summed (mean with sizeAverage).
local SmoothL1Criterion, parent = torch.class('nn.SmoothL1Criterion', 'nn.Criterion')
local private = require 'nn._private'

function SmoothL1Criterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
end

function SmoothL1Criterion:updateOutput(input, target)
   target = private.likeInput(target, input, 'SmoothL1Criterion_updateOutput')
   local z = input:clone():add(-1, target):abs()
   local loss = z:clone():add(-0.5)
   private.copyWhere(loss, z:lt(1), z:clone():mul(0.5):cmul(z))
   local sum
   if require('nn._private').isFloat(input) then
      -- THNN (float): `real sum`, terms in double, rounded at every step;
      -- the mean divides in float
      local terms = z:double():add(-0.5)
      local zd = z:double()
      private.copyWhere(terms, z:lt(1), zd:clone():mul(0.5):cmul(zd))
      sum = require('nn.THNN_kernels').RealSum_updateOutput(terms, input)
      if self.sizeAverage then sum = torch.FloatTensor{sum}:div(input:nElement())[1] end
   else
      sum = loss:sum()
      if self.sizeAverage then sum = sum / input:nElement() end
   end
   return private.setLoss(self, input, sum)
end

-- norm * d, clipped to [-norm, norm]
function SmoothL1Criterion:updateGradInput(input, target)
   target = private.likeInput(target, input, 'SmoothL1Criterion_updateGradInput')
   local norm = self.sizeAverage and 1 / input:nElement() or 1
   local d = input:clone():add(-1, target)
   self.gradInput:resizeAs(input):copy(d):mul(norm)
   self.gradInput:maskedFill(d:lt(-1), -norm)
   self.gradInput:maskedFill(d:gt(1), norm)
   return self.gradInput
end

return SmoothL1Criterion
