-- nn.MultiLabelSoftMarginCriterion([weights, sizeAverage=true]): per class
-- logistic loss -(y log p + (1 - y) log(1 - p)), p = sigmoid(x), computed in
-- the stable form log(1 + exp(x - 2 x [x >= 0])) - x (y - [x >= 0]).
local MultiLabelSoftMarginCriterion, parent =
   torch.class('nn.MultiLabelSoftMarginCriterion', 'nn.Criterion')
local private = require 'nn._private'

function MultiLabelSoftMarginCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
   if weights ~= nil then
      assert(weights:dim() == 1, "weights input should be 1-D Tensor")
      self.weights = weights
   end
   self.sigmoid = nn.Sigmoid()
end

function MultiLabelSoftMarginCriterion:updateOutput(input, target)
   local w = private.columnWeights(self.weights, target)
   local x = input:view(input:nElement())
   local t = target:view(target:nElement())
   self.sigmoid:updateOutput(x)
   self._buffer1 = self._buffer1 or input.new()
   self._buffer2 = self._buffer2 or input.new()
   self._buffer1:resizeAs(x):copy(x:ge(0))            -- the indicator [x >= 0]
   self._buffer2:cmul(x, self._buffer1):mul(-2):add(x):exp():add(1):log()
   self._buffer1:mul(-1):add(t):cmul(x)                -- x (y - [x >= 0])
   self._buffer2:add(-1, self._buffer1)
   if w ~= nil then self._buffer2:cmul(w) end
   self.output = self._buffer2:sum()
   if self.sizeAverage then self.output = self.output / input:nElement() end
   return self.output
end

-- p - y (times the weights)
function MultiLabelSoftMarginCriterion:updateGradInput(input, target)
   local w = private.columnWeights(self.weights, target)
   self.gradInput:resizeAs(input):copy(self.sigmoid.output)
   self.gradInput:add(-1, target)
   if w ~= nil then self.gradInput:cmul(w) end
   if self.sizeAverage then self.gradInput:div(target:nElement()) end
   return self.gradInput
end

return MultiLabelSoftMarginCriterion
