-- nn.ParallelCriterion([repeatTarget]): criterion i applied to input[i] and
-- target[i] (or the whole target when repeatTarget), summed with weights.
local ParallelCriterion, parent = torch.class('nn.ParallelCriterion', 'nn.Criterion')

function ParallelCriterion:__init(repeatTarget)
   parent.__init(self)
   self.criterions = {}
   self.weights = {}
   self.gradInput = {}
   self.repeatTarget = repeatTarget
end

function ParallelCriterion:add(criterion, weight)
   assert(criterion, 'no criterion provided')
   self.criterions[#self.criterions + 1] = criterion
   self.weights[#self.weights + 1] = weight or 1
   return self
end

function ParallelCriterion:updateOutput(input, target)
   self.output = 0
   for i, c in ipairs(self.criterions) do
      local t = self.repeatTarget and target or target[i]
      self.output = self.output + self.weights[i] * c:updateOutput(input[i], t)
   end
   return self.output
end

function ParallelCriterion:updateGradInput(input, target)
   self.gradInput = nn.utils.recursiveResizeAs(self.gradInput, input)
   nn.utils.recursiveFill(self.gradInput, 0)
   for i, c in ipairs(self.criterions) do
      local t = self.repeatTarget and target or target[i]
      nn.utils.recursiveAdd(self.gradInput[i], self.weights[i], c:updateGradInput(input[i], t))
   end
   return self.gradInput
end

function ParallelCriterion:type(typename, tensorCache)
   self.gradInput = {}
   return parent.type(self, typename, tensorCache)
end

return ParallelCriterion
