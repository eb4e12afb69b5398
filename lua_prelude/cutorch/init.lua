-- require 'cutorch' without a GPU: torch.CudaTensor, torch.CudaLongTensor,
-- torch.CudaByteTensor and torch.CudaDoubleTensor (and their storages) are CPU
-- tensors of the Float/Long/Byte/Double kinds that keep cutorch's type names, so
-- scripts written for a GPU run unchanged (on the CPU).  The types themselves are
-- made by the torch core (core.TYPES entries with a `base`); this package
-- publishes them and adds cutorch's functions.
require 'torch'
local core = require 'torch._core'

local cutorch = rawget(_G, 'cutorch') or {}
_G.cutorch = cutorch

-- one warning line per run, whichever of cutorch/cunn/cudnn comes first
if not core.cuda_warned then
   core.cuda_warned = true
   io.stderr:write('torchlua: no GPU backend; CUDA tensors and modules run on the CPU\n')
end

-- the classes, published in torch
for name, ctor in pairs(core.CUDA_CLASSES) do
   rawset(torch, name, ctor)
end

-- conversions (cutorch's Tensor.lua): every tensor type converts to the CUDA
-- types too (x:float(), x:long()... are torch's own)
local CONVERTERS = {
   cuda = 'torch.CudaTensor', cudaDouble = 'torch.CudaDoubleTensor',
   cudaByte = 'torch.CudaByteTensor', cudaLong = 'torch.CudaLongTensor',
}
local methods = torch.Tensor_methods
for fname, tname in pairs(CONVERTERS) do
   methods[fname] = function(self) return self:type(tname) end
end

-- cutorch's extra tensor methods
function methods.getDevice(self)
   if not torch.isTensor(self) then error('torch.*Tensor expected', 2) end
   return cutorch.getDevice()
end

torch._install_tensor_methods()

------------------------------------------------------------------------------
-- the device: exactly one, number 1, always current
local current = 1
local NDEV = 1

local function check_device(d, fname)
   if type(d) ~= 'number' or d ~= math.floor(d) or d < 1 or d > NDEV then
      error(string.format('%s: invalid device %s (only device 1 exists: computation stays on the CPU)',
         fname, tostring(d)), 3)
   end
end

function cutorch.getDeviceCount() return NDEV end
function cutorch.getDevice() return current end
function cutorch.setDevice(d)
   check_device(d, 'setDevice')
   current = d
end

function cutorch.synchronize() end
function cutorch.synchronizeAll() end
function cutorch.reserveStreams() end
function cutorch.getNumStreams() return 0 end
function cutorch.setStream() end
function cutorch.getStream() return 0 end
function cutorch.streamWaitFor() end
function cutorch.streamBarrier() end
function cutorch.streamSynchronize() end
function cutorch.setHeapTracking() end
function cutorch.isCachingAllocatorEnabled() return false end
cutorch.hasHalf = false

function cutorch.withDevice(d, closure)
   local saved = cutorch.getDevice()
   cutorch.setDevice(d)
   local res = {pcall(closure)}
   cutorch.setDevice(saved)
   if res[1] then return unpack(res, 2, table.maxn(res)) end
   error(res[2], 0)
end

-- the host's memory, as cutorch reports the device's: free, total (bytes)
local function host_memory()
   local f = io.open('/proc/meminfo', 'r')
   if f then
      local text = f:read('*a')
      f:close()
      local total = text:match('MemTotal:%s*(%d+)')
      local free = text:match('MemAvailable:%s*(%d+)') or text:match('MemFree:%s*(%d+)')
      if total and free then return tonumber(free) * 1024, tonumber(total) * 1024 end
   end
   return 0, 0
end

function cutorch.getMemoryUsage(d)
   check_device(d or current, 'getMemoryUsage')
   return host_memory()
end

function cutorch.getDeviceProperties(d)
   check_device(d, 'getDeviceProperties')
   local free, total = host_memory()
   return {
      name = 'CPU (torchlua, no GPU)',
      major = 0, minor = 0,
      totalGlobalMem = total, freeGlobalMem = free,
      multiProcessorCount = 1, clockRate = 0,
      maxThreadsPerBlock = 1, maxThreadsPerMultiProcessor = 1,
      warpSize = 1, sharedMemPerBlock = 0, regsPerBlock = 0,
      memPitch = 0, textureAlignment = 0, canMapHostMemory = 1,
      integrated = 1, computeMode = 0, maxTexture1D = 0,
   }
end

-- random numbers come from torch's generator (there is no separate device one)
function cutorch.manualSeed(seed) torch.manualSeed(seed) end
function cutorch.manualSeedAll(seed) torch.manualSeed(seed) end
function cutorch.seed() return torch.seed() end
function cutorch.seedAll() return torch.seed() end
function cutorch.initialSeed() return torch.initialSeed() end
function cutorch.getRNGState() return torch.getRNGState() end
function cutorch.setRNGState(state) return torch.setRNGState(state) end

-- createCudaHost*Tensor: pinned host memory is ordinary memory here
for _, ty in ipairs{'Float', 'Double', 'Int', 'Long', 'Byte'} do
   cutorch['createCudaHost' .. ty .. 'Tensor'] = function(...)
      if select('#', ...) == 0 then return torch[ty .. 'Tensor']() end
      return torch[ty .. 'Tensor'](...)
   end
end
cutorch.createCudaHostTensor = cutorch.createCudaHostFloatTensor

package.loaded.cutorch = cutorch
return cutorch
