-- torch.ByteTensor ... torch.DoubleTensor: construction, geometry, views,
-- indexing, copy/fill and type conversion.  Math lives in TensorMath*.lua.
--
-- Every type's metatable holds its methods; `torch.Tensor_methods` is the shared
-- method table installed into all of them (families add to it, then call
-- torch._install_tensor_methods()).
local core = require 'torch._core'
local C = core.C
local TDATA, SDATA = core.TDATA, core.SDATA
local wrapT, callT, callS, call = core.wrapT, core.callT, core.callS, core.call
local type, tonumber, select, pcall = type, tonumber, select, pcall
local floor = math.floor

local Tensor = {}
torch.Tensor_methods = Tensor
local TYPENAME = {}   -- ti -> 'torch.XTensor'
local TI = {}         -- metatable -> ti
local MTS = core.TMT

local function err(msg) core.error(msg) end

-- Argument errors in luaL_argerror's words.  `n` counts self as argument 1, as
-- TH's checks do; when the script called x:f(...), Torch did not count self, and
-- a bad self read "calling 'f' on bad self (...)".  The method's own frame tells
-- how it was called, so methods must not tail-call into the core: they return
-- `(f(...))`, which keeps their frame while the core runs.
--
-- called_as(fname) -> is_method, name: the name is the one the call site used, as
-- luaL_argerror reported it; after a tail call LuaJIT knows only the replaced
-- frame's name, or none ('?').
local function called_as(fname)
  local f = Tensor[fname]
  if f == nil then return false, fname end
  local level = 3
  while true do
    local info = debug.getinfo(level, 'fn')
    if not info then return false, fname end
    if info.func == f then
      if not info.name then return false, '?' end
      return info.namewhat == 'method', info.name
    end
    level = level + 1
  end
end

local function argerr(n, fname, msg)
  local method
  method, fname = called_as(fname)
  if method then
    n = n - 1
    if n == 0 then core.error(string.format("calling '%s' on bad self (%s)", fname, msg)) end
  end
  core.error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg))
end

-- errors of an argument list read after self (`i` indexes that list)
local function vararg_err(i, fname, msg)
  argerr(Tensor[fname] and i + 1 or i, fname, msg)
end

-- A core error naming an argument (TH numbering) is reported like argerr.
local function rethrow(e)
  local s = tostring(e)
  local n, fname, msg = s:match("^bad argument #(%d+) to '([^']*)' %((.*)%)$")
  if n and fname ~= '?' then argerr(tonumber(n), fname, msg) end
  err(s)
end

local function tcallT(f, ...)
  local ok, h, ti, ma = pcall(f, ...)
  if not ok then rethrow(h) end
  return wrapT(h, ti, ma)
end

-- luaL_checkint: a number, or a string that converts to one
local function checkint(v, n, fname)
  local x = tonumber(v)
  if x == nil or (type(v) ~= 'number' and type(v) ~= 'string') then
    argerr(n, fname, 'number expected, got ' .. (v == nil and 'no value' or type(v)))
  end
  if x >= 0 then return floor(x) end
  return -floor(-x)
end

-- Lua's luaL_checklong truncates toward zero.
local function trunc(x) if x >= 0 then return floor(x) else return -floor(-x) end end

local function rec(self, argn, fname)
  local r = TDATA[self]
  if r == nil then
    argerr(argn or 1, fname or '?', 'torch.*Tensor expected, got ' .. torch.type(self))
  end
  return r
end
core.rec = rec

local function tiof(self) return TI[getmetatable(self)] end
core.tiof = tiof

-- sizes/strides as Lua arrays (from the FFI geometry block)
local function geometry(m)
  local nd = m.nd
  local size, stride = {}, {}
  for d = 0, nd - 1 do
    size[d + 1] = m.d[d].size
    stride[d + 1] = m.d[d].stride
  end
  return nd, m.off, size, stride
end
core.geometry = geometry

local unpack = unpack
local function view_of(h, ti, off, size, stride)
  local nd = #size
  local args = {}
  for d = 1, nd do args[d] = size[d]; args[nd + d] = stride[d] end
  return callT(C.tensor_view_of, h, off, nd, unpack(args, 1, 2 * nd))
end
core.view_of = view_of

local function new_long_storage(values, n)
  local s = callS(C.storage_new, 4, n)
  local data = SDATA[s].s.data
  for i = 1, n do data[i - 1] = values[i] end
  return s
end
core.new_long_storage = new_long_storage

