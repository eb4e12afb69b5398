-- The Lua half of the bridge: type table, FFI views of the Python core's
-- tensor/storage headers, userdata wrapping, and errors carrying the user's line.
--
-- A tensor (storage) is a userdata made with newproxy from a per-type prototype,
-- so all tensors of a type share one metatable.  Its record TDATA[ud] = {h = <Python
-- tensor>, m = <FFI pointer to its geometry block>} lives in a weak-keyed table.
-- Sizes, strides and elements are read through `m` without calling Python.
local ffi = require 'ffi'
local C = require '_torchcore'

local M = {C = C}

M.TYPES = {
  {name = 'Byte', ctype = 'unsigned char'},
  {name = 'Char', ctype = 'signed char'},
  {name = 'Short', ctype = 'short'},
  {name = 'Int', ctype = 'int'},
  {name = 'Long', ctype = 'int64_t'},
  {name = 'Float', ctype = 'float'},
  {name = 'Double', ctype = 'double'},
  -- cutorch's types (classes published by require 'cutorch'): CPU tensors sharing
  -- the methods and FFI layout of the CPU type `base` (0-based index)
  {name = 'Cuda', ctype = 'float', base = 5},
  {name = 'CudaLong', ctype = 'int64_t', base = 4},
  {name = 'CudaByte', ctype = 'unsigned char', base = 0},
  {name = 'CudaDouble', ctype = 'double', base = 6},
}
M.MAXDIM = 24
-- ALIASES[ti] = the type indices sharing ti's methods (the Cuda types of a CPU type)
M.ALIASES = {}
for ti, T in ipairs(M.TYPES) do
  if T.base then
    M.ALIASES[T.base] = M.ALIASES[T.base] or {}
    table.insert(M.ALIASES[T.base], ti - 1)
  end
end
-- the classes of the types with a base live here until require 'cutorch' puts them in torch
M.CUDA_CLASSES = {}
-- IS_LONG[ti]: elements are int64 cdata (read back with tonumber)
M.IS_LONG = {}
for ti, T in ipairs(M.TYPES) do M.IS_LONG[ti - 1] = T.ctype == 'int64_t' end
-- the CPU element kind of a type ('Float' for 'Cuda'), as files and kernels see it
function M.kind(ti)
  local T = M.TYPES[ti + 1]
  return T.base and M.TYPES[T.base + 1].name or T.name
end

ffi.cdef[[typedef struct { double size, stride; } TLDim;]]
M.TMETA, M.SHDR = {}, {}
for ti, T in ipairs(M.TYPES) do
  if T.base then   -- same memory layout as the base type: reuse its FFI types
    M.TMETA[ti - 1], M.SHDR[ti - 1] = M.TMETA[T.base], M.SHDR[T.base]
  else
    ffi.cdef(string.format([[
      typedef struct { %s *data; int64_t size; } TL%sStorage;
      typedef struct { TL%sStorage *st; double nd; double off; TLDim d[%d]; } TL%sTensor;
    ]], T.ctype, T.name, T.name, M.MAXDIM, T.name))
    M.TMETA[ti - 1] = ffi.typeof('TL' .. T.name .. 'Tensor*')
    M.SHDR[ti - 1] = ffi.typeof('TL' .. T.name .. 'Storage*')
  end
end

M.TDATA = setmetatable({}, {__mode = 'k'})
M.SDATA = setmetatable({}, {__mode = 'k'})
M.TPROTO, M.SPROTO = {}, {}   -- type index (0-based) -> prototype userdata
M.TMT, M.SMT = {}, {}         -- type index -> metatable
for ti = 0, #M.TYPES - 1 do
  M.TPROTO[ti] = newproxy(true)
  M.TMT[ti] = getmetatable(M.TPROTO[ti])
  M.SPROTO[ti] = newproxy(true)
  M.SMT[ti] = getmetatable(M.SPROTO[ti])
end

local TDATA, SDATA, TPROTO, SPROTO, TMETA, SHDR = M.TDATA, M.SDATA, M.TPROTO, M.SPROTO, M.TMETA, M.SHDR
local ffi_cast = ffi.cast

