-- The narrow bridge between nn's convolution/pooling/... modules and the Python
-- kernels (torchlua/core/nn_kernels_api.py), in the spirit of upstream nn's
-- THNN.lua: K.<Name>_updateOutput(input, output, ...) with THNN's argument
-- order; tensors cross as their Python handles, nil as None.  Only Float and
-- Double tensors have kernels, as in Torch.
local core = require 'torch._core'
local C, TDATA = core.C, core.TDATA

local K = {}

local KERNEL_TYPES = {['torch.FloatTensor'] = true, ['torch.DoubleTensor'] = true}

-- errors as upstream: `input.THNN` is missing for other tensor types
function K.check(input)
   if not KERNEL_TYPES[torch.type(input)] then
      core.error(torch.type(input) .. '.THNN backend not imported')
   end
end

local function handles(n, ...)
   local args = {...}
   for i = 1, n do
      local r = TDATA[args[i]]
      if r ~= nil then args[i] = r.h end
   end
   return args
end

setmetatable(K, {__index = function(self, name)
   local f = C['nnk_' .. name]
   if f == nil then error("no kernel for THNN function '" .. tostring(name) .. "'", 2) end
   local call = core.call
   local typed = not name:match('^Real')   -- THNN functions, typed by the FFI
   local checkTypes = require('nn._private').checkTypes
   local fn = function(input, ...)
      K.check(input)
      local n = select('#', ...) + 1
      if typed then checkTypes(input, n - 1, ...) end
      local args = handles(n, input, ...)
      return call(f, unpack(args, 1, n))
   end
   rawset(self, name, fn)
   return fn
end})

return K
