-- nn.CosineDistance: {x1, x2} -> cos(x1, x2) (per row for batches).
local CosineDistance, parent = torch.class('nn.CosineDistance', 'nn.Module')
local private = require 'nn._private'

function CosineDistance:__init()
   parent.__init(self)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

local function contiguous_pair(self, a, b)
   if not a:isContiguous() then
      self._input1 = self._input1 or a.new()
      a = self._input1:resizeAs(a):copy(a)
   end
   if not b:isContiguous() then
      self._input2 = self._input2 or b.new()
      b = self._input2:resizeAs(b):copy(b)
   end
   return a, b
end

function CosineDistance:updateOutput(input)
   local a, b = contiguous_pair(self, input[1], input[2])
   if a:dim() == 1 then
      a = a:view(1, -1)
      b = b:view(1, -1)
   end
   self.ones = self.ones or a.new()
   private.cosineForward(self, a, b, self.ones, self.output)
   self.output:resize(a:size(1))
   return self.output
end

function CosineDistance:updateGradInput(input, gradOutput)
   local a, b = contiguous_pair(self, input[1], input[2])
   local single = false
   if a:dim() == 1 then
      a = a:view(1, -1)
      b = b:view(1, -1)
      single = true
   end
   if #self.gradInput ~= 2 then
      self.gradInput[1] = self.gradInput[1] or a.new()
      self.gradInput[2] = self.gradInput[2] or a.new()
   end
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   private.cosineBackward(self, a, b, g1, g2)
   local go = gradOutput:view(-1, 1):expandAs(a)
   g1:cmul(go)
   g2:cmul(go)
   if single then
      g1:resize(g1:size(2))
      g2:resize(g2:size(2))
   end
   return self.gradInput
end

function CosineDistance:clearState()
   nn.utils.clear(self, {'buffer', 'w1', 'w22', 'w', 'w32', 'ones'})
   return parent.clearState(self)
end

return CosineDistance
