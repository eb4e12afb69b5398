-- nn.PairwiseDistance(p=2): {x1, x2} -> ||x1 - x2||_p (per row for batches).
local PairwiseDistance, parent = torch.class('nn.PairwiseDistance', 'nn.Module')

function PairwiseDistance:__init(p)
   parent.__init(self)
   self.gradInput = {}
   self.diff = torch.Tensor()
   self.norm = p or 2
end

function PairwiseDistance:updateOutput(input)
   local a, b = input[1], input[2]
   self.output:resize(1)
   if a:dim() == 1 then
      self.output[1] = a:dist(b, self.norm)
   elseif a:dim() == 2 then
      self.diff = self.diff or a.new()
      self.diff:resizeAs(a)
      local diff = self.diff:zero()
      diff:add(a, -1, b):abs()
      self.output:resize(a:size(1)):zero()
      self.output:add(diff:pow(self.norm):sum(2))
      self.output:pow(1 / self.norm)
   else
      error('input must be vector or matrix')
   end
   return self.output
end

-- the sign, with a random one (torch.random) for 0, as Torch7 does
local function mathsign(x)
   if x == 0 then return 2 * torch.random(2) - 3 end
   return x > 0 and 1 or -1
end

-- d/dx1 ||d||_p = d .* |d|^(p-2) / ||d||_p^(p-1), d = x1 - x2; x2 gets the opposite
function PairwiseDistance:updateGradInput(input, gradOutput)
   local a, b = input[1], input[2]
   if a:dim() > 2 then error('input must be vector or matrix') end
   self.gradInput[1] = (self.gradInput[1] or a.new()):resize(a:size())
   self.gradInput[2] = (self.gradInput[2] or b.new()):resize(b:size())
   local g1 = self.gradInput[1]
   g1:copy(a):add(-1, b)
   if self.norm == 1 then
      g1:apply(mathsign)
   else
      if self.norm > 2 then
         g1:cmul(g1:clone():abs():pow(self.norm - 2))
      end
      if a:dim() > 1 then
         self.outExpand = self.outExpand or self.output.new()
         self.outExpand:resize(self.output:size(1), 1):copy(self.output)
         self.outExpand:add(1.0e-6)   -- no division by zero
         self.outExpand:pow(-(self.norm - 1))
         g1:cmul(self.outExpand:expand(g1:size(1), g1:size(2)))
      else
         g1:mul(math.pow(self.output[1] + 1e-6, -(self.norm - 1)))
      end
   end
   if a:dim() == 1 then
      g1:mul(gradOutput[1])
   else
      self.grad = self.grad or gradOutput.new()
      self.ones = self.ones or gradOutput.new()
      self.grad:resizeAs(a):zero()
      self.ones:resize(a:size(2)):fill(1)
      self.grad:addr(gradOutput, self.ones)
      g1:cmul(self.grad)
   end
   self.gradInput[2]:zero():add(-1, g1)
   return self.gradInput
end

function PairwiseDistance:clearState()
   nn.utils.clear(self, 'diff', 'outExpand', 'grad', 'ones')
   return parent.clearState(self)
end

return PairwiseDistance
