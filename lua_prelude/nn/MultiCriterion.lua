-- nn.MultiCriterion: a weighted sum of criterions applied to the same
-- input and target.
local MultiCriterion, parent = torch.class('nn.MultiCriterion', 'nn.Criterion')

function MultiCriterion:__init()
   parent.__init(self)
   self.criterions = {}
   self.weights = torch.DoubleStorage()
end

function MultiCriterion:add(criterion, weight)
   assert(criterion, 'no criterion provided')
   self.criterions[#self.criterions + 1] = criterion
   self.weights:resize(#self.criterions, true)
   self.weights[#self.criterions] = weight or 1
   return self
end

function MultiCriterion:updateOutput(input, target)
   self.output = 0
   for i = 1, #self.criterions do
      self.output = self.output + self.weights[i] * self.criterions[i]:updateOutput(input, target)
   end
   return self.output
end

function MultiCriterion:updateGradInput(input, target)
   self.gradInput = nn.utils.recursiveResizeAs(self.gradInput, input)
   nn.utils.recursiveFill(self.gradInput, 0)
   for i = 1, #self.criterions do
      nn.utils.recursiveAdd(self.gradInput, self.weights[i],
                            self.criterions[i]:updateGradInput(input, target))
   end
   return self.gradInput
end

function MultiCriterion:type(typename)
   for _, c in ipairs(self.criterions) do c:type(typename) end
   return parent.type(self, typename)
end

return MultiCriterion
