-- nn.Criterion: a loss; forward returns a number, backward the input's gradient.
local Criterion = torch.class('nn.Criterion')
local private = require 'nn._private'

function Criterion:__init()
   self.gradInput = torch.Tensor()
   self.output = 0
end

function Criterion:updateOutput(input, target)
end

function Criterion:forward(input, target)
   return self:updateOutput(input, target)
end

function Criterion:backward(input, target)
   return self:updateGradInput(input, target)
end

function Criterion:updateGradInput(input, target)
end

-- a serialisation round trip, as nn.Module:clone
function Criterion:clone()
   return private.memoryCopy(self)
end

function Criterion:type(typename, tensorCache)
   assert(typename, 'Criterion: must provide a type to convert to')
   for key, v in pairs(self) do
      self[key] = nn.utils.recursiveType(v, typename, tensorCache)
   end
   return self
end

function Criterion:float()
   return self:type('torch.FloatTensor')
end

function Criterion:double()
   return self:type('torch.DoubleTensor')
end

-- CPU only: the CUDA conversions keep the current type when cutorch is absent.
function Criterion:cuda()
   if torch.CudaTensor then return self:type('torch.CudaTensor') end
   return self
end

function Criterion:cudaHalf()
   if torch.CudaHalfTensor then return self:type('torch.CudaHalfTensor') end
   return self
end

function Criterion:cudaDouble()
   if torch.CudaDoubleTensor then return self:type('torch.CudaDoubleTensor') end
   return self
end

function Criterion:__call__(input, target)
   self.output = self:forward(input, target)
   self.gradInput = self:backward(input, target)
   return self.output, self.gradInput
end

return Criterion
