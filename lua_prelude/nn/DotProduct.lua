-- nn.DotProduct: {x1, x2} -> x1 . x2 (per row for batches).
local DotProduct, parent = torch.class('nn.DotProduct', 'nn.Module')

function DotProduct:__init()
   parent.__init(self)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function DotProduct:updateOutput(input)
   local a, b = input[1], input[2]
   if a:dim() == 1 then
      a = a:view(1, -1)
      b = b:view(1, -1)
   end
   self.buffer = self.buffer or a.new()
   self.buffer:cmul(a, b)
   self.output:sum(self.buffer, 2)
   self.output:resize(a:size(1))
   return self.output
end

function DotProduct:updateGradInput(input, gradOutput)
   local a, b = input[1], input[2]
   if #self.gradInput ~= 2 then
      self.gradInput[1] = self.gradInput[1] or a.new()
      self.gradInput[2] = self.gradInput[2] or b.new()
   end
   local single = false
   if a:dim() == 1 then
      a = a:view(1, -1)
      b = b:view(1, -1)
      single = true
   end
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   g1:resizeAs(a):copy(b)
   g2:resizeAs(b):copy(a)
   local go = gradOutput:view(-1, 1):expandAs(a)
   g1:cmul(go)
   g2:cmul(go)
   if single then
      g1:set(g1:select(1, 1))
      g2:set(g2:select(1, 1))
   end
   return self.gradInput
end

function DotProduct:clearState()
   if self.buffer then self.buffer:set() end
   return parent.clearState(self)
end

return DotProduct
