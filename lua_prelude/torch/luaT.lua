-- Torch7's class system (what luaT does in C): named metatables, constructor
-- tables, parents, factories, typename/type/isTypeOf, pointer, version.
local torch = torch

local CLASSES = {}                               -- name -> metatable
local NAMES = setmetatable({}, {__mode = 'k'})  -- metatable -> name
torch._classes = CLASSES

-- Objects of Lua classes look methods up in their metatable and its parents.
-- A class may define __index__/__newindex__ hooks, as in luaT; only then is a
-- (slower) function index installed.
local function hooked_index(self, k)
  local mt = getmetatable(self)
  local hook = mt.__index__
  if hook then
    local v, found = hook(self, k)
    if found then return v end
  end
  return mt[k]
end

local function hooked_newindex(self, k, v)
  local mt = getmetatable(self)
  local hook = mt.__newindex__
  if hook and hook(self, k, v) then return end
  if type(self) == 'table' then
    rawset(self, k, v)
  else
    error(string.format('the class %s cannot be indexed', torch.typename(self)), 2)
  end
end

-- as luaT's metamethods: the left operand's metatable when it has one (a string's
-- too), else the right operand's; no operator there is an error
local function operator(name, fallback)
  return function(a, ...)
    local mt = getmetatable(a)
    if mt == nil then
      local b = ...
      mt = getmetatable(b)
    end
    local f = mt and type(mt) == 'table' and rawget(mt, name)
    if f == nil and mt and type(mt) == 'table' then f = mt[name] end
    if f then return f(a, ...) end
    return fallback(a, ...)
  end
end

local function binerr(what)
  return function(a, b)
    error(string.format('both %s and %s have no %s operator',
      torch.typename(a) or '(null)', torch.typename(b) or '(null)', what), 2)
  end
end

local DEFAULT_OPERATORS = {
  __add = operator('__add__', binerr('addition')),
  __sub = operator('__sub__', binerr('substraction')),
  __mul = operator('__mul__', binerr('multiplication')),
  __div = operator('__div__', binerr('division')),
  __mod = operator('__mod__', binerr('modulo')),
  __pow = operator('__pow__', binerr('power')),
  __concat = operator('__concat__', binerr('concat')),
  __lt = operator('__lt__', binerr('less-than')),
  __le = operator('__le__', binerr('less-equal')),
  __unm = operator('__unm__', function(a)
    error(string.format('%s has no negation operator', torch.typename(a)), 2) end),
  __len = operator('__len__', function(a)
    error(string.format('%s has no length operator', torch.typename(a)), 2) end),
  __call = operator('__call__', function(a)
    error(string.format('%s has no call operator', torch.typename(a)), 2) end),
  __tostring = function(a)
    local f = getmetatable(a).__tostring__
    if f then return f(a) end
    return torch.typename(a)
  end,
}

local function uses_hooks(mt)
  return mt.__index__ ~= nil or mt.__newindex__ ~= nil
end

local function refresh_index(mt)
  if uses_hooks(mt) then
    rawset(mt, '__index', hooked_index)
    rawset(mt, '__newindex', hooked_newindex)
  elseif rawget(mt, '__index') == hooked_index then
    rawset(mt, '__index', mt)
    rawset(mt, '__newindex', nil)
  end
end
torch._refresh_index = refresh_index

