-- nn.CosineDistance: {x1, x2} -> cos(x1, x2) (per row for batches).
local CosineDistance, parent = torch.class('nn.CosineDistance', 'nn.Module')

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

-- keeps w1 = x1.x2, w22 = 1/|x1|^2, w32 = 1/|x2|^2, w = 1/(|x1||x2|)
function CosineDistance:updateOutput(input)
   local a, b = contiguous_pair(self, input[1], input[2])
   if a:dim() == 1 then
      a = a:view(1, -1)
      b = b:view(1, -1)
   end
   if not self.buffer then
      self.buffer = a.new()
      self.w1 = a.new()
      self.w22 = a.new()
      self.w = a.new()
      self.w32 = a.new()
      self.ones = a.new()
   end
   local epsilon = 1e-12
   self.buffer:cmul(a, b)
   self.w1:sum(self.buffer, 2)
   self.buffer:cmul(a, a)
   self.w22:sum(self.buffer, 2):add(epsilon)
   self.ones:resizeAs(self.w22):fill(1)
   self.w22:cdiv(self.ones, self.w22)
   self.w:resizeAs(self.w22):copy(self.w22)
   self.buffer:cmul(b, b)
   self.w32:sum(self.buffer, 2):add(epsilon)
   self.w32:cdiv(self.ones, self.w32)
   self.w:cmul(self.w32)
   self.w:sqrt()
   self.output:cmul(self.w1, self.w)
   self.output:resize(a:size(1))
   return self.output
end

-- d cos/d x1 = (x2 - (x1.x2)/|x1|^2 x1) / (|x1||x2|), and symmetrically
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
   g1:resizeAs(a):copy(b)
   g2:resizeAs(a):copy(a)
   self.buffer:cmul(self.w1, self.w22)
   g1:addcmul(-1, self.buffer:expandAs(a), a)
   g1:cmul(self.w:expandAs(a))
   self.buffer:cmul(self.w1, self.w32)
   g2:addcmul(-1, self.buffer:expandAs(a), b)
   g2:cmul(self.w:expandAs(a))
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
