-- nn.PReLU([nOutputPlane]): x for x > 0, a * x otherwise, with a learnable
-- slope a per plane (dimension 2 of a batch, 1 otherwise), or one shared
-- slope without argument.  Slopes start at 0.25.
local PReLU, parent = torch.class('nn.PReLU', 'nn.Module')

function PReLU:__init(nOutputPlane)
   parent.__init(self)
   self.nOutputPlane = nOutputPlane or 0
   self.weight = torch.Tensor(nOutputPlane or 1):fill(0.25)
   self.gradWeight = torch.Tensor(nOutputPlane or 1)
end

-- the per-plane weight with the input's shape, checking the number of planes
local function slopes(self, input)
   local nd = input:dim()
   local planeDim = nd > 1 and 2 or 1
   if input:size(planeDim) ~= self.nOutputPlane then
      error(string.format('Wrong number of input planes. Expected %d but got %d.',
                          self.nOutputPlane, input:size(planeDim)))
   end
   local shape = {}
   for d = 1, nd do shape[d] = 1 end
   shape[planeDim] = self.nOutputPlane
   return self.weight:view(table.unpack(shape)):expandAs(input)
end

-- x times the slopes (of the planes x has the shape of)
local function scaled(self, x, like)
   if self.nOutputPlane == 0 then return torch.mul(x, self.weight[1]) end
   return torch.cmul(x, slopes(self, like))
end

function PReLU:updateOutput(input)
   local neg = input:gt(0):eq(0)
   self.output:resizeAs(input):copy(input)
   self.output:maskedCopy(neg, scaled(self, input, input):maskedSelect(neg))
   return self.output
end

function PReLU:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   local neg = input:gt(0):eq(0)
   self.gradInput:resizeAs(input):copy(gradOutput)
   self.gradInput:maskedCopy(neg, scaled(self, gradOutput, input):maskedSelect(neg))
   return self.gradInput
end

-- dL/da = sum over x <= 0 of x * g (per plane)
function PReLU:accGradParameters(input, gradOutput, scale)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   scale = scale or 1
   self.gradWeightBuf = self.gradWeightBuf or input.new()
   self.gradWeightBuf2 = self.gradWeightBuf2 or input.new()
   local prod = self.gradWeightBuf:resizeAs(input):copy(input):cmul(gradOutput)
   prod:maskedFill(input:le(0):eq(0), 0)
   if require('nn._private').isFloat(input) then
      -- THNN (float): `real sum` per plane (per sample), rounded to float at
      -- every step, then gradWeight += scale * sum in float
      local K = require 'nn.THNN_kernels'
      if self.nOutputPlane == 0 then
         local sum = K.RealSum_updateOutput(prod:double(), input)
         self.gradWeight:narrow(1, 1, 1):add(scale, input.new(1):fill(sum))
      else
         slopes(self, input)   -- checks the number of planes
         local bs = input:dim() > 1 and input:size(1) or 1
         local rows = prod:double():view(bs * self.nOutputPlane, -1)
         local sums = input.new()
         K.RealRowSum_updateOutput(rows, sums)
         sums = sums:view(bs, self.nOutputPlane)
         for i = 1, bs do self.gradWeight:add(scale, sums[i]) end
      end
      return self.gradWeight
   end
   if self.nOutputPlane == 0 then
      self.gradWeight[1] = self.gradWeight[1] + scale * prod:sum()
   else
      slopes(self, input)   -- checks the number of planes
      local perPlane
      if input:dim() > 1 then
         perPlane = prod:view(input:size(1), self.nOutputPlane, -1):sum(3):sum(1):view(-1)
      else
         perPlane = prod
      end
      self.gradWeight:add(scale, perPlane)
   end
   return self.gradWeight
end

function PReLU:clearState()
   nn.utils.clear(self, 'gradWeightBuf', 'gradWeightBuf2')
   return parent.clearState(self)
end

return PReLU