-- Python objects held by Lua (lupa 2.x).  lupa gives each Python object one wrapper
-- userdata: a dict keyed by the object's address owns the object and names the
-- wrapper's slot in a weak-valued registry table filled by luaL_ref; the wrapper's
-- __gc pops that dict entry and frees the slot.  Between the atomic phase of an
-- incremental collection (a dead wrapper leaves the weak table) and its finalizer
-- (some steps later) two things went wrong:
--  * with an empty free list luaL_ref takes #table + 1, and # may stop at the dying
--    wrapper's emptied slot: the new object's entry then names a slot the finalizer
--    frees and the next push reuses, so that object, pushed again, came back as
--    another object's wrapper (a storage whose handle was a tensor, a file...);
--  * an object pushed again in that window gets a second wrapper and entry; the old
--    wrapper's __gc popped the new entry, and the object died under the new wrapper.
-- Remedies: the free list never runs dry (never-used slots are chained onto it, so
-- # is not consulted), and a wrapper's __gc leaves the dict alone while a newer
-- wrapper of the same object is alive.  Tensor/storage handles are known by their
-- geometry block/header address (unique among live objects): KEY[wrapper] = address
-- (weak keys: still readable in the wrapper's finalizer), LATEST[address] = newest
-- wrapper (weak values: a wrapper awaiting finalization has left it).  No allocation
-- happens between a core call's return and track(), so no finalizer runs in between.
local track = function() end
do
  local reg = debug.getregistry()
  local refs, pmt = reg.LUPA_PYTHON_REFERENCES_TABLE, reg.POBJECT
  local lupa_gc = type(pmt) == 'table' and rawget(pmt, '__gc')
  if type(refs) == 'table' and type(lupa_gc) == 'function' then
    local KEY = setmetatable({}, {__mode = 'k'})
    local LATEST = setmetatable({}, {__mode = 'v'})
    local CHUNK, MARGIN = 8192, 4096
    local fresh, guard = 1, nil
    -- chain CHUNK never-used slots in front of the free list (luaL_ref pops its head)
    local function topup()
      local head = refs[0]
      if type(head) ~= 'number' or head == 0 then   -- ran dry: # may have been used
        fresh = math.max(fresh, table.maxn(refs) + 1)
        head = 0
      end
      local lo, hi = fresh, fresh + CHUNK - 1
      for i = lo, hi - 1 do refs[i] = i + 1 end
      refs[hi] = head
      refs[0] = lo
      fresh = hi + 1
      guard = hi - MARGIN   -- handed out (no longer linking to guard + 1): top up again
    end
    topup()
    track = function(h, addr)
      if refs[guard] ~= guard + 1 then topup() end
      KEY[h] = addr
      LATEST[addr] = h
    end
    rawset(pmt, '__gc', function(w)
      if refs[guard] ~= guard + 1 then topup() end
      local addr = KEY[w]
      if addr ~= nil then
        local cur = LATEST[addr]
        if cur ~= nil and cur ~= w then return end   -- the dict entry is cur's
      end
      return lupa_gc(w)
    end)
  end
end
M.track = track

-- wrap(h, ti, meta_address): the Lua face of a new Python tensor.
-- Bytes the core allocated since the last full collection (torchlua/core/memory.py):
-- Lua cannot see NumPy buffers, so it is told to collect when they add up.
local pressure = ffi_cast('double*', C.memory_pressure_address())
local PRESSURE_LIMIT = 64 * 1024 * 1024
local collectgarbage = collectgarbage
local function relieve()
  pressure[0] = 0
  collectgarbage()
end

function M.wrapT(h, ti, ma)
  if h == nil then return nil end
  track(h, ma)   -- before anything that may run a finalizer
  if pressure[0] > PRESSURE_LIMIT then relieve() end
  local ud = newproxy(TPROTO[ti])
  TDATA[ud] = {h = h, m = ffi_cast(TMETA[ti], ma)}
  return ud
end

function M.wrapS(h, ti, ha)
  if h == nil then return nil end
  track(h, ha)
  if pressure[0] > PRESSURE_LIMIT then relieve() end
  local ud = newproxy(SPROTO[ti])
  SDATA[ud] = {h = h, s = ffi_cast(SHDR[ti], ha)}
  return ud
end

-- wrap two tensors returned together (values, indices)
function M.wrapT2(h1, t1, m1, h2, t2, m2)
  return M.wrapT(h1, t1, m1), M.wrapT(h2, t2, m2)
end

-- Errors: raised at the first stack frame outside the prelude, so messages carry
-- the script's file:line (e.g. "train.lua:12: size mismatch ...").
local prelude = C.prelude_root
local function in_prelude(src)
  return src:sub(1, 1) == '@' and src:sub(2, #prelude + 1) == prelude
end

-- Torch's C functions reached from another C function (torch.X dispatchers, x[i],
-- constructors, operators) named themselves '?' in argument errors: NOPOS holds the
-- prelude functions playing such a part (see argerror).  Unlike Torch, the error
-- itself always carries the script's file:line when the script is on the stack:
-- torchlua promises the user's position for every error.
M.NOPOS = setmetatable({}, {__mode = 'k'})
local NOPOS = M.NOPOS

function M.user_level()
  local level = 3
  while true do
    local info = debug.getinfo(level, 'S')
    if not info then return 1 end
    if info.what == 'C' then
      -- a C function the prelude itself called (pcall...) is passed; one the script
      -- called directly (pcall(torch.mm, ...)) leaves no script line to name
      local up = debug.getinfo(level + 1, 'S')
      if not (up and up.what ~= 'C' and in_prelude(up.source)) then return 0 end
    elseif not in_prelude(info.source) then
      return level - 1
    end
    level = level + 1
  end
end

function M.error(msg)
  error(msg, M.user_level())
end

-- argerror(narg, msg): luaL_argerror's words for the call the script made, named
-- as the outermost prelude frame was called (a method call does not count self;
-- a constructor or torch.X dispatcher (NOPOS) was reached from C: '?')
function M.argerror(narg, msg)
  local level, name, method = 2, nil, false
  while true do
    local info = debug.getinfo(level, 'Snf')
    if not info or info.what == 'C' or not in_prelude(info.source) then break end
    name, method = info.name, info.namewhat == 'method'
    if NOPOS[info.func] then name, method = nil, false end
    level = level + 1
  end
  if method then
    narg = narg - 1
    if narg == 0 then M.error(string.format("calling '%s' on bad self (%s)", name, msg)) end
  end
  M.error(string.format("bad argument #%d to '%s' (%s)", narg, name or '?', msg))
end

-- Turn a failed pcall of a core function into a Lua error (a string, as in Torch).
local function rethrow(e)
  M.error(tostring(e))
end
M.rethrow = rethrow

-- call(f, ...): call a Python core function, returning its results (up to 6).
function M.call(f, ...)
  local ok, a, b, c, d, e, g = pcall(f, ...)
  if not ok then rethrow(a) end
  return a, b, c, d, e, g
end

-- callT(f, ...): call a core function that returns one new tensor, and wrap it.
function M.callT(f, ...)
  local ok, h, ti, ma = pcall(f, ...)
  if not ok then rethrow(h) end
  return M.wrapT(h, ti, ma)
end

function M.callS(f, ...)
  local ok, h, ti, ha = pcall(f, ...)
  if not ok then rethrow(h) end
  return M.wrapS(h, ti, ha)
end

function M.isTensor(x) return TDATA[x] ~= nil end
function M.isStorage(x) return SDATA[x] ~= nil end

-- The Python handle of a tensor argument, or a Torch-style argument error.
function M.th(x, argn, fname)
  local r = TDATA[x]
  if r == nil then
    M.error(string.format("bad argument #%d to '%s' (torch.*Tensor expected, got %s)",
      argn or 1, fname or '?', torch.type(x)))
  end
  return r.h
end

function M.sh(x, argn, fname)
  local r = SDATA[x]
  if r == nil then
    M.error(string.format("bad argument #%d to '%s' (torch.*Storage expected, got %s)",
      argn or 1, fname or '?', torch.type(x)))
  end
  return r.h
end

return M