local function module_for(tname)
  local parts = {}
  for p in tname:gmatch('[^%.]+') do parts[#parts + 1] = p end
  local cur = _G
  for i = 1, #parts - 1 do
    cur = cur[parts[i]]
    if type(cur) ~= 'table' then
      error(string.format('while creating metatable %s: bad argument #1 (%s is an invalid module name)',
        tname, tname:match('(.*)%.')), 3)
    end
  end
  return cur, parts[#parts]
end

-- torch.newmetatable(name, parentName, constructor, destructor, factory, module[, premade])
function torch.newmetatable(tname, parenttname, constructor, destructor, factory, module, premade)
  assert(type(tname) == 'string', 'bad argument #1 to newmetatable (string expected)')
  local mod, root
  if module then
    mod, root = module, tname:match('([^%.]+)$')
  else
    mod, root = module_for(tname)
  end
  local mt = CLASSES[tname]
  if not mt then
    mt = premade or {}
    CLASSES[tname] = mt
    NAMES[mt] = tname
    mt.__index = mt
    mt.__typename = tname
    mt.__metatable = mt
    mt.__version = 1
    for k, f in pairs(DEFAULT_OPERATORS) do mt[k] = f end
  end
  if parenttname then
    if getmetatable(mt) then
      error(string.format('class %s has been already assigned a parent class\n', tname), 2)
    end
    local pmt = CLASSES[parenttname]
    if not pmt then
      error(string.format('bad argument #2 (invalid parent class name %s)', parenttname), 2)
    end
    setmetatable(mt, pmt)
  end
  if destructor then rawset(mt, '__gc', destructor) end
  if factory then
    if rawget(mt, '__factory') then error(tname .. ' has been already assigned a factory', 2) end
    rawset(mt, '__factory', factory)
  end
  local ctor = rawget(mt, '__constructor')
  if not ctor then
    ctor = {}
    setmetatable(ctor, {
      __index = mt,
      __newindex = function(_, k, v)
        rawset(mt, k, v)
        if k == '__index__' or k == '__newindex__' then refresh_index(mt) end
      end,
      __call = function(_, ...)
        local new = rawget(debug.getmetatable(ctor), '__new')
        if not new then error('no constructor available', 2) end
        return new(...)
      end,
      __metatable = mt,
      __tostring = function() return 'torch.' .. tname:match('([^%.]+)$') .. '.ctor' end,
    })
    rawset(mt, '__constructor', ctor)
  end
  if constructor then
    local cmt = debug.getmetatable(ctor)
    if rawget(cmt, '__new') then error(tname .. ' has been already assigned a constructor', 2) end
    rawset(cmt, '__new', constructor)
    rawset(mt, 'new', constructor)
  end
  mod[root] = ctor
  return mt
end

function torch.class(...)
  local n = select('#', ...)
  local a, b, c = ...
  local tname, parenttname, module
  if n == 3 and type(a) == 'string' and type(b) == 'string' and type(c) == 'table' then
    tname, parenttname, module = a, b, c
  elseif n == 2 and type(a) == 'string' and type(b) == 'string' then
    tname, parenttname = a, b
  elseif n == 2 and type(a) == 'string' and type(b) == 'table' then
    tname, module = a, b
  elseif n == 1 and type(a) == 'string' then
    tname = a
  else
    error('<class name> [<parent class name>] [<module table>] expected', 2)
  end
  local mt
  local function constructor(...)
    local self = setmetatable({}, mt)
    if self.__init then self:__init(...) end
    return self
  end
  local function factory()
    return setmetatable({}, mt)
  end
  mt = torch.newmetatable(tname, parenttname, constructor, nil, factory, module)
  if uses_hooks(mt) then refresh_index(mt) end
  return mt, parenttname and CLASSES[parenttname] or nil
end

function torch.getmetatable(tname)
  return CLASSES[tname]
end

-- as luaT_lua_typename: no value at all (not nil) for a non-Torch object
function torch.typename(obj)
  local mt = getmetatable(obj)
  if mt ~= nil then
    local name = NAMES[mt]
    if name ~= nil then return name end
  end
end

function torch.type(obj)
  local mt = getmetatable(obj)
  return (mt ~= nil and NAMES[mt]) or type(obj)
end

function torch.setmetatable(obj, tname)
  local mt = CLASSES[tname]
  if not mt then error(string.format('unknown typename %s\n', tostring(tname)), 2) end
  return setmetatable(obj, mt)
end

function torch.isTypeOf(obj, typeSpec)
  if type(typeSpec) ~= 'string' then
    typeSpec = getmetatable(typeSpec).__typename
    assert(type(typeSpec) == 'string', 'type must be provided as [regexp] string, or factory')
  end
  local mt = getmetatable(obj)
  while mt do
    if type(mt) == 'table' and rawget(mt, '__typename') then
      local name = rawget(mt, '__typename')
      local match = name:match(typeSpec)
      if match and (match ~= typeSpec or match == name) then return true end
    end
    mt = getmetatable(mt)
  end
  return false
end

function torch.factory(tname)
  local mt = CLASSES[tname]
  return mt and rawget(mt, '__factory') or nil
end

function torch.getconstructortable(tname)
  local mt = CLASSES[tname]
  return mt and rawget(mt, '__constructor') or nil
end

function torch.version(obj)
  local mt = getmetatable(obj)
  if mt then return rawget(mt, '__version') end
end

function torch.isequal(a, b)
  return rawequal(a, b)
end

-- Address of a Lua value, as luaT's lua_topointer gives it.  '%p' reads the
-- address without calling a __tostring metamethod (classes define those).
local function address(v)
  return tonumber(string.format('%p', v)) or 0
end
torch._address = address

function torch.pointer(obj)
  local mt = getmetatable(obj)
  local p = mt and type(mt) == 'table' and rawget(mt, '__pointer')
  if p then return p(obj) end
  local t = type(obj)
  if t == 'table' or t == 'function' or t == 'thread' or t == 'userdata' or t == 'cdata' then
    return address(obj)
  elseif t == 'string' then
    return address(obj)
  end
  error('Torch object, table, thread, cdata or function expected', 2)
end
