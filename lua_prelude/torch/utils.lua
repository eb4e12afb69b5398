-- Small torch-level utilities: default tensor type, include, totable, version info.
local core = require 'torch._core'

function torch.setdefaulttensortype(typename)
  assert(type(typename) == 'string', 'string expected')
  local ctor = torch.getconstructortable(typename)
  if ctor and core.TI[torch.getmetatable(typename)] ~= nil then
    torch.Tensor = ctor
    torch.Storage = torch.getconstructortable((typename:gsub('Tensor$', 'Storage')))
  else
    error(string.format('<%s> is not a string describing a torch object', typename), 2)
  end
end

function torch.getdefaulttensortype()
  return torch.typename(torch.Tensor())
end

function torch.totable(obj)
  if torch.isTensor(obj) or torch.isStorage(obj) then
    return obj:totable()
  end
  error('obj must be a Storage or a Tensor', 2)
end

-- torch.packageLuaPath(name): the folder a package's Lua files live in
function torch.packageLuaPath(name)
  if not name then
    return (torch.packageLuaPath('torch'):match('(.*)/'))
  end
  local root = core.C.prelude_root
  local f = io.open(root .. '/' .. name .. '/init.lua')
  if f then f:close(); return root .. '/' .. name end
  for path in package.path:gmatch('[^;]+') do
    local p = path:gsub('%?', name)
    local fh = io.open(p)
    if fh then fh:close(); return (p:match('(.*)/')) end
  end
end

function torch.include(package, file)
  dofile(torch.packageLuaPath(package) .. '/' .. file)
end

local nthreads = 1
function torch.setnumthreads(n) nthreads = n end
function torch.getnumthreads() return nthreads end
-- Torch7 also hooks its GC into TH's allocator here; Python's allocator needs no
-- such hook, so only the visible flag is kept.
function torch.setheaptracking(enabled)
  if type(enabled) ~= 'boolean' then
    error(string.format("bad argument #1 to 'setheaptracking' (boolean expected, got %s)",
      enabled == nil and 'no value' or type(enabled)), 2)
  end
  torch._heaptracking = enabled
end
