-- torch.ByteStorage ... torch.DoubleStorage: flat typed buffers.
-- Element reads/writes go through the FFI header, everything else to the core.
local core = require 'torch._core'
local C = core.C
local SDATA, wrapS, call, callS = core.SDATA, core.wrapS, core.call, core.callS
local tonumber, type = tonumber, type
local ffi = require 'ffi'

-- the address of the first element, as torch.pointer gives for storages
local function ffi_pointer_number(p)
  return tonumber(ffi.cast('intptr_t', p))
end

local function element_range_error(i, n)
  -- Torch7's words (th: "bad argument #2 to '?' (out of bounds)")
  core.error("bad argument #2 to '?' (out of bounds)")
end

for ti, T in ipairs(core.TYPES) do
  ti = ti - 1
  local tname = 'torch.' .. T.name .. 'Storage'
  local is_long = T.ctype == 'int64_t'
  local mt

  local function new(...)
    local n = select('#', ...)
    local a, b, c = ...
    if n == 0 or a == nil then
      return callS(C.storage_new, ti, 0)
    elseif type(a) == 'number' then
      -- TH's allocator refused it, in these words (th)
      if a < 0 then core.error('$ Torch: invalid memory size -- maybe an overflow?') end
      return callS(C.storage_new, ti, a)
    elseif type(a) == 'table' then
      local len = #a
      local s = callS(C.storage_new, ti, len)
      local data = SDATA[s].s.data
      for i = 1, len do
        local v = a[i]
        if type(v) ~= 'number' then
          core.error(string.format('element at index %d is not a number', i))
        end
        data[i - 1] = v
      end
      return s
    elseif SDATA[a] then
      return callS(C.storage_view, ti, SDATA[a].h, b or 1, c or -1)
    end
    core.error(string.format("bad argument #1 to '%s' (number, table or storage expected, got %s)",
      tname, torch.type(a)))
  end

  core.NOPOS[new] = true   -- a constructor: C behind luaT's __call in Torch7, no position
  mt = torch.newmetatable(tname, nil, new, nil, function() return callS(C.storage_new, ti, 0) end,
                          T.base and core.CUDA_CLASSES or torch, core.SMT[ti])

  mt.__index = function(self, k)
    local v = mt[k]
    if v ~= nil then return v end
    if type(k) == 'number' then
      local s = SDATA[self].s
      local n = tonumber(s.size)
      if k < 1 or k > n then element_range_error(k, n) end
      local x = s.data[k - 1]
      if is_long then return tonumber(x) end
      return x
    end
  end
  mt.__newindex = function(self, k, v)
    if type(k) == 'number' then
      local s = SDATA[self].s
      local n = tonumber(s.size)
      if k < 1 or k > n then element_range_error(k, n) end
      if type(v) ~= 'number' then
        core.error("bad argument #3 to '?' (number expected, got " .. type(v) .. ')')
      end
      s.data[k - 1] = v
      return
    end
    -- raised by luaT's __newindex itself (called by the script): the caller's line
    error(string.format('the class %s cannot be indexed', tname), 2)
  end
  -- s[i] reached Storage.c's __index__/__newindex__ from luaT's (C) metamethods:
  -- their errors had no position
  core.NOPOS[mt.__index], core.NOPOS[mt.__newindex] = true, true
  mt.__len = function(self) return tonumber(SDATA[self].s.size) end
  -- as luaT: two handles on the same storage are equal (getParameters relies on it)
  mt.__eq = function(a, b)
    local ra, rb = SDATA[a], SDATA[b]
    return ra ~= nil and rb ~= nil and ra.s == rb.s
  end
  mt.__tostring__ = function(self) return call(C.storage_tostring, SDATA[self].h, tname) end
  mt.__pointer = function(self) return tonumber(ffi_pointer_number(SDATA[self].s.data)) end

  function mt.size(self) return tonumber(SDATA[self].s.size) end
  local esize = ffi.sizeof(T.ctype)
  function mt.elementSize() return esize end
  function mt.resize(self, n)
    call(C.storage_resize, SDATA[self].h, n)
    return self
  end
  function mt.fill(self, v)
    call(C.storage_fill, SDATA[self].h, v)
    return self
  end
  function mt.copy(self, src)
    local r = SDATA[src] or core.TDATA[src]
    if not r then
      core.error("bad argument #1 to 'copy' (torch.*Storage expected, got " .. torch.type(src) .. ')')
    end
    if getmetatable(src) == mt and r.s.size ~= SDATA[self].s.size then
      core.error("bad argument #1 to 'copy' (size mismatch)")   -- THStorage_(copy)'s check
    end
    call(C.storage_copy, SDATA[self].h, r.h)
    return self
  end
  function mt.totable(self)
    local s = SDATA[self].s
    local t = {}
    for i = 0, tonumber(s.size) - 1 do t[i + 1] = tonumber(s.data[i]) end
    return t
  end
  if T.name == 'Char' or T.name == 'Byte' or T.name == 'CudaByte' then
    function mt.string(self, str)
      local s = SDATA[self].s
      if str ~= nil then
        mt.resize(self, #str)
        ffi.copy(s.data, str, #str)
        return self
      end
      return ffi.string(s.data, tonumber(s.size))
    end
  end
end
