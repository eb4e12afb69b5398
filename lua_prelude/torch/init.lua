-- require 'torch': the tensor library, as Torch7's torch package lays it out.
local torch = rawget(_G, 'torch') or {}
_G.torch = torch
package.loaded.torch = torch

require 'torch.luaT'
require 'torch._core'
require 'torch.Storage'
require 'torch.Tensor'
require 'torch.File'
require 'torch.random'
require 'torch.TensorMath_blas'
require 'torch.TensorMath_index'
require 'torch.TensorMath_construct'
require 'torch.TensorMath_linalg'
require 'torch.TensorMath_pointwise'
require 'torch.TensorMath_reduce'
require 'torch.TensorOperator'
require 'torch.Tester'
require 'torch.TestSuite'
require 'torch.utils'
require 'torch.Timer'
require 'torch.CmdLine'

torch.setdefaulttensortype('torch.DoubleTensor')
torch._loaded = true
return torch
