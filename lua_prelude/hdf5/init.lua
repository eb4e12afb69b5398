-- hdf5: torch-hdf5's interface (hdf5.open, HDF5File:read/write/close,
-- HDF5DataSet:all/partial/dataspaceSize) over h5py, the optional extra
-- `pip install 'torchlua[hdf5]'`.
require 'torch'
local C = require '_torchcore'
local core = require 'torch._core'

hdf5 = hdf5 or {}
local hdf5 = hdf5

local function call(f, ...)
  local ok, a, b, c, d = pcall(f, ...)
  if not ok then core.error(tostring(a)) end
  return a, b, c, d
end

local HDF5File = torch.class('hdf5.HDF5File')
local HDF5DataSet = torch.class('hdf5.HDF5DataSet')
local HDF5Group = torch.class('hdf5.HDF5Group')
local DataSetOptions = torch.class('hdf5.DataSetOptions')

function hdf5.available() return C.h5_available() end

function hdf5.open(filename, mode)
  if type(filename) ~= 'string' then
    core.error("hdf5.open: expected a file name (string), got " .. type(filename))
  end
  return hdf5.HDF5File(filename, mode or 'a')
end

local function norm(name)
  if type(name) ~= 'string' then core.error('HDF5File: expected a path (string), got ' .. type(name)) end
  if name:sub(1, 1) ~= '/' then name = '/' .. name end
  return name
end

function HDF5File:__init(filename, mode)
  self._filename = filename
  self._mode = mode
  self._h = call(C.h5_open, filename, mode)
end

function HDF5File:filename() return self._filename end

function HDF5File:__tostring()
  return '[HDF5File: ' .. self._filename .. (self._h and '' or ' (closed)') .. ']'
end

local function handle(self)
  if not self._h then core.error('HDF5File: the file ' .. self._filename .. ' is closed') end
  return self._h
end

function HDF5File:close()
  if self._h then call(C.h5_close, self._h); self._h = nil end
end

function HDF5File:write(name, data, options)
  local h = handle(self)
  name = norm(name)
  if torch.isTensor(data) then
    local chunks, deflate
    if options then
      chunks = options._chunks and table.concat(options._chunks, ',') or nil
      deflate = options._deflate
    end
    call(C.h5_write, h, name, core.th(data, 2, 'write'), chunks, deflate)
  elseif type(data) == 'table' then
    for k, v in pairs(data) do self:write(name:gsub('/$', '') .. '/' .. tostring(k), v, options) end
  else
    core.error('HDF5File:write: expected a tensor or a table of tensors, got ' .. torch.type(data))
  end
end

function HDF5File:read(name)
  local h = handle(self)
  name = norm(name or '/')
  local kind = call(C.h5_kind, h, name)
  if kind == nil then core.error('HDF5File:read: no dataset or group named ' .. name .. ' in ' .. self._filename) end
  if kind == 'group' then return hdf5.HDF5Group(self, name) end
  return hdf5.HDF5DataSet(self, name)
end

function HDF5File:all() return self:read('/'):all() end

function HDF5DataSet:__init(file, name) self._file, self._name = file, name end
function HDF5DataSet:__tostring() return '[HDF5DataSet ' .. self._name .. ']' end
function HDF5DataSet:all()
  return core.callT(C.h5_read_all, handle(self._file), self._name)
end
function HDF5DataSet:partial(...)
  local flat = {}
  for i = 1, select('#', ...) do
    local r = select(i, ...)
    if type(r) ~= 'table' or type(r[1]) ~= 'number' or type(r[2]) ~= 'number' then
      core.error('HDF5DataSet:partial: range ' .. i .. ' must be {first, last}')
    end
    flat[#flat + 1] = r[1]
    flat[#flat + 1] = r[2]
  end
  return core.callT(C.h5_read_partial, handle(self._file), self._name, unpack(flat))
end
function HDF5DataSet:dataspaceSize()
  return {call(C.h5_dataspace, handle(self._file), self._name)}
end
function HDF5DataSet:getTensorFactory()
  return torch[call(C.h5_dtype, handle(self._file), self._name) .. 'Tensor']
end
function HDF5DataSet:close() end

function HDF5Group:__init(file, name) self._file, self._name = file, name end
function HDF5Group:__tostring() return '[HDF5Group ' .. self._name .. ']' end
function HDF5Group:all()
  local out = {}
  local keys = call(C.h5_keys, handle(self._file), self._name)
  if keys == '' then return out end
  for k in (keys .. '\0'):gmatch('(%Z*)%z') do
    out[k] = self._file:read(self._name:gsub('/$', '') .. '/' .. k):all()
  end
  return out
end
function HDF5Group:close() end

function DataSetOptions:__init() end
function DataSetOptions:setChunked(...) self._chunks = {...}; return self end
function DataSetOptions:setDeflate(level) self._deflate = level or 6; return self end

return hdf5
