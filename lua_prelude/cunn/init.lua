-- require 'cunn' without a GPU: nn's modules run on torch.CudaTensor & co.
-- (CPU tensors under cutorch's names, see cutorch) with nn's own CPU kernels.
require 'cutorch'
require 'nn'
local core = require 'torch._core'

local cunn = rawget(_G, 'cunn') or {}
_G.cunn = cunn

-- nn's kernel bridge serves Float/Double tensors; torch.CudaTensor holds floats
-- and torch.CudaDoubleTensor doubles, so they take the same kernels.
local K = require 'nn.THNN_kernels'
if not rawget(K, "_cuda_types") then
   local CUDA_KERNEL_TYPES = {['torch.CudaTensor'] = true, ['torch.CudaDoubleTensor'] = true}
   local check = K.check
   K._cuda_types = CUDA_KERNEL_TYPES
   rawset(K, 'check', function(input)
      if CUDA_KERNEL_TYPES[torch.type(input)] then return end
      return check(input)
   end)
end

-- the testsuite entry upstream offers
function cunn.test()
   error('cunn.test: the upstream cunn test suite needs a GPU; torchlua runs nn on the CPU', 2)
end

-- nn.Module:cuda() / nn.Criterion:cuda() are nn's (they convert to torch.CudaTensor
-- as soon as the type exists)

package.loaded.cunn = cunn
return cunn