-- reads sizes given as numbers or as a LongStorage (c_readSizeStride without strides)
local function read_sizes(fname, first, ...)
  local a = select(first, ...)
  local sizes = {}
  local r = SDATA[a]
  if r ~= nil and torch.typename(a) == 'torch.LongStorage' then
    local s = r.s
    for i = 0, tonumber(s.size) - 1 do sizes[i + 1] = tonumber(s.data[i]) end
    local st = select(first + 1, ...)
    local strides
    if st ~= nil then
      local rs = SDATA[st]
      if rs == nil or torch.typename(st) ~= 'torch.LongStorage' then
        vararg_err(first + 1, fname, 'torch.LongStorage expected')
      end
      if tonumber(rs.s.size) ~= #sizes then
        vararg_err(first + 1, fname, 'provided stride and size are inconsistent')
      end
      strides = {}
      for i = 0, tonumber(rs.s.size) - 1 do strides[i + 1] = tonumber(rs.s.data[i]) end
    end
    return sizes, strides
  end
  local n = select('#', ...)
  for i = first, n do
    local v = select(i, ...)
    if type(v) ~= 'number' then
      if v == nil then break end
      vararg_err(i, fname, 'number expected, got ' .. torch.type(v))
    end
    sizes[#sizes + 1] = trunc(v)
  end
  return sizes
end
core.read_sizes = read_sizes

-- c_readTensorStorageSizeStride: returns storage handle|nil, offset (0-based), sizes, strides
local function read_tss(ti, fname, first, allowNone, ...)
  local n = select('#', ...)
  local a = select(first, ...)
  if a == nil and n < first then
    if allowNone then return nil, 0, {}, {} end
  end
  local ra = TDATA[a]
  if ra ~= nil then
    if tiof(a) ~= ti then vararg_err(first, fname, 'expecting number or ' .. TYPENAME[ti] .. ' or torch.' .. core.TYPES[ti + 1].name .. 'Storage') end
    local nd, off, size, stride = geometry(ra.m)
    return ra, off, size, stride, true
  end
  local rs = SDATA[a]
  if rs ~= nil and torch.typename(a) == 'torch.' .. core.TYPES[ti + 1].name .. 'Storage' then
    if select('#', ...) < first + 1 then
      return rs, 0, {tonumber(rs.s.size)}, {1}
    end
    local off = select(first + 1, ...)
    if type(off) ~= 'number' then vararg_err(first + 1, fname, 'number expected') end
    local b = select(first + 2, ...)
    if SDATA[b] ~= nil then
      local sizes, strides = read_sizes(fname, first + 2, ...)
      return rs, trunc(off) - 1, sizes, strides or {}
    end
    local sizes, strides = {}, {}
    local i = first + 2
    while i <= n do
      local v = select(i, ...)
      if v == nil then break end
      if type(v) ~= 'number' then vararg_err(i, fname, 'number expected') end
      sizes[#sizes + 1] = trunc(v)
      local s = select(i + 1, ...)
      if s == nil then break end
      if type(s) ~= 'number' then vararg_err(i + 1, fname, 'number expected') end
      strides[#strides + 1] = trunc(s)
      i = i + 2
    end
    return rs, trunc(off) - 1, sizes, strides
  end
  if type(a) == 'number' or (rs ~= nil and torch.typename(a) == 'torch.LongStorage') then
    local sizes, strides = read_sizes(fname, first, ...)
    return nil, 0, sizes, strides or {}
  end
  vararg_err(first, fname, 'expecting number or ' .. TYPENAME[ti] .. ' or torch.' .. core.TYPES[ti + 1].name .. 'Storage')
end

local function geom_args(size, stride)
  local nd = #size
  local args = {}
  for d = 1, nd do
    args[d] = size[d]
    local s = stride[d]
    args[nd + d] = s == nil and -1 or s
  end
  return nd, args
end

-- nested Lua table -> tensor (the element order and checks of torch_Tensor_(new))
local function from_table(ti, t)
  local sizes = {}
  local cur = t
  while type(cur) == 'table' and #cur > 0 do
    sizes[#sizes + 1] = #cur
    cur = cur[1]
  end
  if #sizes == 0 then return callT(C.tensor_new, ti) end
  local x = callT(C.tensor_new_sizes, ti, unpack(sizes))
  local data = TDATA[x].m.st.data   -- fresh tensor: contiguous from offset 0
  local k = 0
  local nd = #sizes
  local function fill(tbl, d)
    if type(tbl) ~= 'table' then err('invalid tensor definition') end
    if #tbl ~= sizes[d] then err('invalid tensor sizes') end
    if d == nd then
      for i = 1, sizes[d] do
        local v = tbl[i]
        if type(v) ~= 'number' then err('invalid element (not a number)') end
        data[k] = v
        k = k + 1
      end
    else
      for i = 1, sizes[d] do fill(tbl[i], d + 1) end
    end
  end
  fill(t, 1)
  return x
end

local function pass_results(...) return ... end
local function constructor(ti)
  local function body(...)
    local a = ...
    if type(a) == 'table' and TDATA[a] == nil and SDATA[a] == nil then
      return from_table(ti, a)
    end
    if select('#', ...) == 0 then return callT(C.tensor_new, ti) end
    local src, off, size, stride, is_tensor = read_tss(ti, '?', 1, true, ...)
    if is_tensor then return callT(C.tensor_share, src.h) end
    if src == nil and #stride == 0 then
      return callT(C.tensor_new_sizes, ti, unpack(size))
    end
    local nd, args = geom_args(size, stride)
    return callT(C.tensor_new_view, ti, src and src.h, off, nd, unpack(args, 1, 2 * nd))
  end
  -- Torch's constructors were C behind luaT's __call: their errors had no position
  -- (the call through pass_results keeps this frame, which says so, on the stack)
  local function new(...) return pass_results(body(...)) end
  core.NOPOS[new] = true
  return new
end

------------------------------------------------------------------------------
-- queries answered from the geometry block (no Python call)
function Tensor.dim(self) return rec(self, 1, 'dim').m.nd end
Tensor.nDimension = Tensor.dim

function Tensor.size(self, d)
  local m = rec(self, 1, 'size').m
  d = tonumber(d)   -- lua_isnumber: anything else asks for all the sizes
  if d ~= nil then
    d = trunc(d)
    local nd = m.nd
    if d < 1 or d > nd then
      argerr(2, 'size', string.format('dimension %d out of range of %dD tensor', d, nd))
    end
    return m.d[d - 1].size
  end
  local nd, _, size = geometry(m)
  return new_long_storage(size, nd)
end

function Tensor.stride(self, d)
  local m = rec(self, 1, 'stride').m
  d = tonumber(d)
  if d ~= nil then
    d = trunc(d)
    local nd = m.nd
    if d < 1 or d > nd then
      argerr(2, 'stride', string.format('dimension %d out of range of %dD tensor', d, nd))
    end
    return m.d[d - 1].stride
  end
  local nd, _, _, stride = geometry(m)
  return new_long_storage(stride, nd)
end

local function nelement(m)
  local nd = m.nd
  if nd == 0 then return 0 end
  local n = 1
  for d = 0, nd - 1 do n = n * m.d[d].size end
  return n
end
core.nelement = nelement

function Tensor.nElement(self) return nelement(rec(self, 1, 'nElement').m) end
Tensor.numel = Tensor.nElement

function Tensor.storageOffset(self) return rec(self, 1, 'storageOffset').m.off + 1 end

function Tensor.storage(self)
  return callS(C.tensor_storage, rec(self, 1, 'storage').h)
end

local function is_contiguous(m)
  local z = 1
  for d = m.nd - 1, 0, -1 do
    local sz = m.d[d].size
    if sz ~= 1 then
      if m.d[d].stride ~= z then return false end
      z = z * sz
    end
  end
  return true
end
core.is_contiguous = is_contiguous

function Tensor.isContiguous(self) return is_contiguous(rec(self, 1, 'isContiguous').m) end

function Tensor.isSameSizeAs(self, other)
  local a, b = rec(self, 1, 'isSameSizeAs').m, rec(other, 2, 'isSameSizeAs').m
  if a.nd ~= b.nd then return false end
  for d = 0, a.nd - 1 do
    if a.d[d].size ~= b.d[d].size then return false end
  end
  return true
end

function Tensor.isSize(self, size)
  local m = rec(self, 1, 'isSize').m
  local r = SDATA[size]
  if r == nil then argerr(2, 'isSize', 'torch.LongStorage expected') end
  local n = tonumber(r.s.size)
  if n ~= m.nd then return false end
  for d = 0, n - 1 do
    if m.d[d].size ~= tonumber(r.s.data[d]) then return false end
  end
  return true
end

function Tensor.isSetTo(self, other)
  local a, b = rec(self, 1, 'isSetTo').m, rec(other, 2, 'isSetTo').m
  if a.st ~= b.st or a.st == nil or a.off ~= b.off or a.nd ~= b.nd then return false end
  for d = 0, a.nd - 1 do
    if a.d[d].size ~= b.d[d].size or a.d[d].stride ~= b.d[d].stride then return false end
  end
  return true
end

------------------------------------------------------------------------------
-- geometry changes (in place) and views
function Tensor.resize(self, ...)
  local r = rec(self, 1, 'resize')
  local sizes, strides = read_sizes('resize', 1, ...)
  if strides then
    local nd, args = geom_args(sizes, strides)
    call(C.tensor_resize_strided, r.h, nd, unpack(args, 1, 2 * nd))
  else
    call(C.tensor_resize, r.h, unpack(sizes))
  end
  return self
end

function Tensor.resizeAs(self, other)
  local r = rec(self, 1, 'resizeAs')
  local nd, _, size = geometry(rec(other, 2, 'resizeAs').m)
  call(C.tensor_resize, r.h, unpack(size, 1, nd))
  return self
end

function Tensor.set(self, ...)
  local r = rec(self, 1, 'set')
  local ti = tiof(self)
  local src, off, size, stride, is_tensor = read_tss(ti, 'set', 1, true, ...)
  if is_tensor then
    call(C.tensor_set_tensor, r.h, src.h)
    return self
  end
  local nd, args = geom_args(size, stride)
  call(C.tensor_set, r.h, src and src.h, off, nd, unpack(args, 1, 2 * nd))
  return self
end

local function checkdim(m, d, argn, fname)
  if type(d) ~= 'number' then argerr(argn, fname, 'number expected, got ' .. type(d)) end
  if d < 1 or d > m.nd then argerr(argn, fname, 'out of range') end
end

function Tensor.narrow(self, dim, first, size)
  local r = rec(self, 1, 'narrow')
  dim, first, size = checkint(dim, 2, 'narrow'), checkint(first, 3, 'narrow'), checkint(size, 4, 'narrow')
  return (tcallT(C.tensor_narrow, r.h, dim - 1, first - 1, size))
end

function Tensor.select(self, dim, index)
  local r = rec(self, 1, 'select')
  local m = r.m
  dim, index = checkint(dim, 2, 'select'), checkint(index, 3, 'select')
  local nd = m.nd
  if index < 0 and nd >= dim and dim >= 1 then
    index = m.d[dim - 1].size + index + 1
  end
  if nd <= 1 then
    -- Tensor.c: selecting in a vector gives its element (get1d, whatever dim says)
    if nd == 0 then argerr(1, 'select', 'empty Tensor') end
    local i = index - 1
    if i < 0 or i >= m.d[0].size then argerr(2, 'select', 'out of range') end
    local x = m.st.data[m.off + i * m.d[0].stride]
    if core.IS_LONG[tiof(self)] then return tonumber(x) end
    return x
  end
  return (tcallT(C.tensor_select, r.h, dim - 1, index - 1))
end

function Tensor.sub(self, ...)
  local r = rec(self, 1, 'sub')
  local m = r.m
  local nd, off, size, stride = geometry(m)
  local n = select('#', ...)
  -- Tensor.c's checks, pair by pair (a pair is read when its start is present)
  for d = 1, math.max(1, math.ceil(n / 2)) do
    local s = checkint(select(2 * d - 1, ...), 2 * d, 'sub') - 1
    local e = checkint(select(2 * d, ...), 2 * d + 1, 'sub') - 1
    local sz = size[d] or 0
    if s < 0 then s = s + sz + 1 end
    if e < 0 then e = e + sz + 1 end
    if d > nd then argerr(2 * d, 'sub', 'invalid dimension') end
    if s < 0 or s >= sz then argerr(2 * d, 'sub', 'out of range') end
    if e < 0 or e >= sz then argerr(2 * d + 1, 'sub', 'out of range') end
    if e < s then argerr(2 * d + 1, 'sub', 'end smaller than beginning') end
    off = off + s * stride[d]
    size[d] = e - s + 1
  end
  return (view_of(r.h, tiof(self), off, size, stride))
end

function Tensor.transpose(self, d1, d2)
  local r = rec(self, 1, 'transpose')
  d1, d2 = checkint(d1, 2, 'transpose'), checkint(d2, 3, 'transpose')
  return (tcallT(C.tensor_transpose, r.h, d1 - 1, d2 - 1))
end

function Tensor.t(self)
  local r = rec(self, 1, 't')
  if r.m.nd ~= 2 then argerr(1, 't', 'Tensor must have 2 dimensions') end
  return (tcallT(C.tensor_transpose, r.h, 0, 1))
end

function Tensor.unfold(self, dim, size, step)
  local r = rec(self, 1, 'unfold')
  dim, size, step = checkint(dim, 2, 'unfold'), checkint(size, 3, 'unfold'), checkint(step, 4, 'unfold')
  return (tcallT(C.tensor_unfold, r.h, dim - 1, size, step))
end

function Tensor.permute(self, ...)
  local r = rec(self, 1, 'permute')
  local nd = r.m.nd
  local perm = {...}
  if #perm ~= nd then err('Invalid permutation') end
  local seen = {}
  for i = 1, nd do
    local p = perm[i]
    if not (type(p) == 'number' and p > 0 and p <= nd) or seen[p] then err('Invalid permutation') end
    seen[p] = true
    perm[i] = p - 1
  end
  return callT(C.tensor_permute, r.h, unpack(perm, 1, nd))
end

function Tensor.squeeze(self, dim)
  local r = rec(self, 1, 'squeeze')
  if dim ~= nil then return (tcallT(C.tensor_squeeze, r.h, checkint(dim, 2, 'squeeze') - 1)) end
  return (tcallT(C.tensor_squeeze, r.h))
end

function Tensor.unsqueeze(self, dim)
  local r = rec(self, 1, 'unsqueeze')
  return (tcallT(C.tensor_unsqueeze, r.h, checkint(dim, 2, 'unsqueeze') - 1))
end

-- view sizes with one -1 resolved (Tensor.lua's specifyFully)
local function resolve_view_sizes(sizes, n)
  local neg, known = nil, 1
  for i, s in ipairs(sizes) do
    if s == -1 then
      if neg then err('Only one of torch.view dimensions can be -1.') end
      neg = i
    else
      known = known * s
    end
  end
  if neg then
    if n % known ~= 0 then err('The number of covered elements is not a multiple of all elements.') end
    sizes[neg] = n / known
  end
  return sizes
end

function Tensor.view(self, ...)
  local r = rec(self, 1, 'view')
  local m = r.m
  local a = ...
  local sizes
  if TDATA[a] ~= nil and select('#', ...) >= 2 then
    -- result:view(src, sizes...): result (self) becomes a view of src
    local v = Tensor.view(a, select(2, ...))
    Tensor.set(self, v)
    return self
  end
  sizes = read_sizes('view', 1, ...)
  local n = nelement(m)
  -- Torch resolves -1 before it checks contiguity
  sizes = resolve_view_sizes(sizes, n)
  if not is_contiguous(m) then err('expecting a contiguous tensor') end
  local total = 1
  for _, s in ipairs(sizes) do total = total * s end
  if total ~= n then
    local nd, _, size = geometry(m)
    err(string.format('Wrong size for view. Input size: %s. Output size: %s',
      table.concat(size, 'x'), table.concat(sizes, 'x')))
  end
  return callT(C.tensor_view, r.h, unpack(sizes))
end

function Tensor.viewAs(self, src, template)
  if template ~= nil then
    -- result:viewAs(src, template): result (self) becomes the view
    local nd, _, size = geometry(rec(template, 3, 'viewAs').m)
    return Tensor.view(self, src, unpack(size, 1, nd))
  end
  local nd, _, size = geometry(rec(src, 2, 'viewAs').m)
  return Tensor.view(self, unpack(size, 1, nd))
end

function Tensor.expand(self, ...)
  local r = rec(self, 1, 'expand')
  local a = ...
  if TDATA[a] ~= nil and select('#', ...) >= 2 then
    local v = Tensor.expand(select(2, ...), select(3, ...))
    Tensor.set(a, v)
    return a
  end
  local sizes = read_sizes('expand', 1, ...)
  return callT(C.tensor_expand, r.h, unpack(sizes))
end

function Tensor.expandAs(self, template)
  local nd, _, size = geometry(rec(template, 2, 'expandAs').m)
  return callT(C.tensor_expand, rec(self, 1, 'expandAs').h, unpack(size, 1, nd))
end

function Tensor.contiguous(self)
  local r = rec(self, 1, 'contiguous')
  if is_contiguous(r.m) then return self end
  return callT(C.tensor_clone, r.h)
end

function Tensor.clone(self)
  return callT(C.tensor_clone, rec(self, 1, 'clone').h)
end

function Tensor.copy(self, src)
  local r = rec(self, 1, 'copy')
  local s = TDATA[src]
  if s == nil then argerr(2, 'copy', 'torch.*Tensor expected, got ' .. torch.type(src)) end
  call(C.tensor_copy, r.h, s.h)
  return self
end

-- fill is cwrap-declared in Torch7: a wrong call gets cwrap's "invalid arguments"
local function fill_invalid(self, ...)
  local W = require 'torch.TensorMath_args'
  local ti = tiof(self)
  core.error(string.format('invalid arguments: %s\nexpected arguments: *%s* %s',
    W.arg_types(select('#', ...) + 1, self, ...), TYPENAME[ti]:sub(7), W.REAL[ti]))
end

function Tensor.fill(self, ...)
  local r = rec(self, 1, 'fill')
  local v = ...
  if type(v) ~= 'number' or select('#', ...) ~= 1 then
    if type(v) == 'string' and tonumber(v) and select('#', ...) == 1 then
      v = tonumber(v)
    else
      fill_invalid(self, ...)
    end
  end
  call(C.tensor_fill, r.h, v)
  return self
end

function Tensor.zero(self)
  call(C.tensor_zero, rec(self, 1, 'zero').h)
  return self
end

function Tensor.new(self, ...)
  return torch.getconstructortable(torch.typename(self))(...)
end

------------------------------------------------------------------------------
-- types
function Tensor.type(self, tname)
  local cur = torch.typename(self)
  if tname == nil then return cur end
  if tname == cur then return self end
  local ctor = torch.getconstructortable(tname)
  if ctor == nil or TI[torch.getmetatable(tname)] == nil then
    err(string.format('bad argument #2 to \'type\' (invalid tensor type %s)', tostring(tname)))
  end
  return callT(C.tensor_convert, rec(self, 1, 'type').h, TI[torch.getmetatable(tname)])
end

function Tensor.typeAs(self, other)
  return Tensor.type(self, torch.typename(other))
end

for _, T in ipairs(core.TYPES) do
  local name = 'torch.' .. T.name .. 'Tensor'
  if not T.base then   -- x:cuda() & co. come with require 'cutorch'
    Tensor[T.name:lower()] = function(self) return Tensor.type(self, name) end
  end
end

-- Torch7's 'real' is the default tensor type; 'half' exists even where the
-- type does not (torchlua has no HalfTensor), so it fails like type() would.
function Tensor.real(self) return Tensor.type(self, torch.getdefaulttensortype()) end
function Tensor.half(self) return Tensor.type(self, 'torch.HalfTensor') end

function Tensor.elementSize(self)
  rec(self, 1, 'elementSize')
  return require('ffi').sizeof(core.TYPES[tiof(self) + 1].ctype)
end

------------------------------------------------------------------------------
-- element iteration in logical (row-major) order over the FFI view
local function offsets(m)
  -- returns an iterator yielding storage offsets of every element
  local nd = m.nd
  if nd == 0 then return function() return nil end end
  local size, stride, counter = {}, {}, {}
  for d = 1, nd do size[d] = m.d[d - 1].size; stride[d] = m.d[d - 1].stride; counter[d] = 0 end
  local off = m.off
  local started = false
  return function()
    if not started then started = true; return off end
    for d = nd, 1, -1 do
      counter[d] = counter[d] + 1
      off = off + stride[d]
      if counter[d] < size[d] then return off end
      off = off - counter[d] * stride[d]
      counter[d] = 0
    end
    return nil
  end
end
core.offsets = offsets

local function conv_for(self)
  if core.IS_LONG[tiof(self)] then return tonumber end
  return nil
end

function Tensor.apply(self, f)
  local m = rec(self, 1, 'apply').m
  local data = m.st.data
  local cv = conv_for(self)
  for off in offsets(m) do
    local v = data[off]
    if cv then v = cv(v) end
    local nv = f(v)
    if nv ~= nil then data[off] = nv end
  end
  return self
end

function Tensor.map(self, other, f)
  local m, mo = rec(self, 1, 'map').m, rec(other, 2, 'map').m
  if nelement(m) ~= nelement(mo) then err('inconsistent tensor size') end
  local d1, d2 = m.st.data, mo.st.data
  local c1, c2 = conv_for(self), conv_for(other)
  local it2 = offsets(mo)
  for off in offsets(m) do
    local o2 = it2()
    local a, b = d1[off], d2[o2]
    if c1 then a = c1(a) end
    if c2 then b = c2(b) end
    local nv = f(a, b)
    if nv ~= nil then d1[off] = nv end
  end
  return self
end

function Tensor.map2(self, t1, t2, f)
  local m, m1, m2 = rec(self, 1, 'map2').m, rec(t1, 2, 'map2').m, rec(t2, 3, 'map2').m
  local n = nelement(m)
  if n ~= nelement(m1) or n ~= nelement(m2) then err('inconsistent tensor size') end
  local d, d1, d2 = m.st.data, m1.st.data, m2.st.data
  local c, c1, c2 = conv_for(self), conv_for(t1), conv_for(t2)
  local it1, it2 = offsets(m1), offsets(m2)
  for off in offsets(m) do
    local o1, o2 = it1(), it2()
    local a, b, e = d[off], d1[o1], d2[o2]
    if c then a = c(a) end
    if c1 then b = c1(b) end
    if c2 then e = c2(e) end
    local nv = f(a, b, e)
    if nv ~= nil then d[off] = nv end
  end
  return self
end

function Tensor.totable(self)
  local m = rec(self, 1, 'totable').m
  local nd, off, size, stride = geometry(m)
  local data = m.st ~= nil and m.st.data
  local cv = tonumber
  local function build(d, o)
    local t = {}
    if d == nd then
      for i = 1, size[d] do t[i] = cv(data[o]); o = o + stride[d] end
    else
      for i = 1, size[d] do t[i] = build(d + 1, o); o = o + stride[d] end
    end
    return t
  end
  if nd == 0 then return {} end
  return build(1, off)
end

function Tensor.split(self, ...)
  -- split([result,] tensor, splitSize [, dim])
  local result, size, dim
  if type(self) == 'table' and TDATA[self] == nil then
    result = self
    self, size, dim = ...
  else
    size, dim = ...
  end
  local m = rec(self, 1, 'split').m
  dim = dim or 1
  local total = m.d[dim - 1].size
  result = result or {}
  local k, i = 1, 1
  while i <= total do
    local n = math.min(size, total - i + 1)
    result[k] = Tensor.narrow(self, dim, i, n)
    i = i + size
    k = k + 1
  end
  return result
end

function Tensor.chunk(self, ...)
  local result, n, dim
  if type(self) == 'table' and TDATA[self] == nil then
    result = self
    self, n, dim = ...
  else
    n, dim = ...
  end
  local m = rec(self, 1, 'chunk').m
  dim = dim or 1
  local total = m.d[dim - 1].size
  local size = math.ceil(total / n)
  if result then return Tensor.split(result, self, size, dim) end
  return Tensor.split(self, size, dim)
end

------------------------------------------------------------------------------
-- indexing
local function index_error(msg) core.error("bad argument #2 to '?' (" .. msg .. ')') end

-- applies a table index {i, {a,b}, {}, ...}: returns off, size, stride, done(element)
local function slice(m, idx)
  local nd, off, size, stride = geometry(m)
  local n = #idx
  if n > nd then index_error('too many indices provided') end
  local cdim = 1
  for dim = 1, nd do
    local v = idx[dim]
    if type(v) == 'number' then
      local z = trunc(v) - 1
      local sz = size[cdim]
      if z < 0 then z = sz + z + 1 end
      if z < 0 or z >= sz then index_error('index out of bound') end
      if #size == 1 then
        return off + z * stride[cdim], nil, nil, true
      end
      off = off + z * stride[cdim]
      table.remove(size, cdim)
      table.remove(stride, cdim)
    elseif type(v) == 'table' then
      local sz = size[cdim]
      local s, e = 0, sz - 1
      if type(v[1]) == 'number' then s = trunc(v[1]) - 1; e = s end
      if s < 0 then s = sz + s + 1 end
      if s < 0 or s >= sz then index_error('start index out of bound') end
      if type(v[2]) == 'number' then e = trunc(v[2]) - 1 end
      if e < 0 then e = sz + e + 1 end
      if e < 0 or e >= sz then index_error('end index out of bound') end
      if e < s then index_error('end index must be greater or equal to start index') end
      off = off + s * stride[cdim]
      size[cdim] = e - s + 1
      cdim = cdim + 1
    else
      break
    end
  end
  return off, size, stride, false
end

local function storage_index(m, idx)
  local r = SDATA[idx]
  local n = tonumber(r.s.size)
  if n ~= m.nd then index_error('invalid size') end
  local off = m.off
  for d = 0, n - 1 do
    local z = tonumber(r.s.data[d]) - 1
    local sz = m.d[d].size
    if z < 0 then z = sz + z + 1 end
    if z < 0 or z >= sz then index_error('index out of bound') end
    off = off + z * m.d[d].stride
  end
  return off
end

local function make_index(ti, mt)
  local cv = core.IS_LONG[ti] and tonumber or nil
  return function(self, k)
    local v = mt[k]
    if v ~= nil then return v end
    local tk = type(k)
    if tk == 'number' then
      local r = TDATA[self]
      local m = r.m
      local nd = m.nd
      if nd == 0 then argerr(1, '?', 'empty tensor') end
      local sz = m.d[0].size
      local i = (k >= 0 and floor(k) or -floor(-k)) - 1
      if i < 0 then i = sz + i + 1 end
      if i < 0 or i >= sz then index_error('out of range') end
      if nd == 1 then
        local x = m.st.data[m.off + i * m.d[0].stride]
        if cv then return cv(x) end
        return x
      end
      return callT(C.tensor_select, r.h, 0, i)
    elseif tk == 'table' then
      local r = TDATA[self]
      local off, size, stride, done = slice(r.m, k)
      if done then
        local x = r.m.st.data[off]
        if cv then return cv(x) end
        return x
      end
      return view_of(r.h, ti, off, size, stride)
    elseif tk == 'userdata' then
      if SDATA[k] ~= nil and torch.typename(k) == 'torch.LongStorage' then
        local m = TDATA[self].m
        local x = m.st.data[storage_index(m, k)]
        if cv then return cv(x) end
        return x
      end
      if TDATA[k] ~= nil and torch.typename(k) == 'torch.ByteTensor' then
        return self:maskedSelect(k)
      end
    end
    return nil
  end
end

local function assign_to_view(view, value)
  if type(value) == 'number' then
    Tensor.fill(view, value)
  elseif TDATA[value] ~= nil then
    Tensor.copy(view, value)
  else
    argerr(3, '__newindex', 'torch.*Tensor expected')
  end
end

local function make_newindex(ti, mt)
  return function(self, k, value)
    local tk = type(k)
    local r = TDATA[self]
    if tk == 'number' then
      local m = r.m
      local nd = m.nd
      if nd == 0 then argerr(1, '?', 'empty tensor') end
      local sz = m.d[0].size
      local i = (k >= 0 and floor(k) or -floor(-k)) - 1
      if i < 0 then i = sz + i + 1 end
      if type(value) == 'number' and nd == 1 then
        if i < 0 or i >= sz then index_error('out of range') end
        m.st.data[m.off + i * m.d[0].stride] = value
        return
      end
      if type(value) ~= 'number' and TDATA[value] == nil then
        argerr(3, '?', 'torch.*Tensor expected, got ' .. torch.type(value))
      end
      if i < 0 or i >= sz then argerr(3, '?', 'out of range') end
      assign_to_view(callT(C.tensor_narrow, r.h, 0, i, 1), value)
      return
    elseif tk == 'table' then
      local off, size, stride, done = slice(r.m, k)
      if done then
        if type(value) ~= 'number' then argerr(3, '?', 'number expected, got ' .. torch.type(value)) end
        r.m.st.data[off] = value
        return
      end
      assign_to_view(view_of(r.h, ti, off, size, stride), value)
      return
    elseif tk == 'userdata' then
      if SDATA[k] ~= nil and torch.typename(k) == 'torch.LongStorage' then
        if type(value) ~= 'number' then argerr(3, '?', 'number expected') end
        r.m.st.data[storage_index(r.m, k)] = value
        return
      end
      if TDATA[k] ~= nil and torch.typename(k) == 'torch.ByteTensor' then
        if type(value) == 'number' then self:maskedFill(k, value) else self:maskedCopy(k, value) end
        return
      end
    end
    -- raised by luaT's __newindex itself (called by the script): the caller's line
    error(string.format('the class %s cannot be indexed', TYPENAME[ti]), 2)
  end
end

------------------------------------------------------------------------------
-- per-type classes
for ti0, T in ipairs(core.TYPES) do
  local ti = ti0 - 1
  local tname = 'torch.' .. T.name .. 'Tensor'
  TYPENAME[ti] = tname
  local mt = torch.newmetatable(tname, nil, constructor(ti),
                                nil, function() return callT(C.tensor_new, ti) end,
                                T.base and core.CUDA_CLASSES or torch, MTS[ti])
  TI[mt] = ti
  mt.__index = make_index(ti, mt)
  mt.__newindex = make_newindex(ti, mt)
  core.NOPOS[mt.__index], core.NOPOS[mt.__newindex] = true, true
  mt.__len = function(self) return Tensor.size(self) end
  -- as luaT: two handles on the same tensor object are equal
  mt.__eq = function(a, b)
    local ra, rb = TDATA[a], TDATA[b]
    return ra ~= nil and rb ~= nil and ra.m == rb.m
  end
  mt.__tostring__ = function(self) return call(C.tensor_tostring, TDATA[self].h, tname) end
  mt.__pointer = function(self)
    local m = TDATA[self].m
    return tonumber(require('ffi').cast('intptr_t', m)) -- identity of the tensor object
  end
end
core.TYPENAME = TYPENAME
core.TI = TI

-- Copy the shared methods into every type's metatable.  Families call this again
-- after adding methods; a method a type defines for itself is left alone.
local installed = {}
function torch._install_tensor_methods()
  for ti = 0, #core.TYPES - 1 do
    local mt = MTS[ti]
    for k, f in pairs(Tensor) do
      local cur = rawget(mt, k)
      if cur == nil or cur == installed[k] then rawset(mt, k, f) end
    end
  end
  for k, f in pairs(Tensor) do installed[k] = f end
end
torch._install_tensor_methods()

function torch.isTensor(obj) return TDATA[obj] ~= nil end
-- Torch7's init.lua sets torch.Tensor.isTensor while torch.Tensor is still
-- torch.DoubleTensor, so the alias lives in DoubleTensor's class only.
rawset(MTS[6], 'isTensor', torch.isTensor)
function torch.isStorage(obj) return SDATA[obj] ~= nil end

return Tensor
