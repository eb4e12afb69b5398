-- torch.File and its subclasses torch.DiskFile, torch.MemoryFile, torch.PipeFile.
-- A file is a userdata (newproxy of a per-class prototype); FDATA[ud] holds the
-- Python File, each method is one crossing.  Object (de)serialization follows
-- Torch7's t7 grammar and is written here in Lua.
local core = require 'torch._core'
local ffi = require 'ffi'
local C = core.C
local SDATA, TDATA = core.SDATA, core.TDATA

local FDATA = setmetatable({}, {__mode = 'k'})
local ENV = setmetatable({}, {__mode = 'k'})

local function fh(self)
  local h = FDATA[self]
  if h == nil then core.error('torch.File expected') end
  return h
end

-- a failed core call: an argument check is renamed/renumbered for the script's call
local function ferror(e)
  local s = tostring(e)
  local n, msg = s:match("^bad argument #(%d+) to '%?' %((.*)%)$")
  if n then core.argerror(tonumber(n), msg) end
  core.error(s)
end

local function fcall_ret(ok, ...)
  if not ok then ferror((...)) end
  return ...
end

local function fcall(f, ...)
  return fcall_ret(pcall(f, ...))
end

local File = torch.newmetatable('torch.File', nil, nil, nil, nil, torch)

local PROTO = {}
local function make_class(name, ctor)
  local proto = newproxy(true)
  local mt = torch.newmetatable('torch.' .. name, 'torch.File', nil, nil, nil, torch, getmetatable(proto))
  PROTO[name] = proto
  local function new(...)
    local h = ctor(...)
    local ud = newproxy(proto)
    FDATA[ud] = h
    return ud
  end
  core.NOPOS[new] = true   -- a constructor: C behind luaT's __call in Torch7
  local cmt = debug.getmetatable(rawget(mt, '__constructor'))
  rawset(cmt, '__new', new)
  rawset(mt, 'new', new)
  mt.__tostring__ = function(self) return fcall(C.file_method, fh(self), 'tostring') end
  return mt
end

make_class('DiskFile', function(path, mode, quiet)
  if type(path) ~= 'string' then core.error("bad argument #1 to 'torch.DiskFile' (string expected)") end
  return fcall(C.file_disk, path, mode, quiet)
end)
make_class('PipeFile', function(cmd, mode, quiet)
  if type(cmd) ~= 'string' then core.error("bad argument #1 to 'torch.PipeFile' (string expected)") end
  return fcall(C.file_pipe, cmd, mode, quiet)
end)
local MemoryFile = make_class('MemoryFile', function(a, b)
  if type(a) == 'string' or a == nil then return fcall(C.file_memory, nil, a) end
  local r = SDATA[a]
  if not r or torch.typename(a) ~= 'torch.CharStorage' then
    core.error("bad argument #1 to 'torch.MemoryFile' (torch.CharStorage expected)")
  end
  return fcall(C.file_memory, r.h, b)
end)
function MemoryFile:storage()
  local ok, h, ti, ha = pcall(C.file_memory_storage, fh(self))
  if not ok then ferror(h) end
  return core.wrapS(h, ti, ha)
end

local returns_self = {binary = 1, ascii = 1, autoSpacing = 1, noAutoSpacing = 1, quiet = 1,
  pedantic = 1, clearError = 1, seek = 1, seekEnd = 1, synchronize = 1, close = 1,
  nativeEndianEncoding = 1, littleEndianEncoding = 1, bigEndianEncoding = 1, noBuffer = 1,
  longSize = 1}
for _, name in ipairs{'isQuiet', 'isReadable', 'isWritable', 'isBinary', 'isAutoSpacing',
    'hasError', 'binary', 'ascii', 'autoSpacing', 'noAutoSpacing', 'quiet', 'pedantic',
    'clearError', 'longSize', 'seek', 'seekEnd', 'position', 'synchronize', 'close',
    'nativeEndianEncoding', 'littleEndianEncoding', 'bigEndianEncoding', 'noBuffer'} do
  local method = C.file_method
  File[name] = function(self, ...)
    local r = fcall(method, fh(self), name, ...)
    if returns_self[name] then return self end
    return r
  end
end

