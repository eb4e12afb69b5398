-- nn.CosineEmbeddingCriterion(margin=0): {x1, x2}, y: 1 - cos(x1, x2) for
-- y = 1, max(0, cos(x1, x2) - margin) for y = -1; per row for batches.
local CosineEmbeddingCriterion, parent = torch.class('nn.CosineEmbeddingCriterion', 'nn.Criterion')
local private = require 'nn._private'

function CosineEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 0
   self.gradInput = {torch.Tensor(), torch.Tensor()}
   self.sizeAverage = true
end

local function labels(self, y, like)
   if type(y) == 'number' then
      self._y = self._y or like.new(1)
      self._y[1] = y
      return self._y
   end
   return y
end

-- keeps the cosine terms (see nn.CosineDistance) and the per-row losses
function CosineEmbeddingCriterion:updateOutput(input, y)
   local a, b = input[1], input[2]
   y = labels(self, y, a)
   if a:dim() == 1 then
      a = a:view(1, -1)
      b = b:view(1, -1)
   end
   self._outputs = self._outputs or a.new()
   self._idx = self._idx or torch.ByteTensor()
   -- _outputs first serves as the ones buffer
   private.cosineForward(self, a, b, self._outputs, self._outputs)
   self._outputs = self._outputs:select(2, 1)
   -- y = -1: max(0, cos - margin); y = 1: 1 - cos
   self._idx = y:eq(-1)
   self._outputs:maskedCopy(self._idx, self._outputs:maskedSelect(self._idx):add(-self.margin):cmax(0))
   self._idx = y:eq(1)
   self._outputs:maskedCopy(self._idx, self._outputs:maskedSelect(self._idx):mul(-1):add(1))
   self.output = self._outputs:sum()
   if self.sizeAverage then self.output = self.output / y:size(1) end
   return self.output
end

function CosineEmbeddingCriterion:updateGradInput(input, y)
   local a, b = input[1], input[2]
   y = labels(self, y, a)
   local single = false
   if a:dim() == 1 then
      a = a:view(1, -1)
      b = b:view(1, -1)
      single = true
   end
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   private.cosineBackward(self, a, b, g1, g2)
   -- no gradient where the loss is 0; the sign flips for y = 1
   self._idx = self._outputs:le(0):view(-1, 1):expand(g1:size())
   g1:maskedFill(self._idx, 0)
   g2:maskedFill(self._idx, 0)
   self._idx = y:eq(1):view(-1, 1):expand(g2:size())
   g1:maskedCopy(self._idx, g1:maskedSelect(self._idx):mul(-1))
   g2:maskedCopy(self._idx, g2:maskedSelect(self._idx):mul(-1))
   if self.sizeAverage then
      g1:div(y:size(1))
      g2:div(y:size(1))
   end
   if single then
      g1:resize(g1:size(2))
      g2:resize(g2:size(2))
   end
   return self.gradInput
end

function CosineEmbeddingCriterion:type(typename)
   self._idx = nil
   parent.type(self, typename)
   self._idx = torch.ByteTensor()
   return self
end

return CosineEmbeddingCriterion
