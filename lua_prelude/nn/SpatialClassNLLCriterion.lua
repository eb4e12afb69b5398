-- nn.SpatialClassNLLCriterion([weights, sizeAverage=true]): negative
-- log-likelihood per pixel for a batch of class maps: input N x C x H x W
-- (log-probabilities), target N x H x W (1-based classes).  The loss goes
-- through a 1-element tensor of the input's type, as THNN writes it.
local K = require 'nn.THNN_kernels'
local Crit, parent = torch.class('nn.SpatialClassNLLCriterion', 'nn.Criterion')

function Crit:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
   if weights then
      assert(weights:dim() == 1, 'weights input should be 1-D Tensor')
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.zeros(1):long()
end

function Crit:__len()
   return self.weights and #self.weights or 0
end

local function longTarget(self, target)
   if type(target) == 'number' then
      self.target = self.target:long()
      self.target[1] = target
   else
      self.target = target:long()
   end
end

function Crit:updateOutput(input, target)
   longTarget(self, target)
   K.SpatialClassNLLCriterion_updateOutput(input, self.target, self.output_tensor,
      self.sizeAverage, self.weights, self.total_weight_tensor)
   self.output = self.output_tensor[1]
   return self.output, self.total_weight_tensor[1]
end

function Crit:updateGradInput(input, target)
   longTarget(self, target)
   self.gradInput:resizeAs(input):zero()
   K.SpatialClassNLLCriterion_updateGradInput(input, self.target, self.gradInput,
      self.sizeAverage, self.weights, self.total_weight_tensor)
   return self.gradInput
end

return Crit