for _, kind in ipairs{'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'} do
  local sname = 'torch.' .. kind .. 'Storage'
  File['read' .. kind] = function(self, arg)
    local h = fh(self)
    if arg == nil then return fcall(C.file_read_scalar, h, kind) end
    if type(arg) == 'number' then
      local ok, s, ti, ha = pcall(C.file_read_storage_new, h, kind, arg)
      if not ok then ferror(s) end
      return core.wrapS(s, ti, ha)
    end
    local r = SDATA[arg]
    if r and torch.typename(arg) == sname then return fcall(C.file_read_into, h, kind, r.h) end
    core.error(string.format("bad argument #1 to 'read%s' (nothing, number, or %s expected)", kind, sname))
  end
  File['write' .. kind] = function(self, arg)
    local h = fh(self)
    if type(arg) == 'number' then fcall(C.file_write_scalar, h, kind, arg); return 1 end
    local r = SDATA[arg]
    if r and torch.typename(arg) == sname then return fcall(C.file_write_storage, h, kind, r.h) end
    core.error(string.format("bad argument #1 to 'write%s' (number, or %s expected)", kind, sname))
  end
end

local function charstorage(s)
  local st = torch.CharStorage(#s)
  if #s > 0 then ffi.copy(SDATA[st].s.data, s, #s) end
  return st
end

function File:readString(fmt)
  local ok, h, ti, ha = pcall(C.file_read_string, fh(self), fmt)
  if not ok then ferror(h) end
  return core.wrapS(h, ti, ha):string()
end
function File:writeString(s)
  if type(s) ~= 'string' then core.argerror(2, 'string expected, got ' .. type(s)) end
  return fcall(C.file_write_string, fh(self), SDATA[charstorage(s)].h)
end
function File:writeBool(v) self:writeInt(v and 1 or 0) end
function File:readBool() return self:readInt() == 1 end

-- Storages and tensors: class write/read methods, raw data in one crossing.
for _, T in ipairs(core.TYPES) do
  local kind = T.name
  local smt = torch.getmetatable('torch.' .. kind .. 'Storage')
  local tmt = torch.getmetatable('torch.' .. kind .. 'Tensor')
  rawset(smt, 'write', function(self, file)
    file:writeLong(self:size())
    file['write' .. kind](file, self)
  end)
  rawset(smt, 'read', function(self, file)
    local n = file:readLong()
    self:resize(n)
    file['read' .. kind](file, self)
  end)
  if T.base then
    -- cutorch's storages hold their base type's elements (torch.CudaStorage: floats)
    local bkind = core.TYPES[T.base + 1].name
    rawset(smt, 'write', function(self, file)
      file:writeLong(self:size())
      fcall(C.file_write_storage, fh(file), bkind, SDATA[self].h)
    end)
    rawset(smt, 'read', function(self, file)
      local n = file:readLong()
      self:resize(n)
      fcall(C.file_read_into, fh(file), bkind, SDATA[self].h)
    end)
  end
  rawset(tmt, 'write', function(self, file)
    local m = TDATA[self].m
    local nd = tonumber(m.nd)
    file:writeInt(nd)
    local sz, st = torch.LongStorage(nd), torch.LongStorage(nd)
    for d = 0, nd - 1 do sz[d + 1] = m.d[d].size; st[d + 1] = m.d[d].stride end
    file:writeLong(sz)
    file:writeLong(st)
    file:writeLong(tonumber(m.off) + 1)
    file:writeObject(nd > 0 and self:storage() or nil)
  end)
  rawset(tmt, 'read', function(self, file)
    local nd = file:readInt()
    local sz = file:readLong(nd)
    local st = file:readLong(nd)
    local off = file:readLong()
    local storage = file:readObject()
    if storage ~= nil and nd > 0 then
      local args = {}
      for d = 1, nd do args[d] = sz[d]; args[nd + d] = st[d] end
      local ok, e = pcall(C.tensor_set, TDATA[self].h, SDATA[storage].h, off - 1, nd, unpack(args, 1, 2 * nd))
      if not ok then core.error(tostring(e)) end
    end
  end)
end

-- Objects.
local TYPE_NIL, TYPE_NUMBER, TYPE_STRING, TYPE_TABLE, TYPE_TORCH = 0, 1, 2, 3, 4
local TYPE_BOOLEAN, TYPE_FUNCTION, LEGACY_RECUR_FUNCTION, TYPE_RECUR_FUNCTION = 5, 6, 7, 8

local function env(self)
  local e = ENV[self]
  if not e then
    e = {written = {}, keep = {}, nwritten = 0, read = {}, force = false, upid = {}, upclosure = {}}
    ENV[self] = e
  end
  return e
end

function File:referenced(ref)
  env(self).force = not ref
  return self
end
function File:isReferenced() return not env(self).force end

local function method_of(obj, name)
  local tn = torch.typename(obj)
  local mt = tn and torch.getmetatable(tn)
  if mt then
    local f = mt['__' .. name] or mt[name]
    if type(f) == 'function' then return f end
  end
end

function File:isWritableObject(obj)
  local t = type(obj)
  if t ~= 'boolean' and not obj then return TYPE_NIL end
  local tn = torch.typename(obj)
  if tn and torch.factory(tn) then return TYPE_TORCH end
  if t == 'table' then return TYPE_TABLE end
  if t == 'number' then return TYPE_NUMBER end
  if t == 'string' then return TYPE_STRING end
  if t == 'boolean' then return TYPE_BOOLEAN end
  if t == 'function' and pcall(string.dump, obj) then return TYPE_RECUR_FUNCTION end
end

local function write_chars(self, s)
  local st = charstorage(s)
  self:writeInt(#s)
  self:writeChar(st)
end
local function read_chars(self)
  local n = self:readInt()
  if n == 0 then return '' end
  return self:readChar(n):string()
end

function File:writeObject(obj)
  local e = env(self)
  local typeidx = self:isWritableObject(obj)
  if not typeidx then
    core.error(string.format('Unwritable object <%s>', type(obj)))
  end
  self:writeInt(typeidx)
  if typeidx == TYPE_NIL then return end
  if typeidx == TYPE_NUMBER then self:writeDouble(obj); return end
  if typeidx == TYPE_BOOLEAN then self:writeBool(obj); return end
  if typeidx == TYPE_STRING then write_chars(self, obj); return end
  local ptr = torch.pointer(obj)
  local index = e.written[ptr]
  if index and not e.force then self:writeInt(index); return end
  index = e.nwritten + 1
  e.nwritten = index
  if not e.force then e.written[ptr] = index; e.keep[obj] = index end
  self:writeInt(index)
  if typeidx == TYPE_RECUR_FUNCTION then
    local upvalues, i = {}, 0
    while true do
      i = i + 1
      local name, value = debug.getupvalue(obj, i)
      if not name then break end
      if name == '_ENV' then value = nil end
      local uid = debug.upvalueid(obj, i)
      local id = e.upid[uid]
      if not id then
        local n = 1
        for _ in pairs(e.upid) do n = n + 1 end
        e.upid[uid] = n
        id = n
      end
      upvalues[#upvalues + 1] = {name = name, id = id, value = value}
    end
    write_chars(self, string.dump(obj))
    self:writeObject(upvalues)
  elseif typeidx == TYPE_TORCH then
    write_chars(self, 'V ' .. tostring(torch.version(obj)))
    write_chars(self, torch.typename(obj))
    local write = method_of(obj, 'write')
    if write then
      write(obj, self)
    elseif type(obj) == 'table' then
      local var = {}
      for k, v in pairs(obj) do
        if self:isWritableObject(v) then var[k] = v end
      end
      self:writeObject(var)
    else
      core.error(string.format('<%s> is a non-serializable Torch object', torch.typename(obj)))
    end
  else
    local n = 0
    for _ in pairs(obj) do n = n + 1 end
    self:writeInt(n)
    for k, v in pairs(obj) do
      self:writeObject(k)
      self:writeObject(v)
    end
  end
end

local function where(self)
  local ok, p = pcall(C.file_method, FDATA[self], 'position')
  local name = ok and string.format(' at byte %d', p - 1) or ''
  return fcall(C.file_method, FDATA[self], 'tostring'):match('^[^%[]*'):gsub('%s+$', '') .. name
end

local function refuse_function(self)
  core.error('refusing to load a function (Lua bytecode) from ' .. where(self) ..
    ": functions load only when allowed: file:readObject{allowFunctions=true} or " ..
    "torch.load(path, format, {allowFunctions=true})")
end

local function load_function(self, e, opts)
  local dumped = read_chars(self)
  if not opts.allowFunctions then refuse_function(self) end
  local f, err = loadstring(dumped)
  if not f then core.error('failed to load function from bytecode: ' .. tostring(err)) end
  return f
end

local function read_object(self, opts)
  local e = env(self)
  local typeidx = self:readInt()
  if typeidx == TYPE_NIL then return nil end
  if typeidx == TYPE_NUMBER then return self:readDouble() end
  if typeidx == TYPE_BOOLEAN then return self:readBool() end
  if typeidx == TYPE_STRING then return read_chars(self) end
  if typeidx == TYPE_FUNCTION then
    local f = load_function(self, e, opts)
    local ups = read_object(self, opts)
    for i, v in ipairs(ups) do debug.setupvalue(f, i, v) end
    return f
  end
  if typeidx ~= TYPE_TABLE and typeidx ~= TYPE_TORCH and typeidx ~= TYPE_RECUR_FUNCTION
      and typeidx ~= LEGACY_RECUR_FUNCTION then
    core.error(string.format('unknown object type %s in %s', tostring(typeidx), where(self)))
  end
  local index = self:readInt()
  if e.read[index] ~= nil and not e.force then return e.read[index] end
  if typeidx == TYPE_RECUR_FUNCTION or typeidx == LEGACY_RECUR_FUNCTION then
    local f = load_function(self, e, opts)
    if not e.force then e.read[index] = f end
    local ups = read_object(self, opts)
    for i, up in ipairs(ups) do
      if typeidx == LEGACY_RECUR_FUNCTION then
        debug.setupvalue(f, i, up)
      elseif up.name == '_ENV' then
        debug.setupvalue(f, i, _G)
      else
        debug.setupvalue(f, i, up.value)
        if up.id then
          local other = e.upclosure[up.id]
          if other then debug.upvaluejoin(f, i, other.f, other.i)
          else e.upclosure[up.id] = {f = f, i = i} end
        end
      end
    end
    return f
  elseif typeidx == TYPE_TORCH then
    local version = read_chars(self)
    local vnum = tonumber(version:match('^V (.*)$'))
    local cname
    if not vnum then cname, vnum = version, 0 else cname = read_chars(self) end
    local factory = torch.factory(cname)
    if not factory then
      core.error(string.format('unknown Torch class <%s> in %s', tostring(cname), where(self)))
    end
    local obj = factory(self)
    if not e.force then e.read[index] = obj end
    local read = method_of(obj, 'read')
    if read then
      read(obj, self, vnum)
    elseif type(obj) == 'table' then
      local var = read_object(self, opts)
      for k, v in pairs(var) do obj[k] = v end
    else
      core.error(string.format('Cannot load object class <%s>', tostring(cname)))
    end
    return obj
  else
    local t = {}
    if not e.force then e.read[index] = t end
    local n = self:readInt()
    for _ = 1, n do
      local k = read_object(self, opts)
      t[k] = read_object(self, opts)
    end
    return t
  end
end

-- file:readObject([{allowFunctions=true}]): functions are refused unless allowed.
function File:readObject(opts)
  if opts ~= nil and type(opts) ~= 'table' then
    core.error("bad argument #1 to 'readObject' (table of options expected)")
  end
  return read_object(self, opts or {})
end

-- torch.save / load / serialize / deserialize
local function check_format(fmt, fname)
  fmt = fmt or 'binary'
  if fmt ~= 'binary' and fmt ~= 'ascii' then
    core.error(string.format("bad argument #2 to '%s' (format must be 'binary' or 'ascii')", fname))
  end
  return fmt
end

local function load_opts(x)
  if x == true then return {allowFunctions = true} end
  if type(x) == 'table' then return x end
  return {}
end

function torch.save(filename, obj, format, referenced)
  format = check_format(format, 'save')
  local f = torch.DiskFile(filename, 'w')
  f[format](f)
  f:referenced(referenced == nil and true or referenced)
  f:writeObject(obj)
  f:close()
end

-- torch.load(path[, format[, opts]]); opts = true or {allowFunctions=true}
function torch.load(filename, format, opts)
  format = check_format(format, 'load')
  local f = torch.DiskFile(filename, 'r')
  f[format](f)
  local ok, obj = pcall(File.readObject, f, load_opts(opts))
  f:close()
  if not ok then error(obj, 0) end
  return obj
end

function torch.serialize(obj, format)
  format = check_format(format, 'serialize')
  local f = torch.MemoryFile()
  f[format](f)
  f:writeObject(obj)
  local s = f:storage():string()
  f:close()
  return s:sub(1, -2)
end

function torch.deserialize(str, format, opts)
  format = check_format(format, 'deserialize')
  local st = torch.CharStorage(#str + 1)
  if #str > 0 then ffi.copy(SDATA[st].s.data, str, #str) end
  local f = torch.MemoryFile(st, 'r')
  f[format](f)
  local obj = f:readObject(load_opts(opts))
  f:close()
  return obj
end

-- The same through a CharStorage, so a big object never becomes one Lua string.
function torch.serializeToStorage(obj, format)
  format = check_format(format, 'serializeToStorage')
  local f = torch.MemoryFile()
  f[format](f)
  f:writeObject(obj)
  local st = f:storage()
  st:resize(st:size() - 1)   -- without the MemoryFile's closing NUL, as serialize
  f:close()
  return st
end

function torch.deserializeFromStorage(storage, format, opts)
  format = check_format(format, 'deserializeFromStorage')
  local r = SDATA[storage]
  if r == nil or torch.typename(storage) ~= 'torch.CharStorage' then
    core.error("bad argument #1 to 'deserializeFromStorage' (torch.CharStorage expected)")
  end
  local n = storage:size()
  local st = torch.CharStorage(n + 1)   -- MemoryFile wants the closing NUL
  if n > 0 then ffi.copy(SDATA[st].s.data, r.s.data, n) end
  local f = torch.MemoryFile(st, 'r')
  f[format](f)
  local obj = f:readObject(load_opts(opts))
  f:close()
  return obj
end

return File
