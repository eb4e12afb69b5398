-- nn.WeightedMSECriterion(w): MSE against target .* w (w broadcast over the
-- batch rows when the input has one more dimension).
local WeightedMSECriterion, parent = torch.class('nn.WeightedMSECriterion', 'nn.MSECriterion')

function WeightedMSECriterion:__init(w)
   parent.__init(self)
   self.weight = w:clone()
end

local function weightedTarget(self, input, target)
   self.buffer = self.buffer or input.new()
   self.buffer:resizeAs(input):copy(target)
   if input:dim() - 1 == self.weight:dim() then
      for i = 1, input:size(1) do self.buffer[i]:cmul(self.weight) end
   else
      self.buffer:cmul(self.weight)
   end
   return self.buffer
end

function WeightedMSECriterion:updateOutput(input, target)
   return parent.updateOutput(self, input, weightedTarget(self, input, target))
end

function WeightedMSECriterion:updateGradInput(input, target)
   return parent.updateGradInput(self, input, weightedTarget(self, input, target))
end

return WeightedMSECriterion
