-- pl.class: classes with single inheritance, _init constructors, is_a/class_of,
-- and the `class.Name(base)` form that also defines a global (or module) name.
local error, getmetatable, rawget, rawset, setmetatable, type = error, getmetatable, rawget, rawset, setmetatable, type

local function call_ctor(c, obj, ...)
  local init = rawget(c, '_init')
  local parent = rawget(c, '_parent_with_init')
  if parent then
    if not init then
      init = parent._init
      parent = rawget(parent, '_parent_with_init')
    end
    if parent then
      rawset(obj, 'super', function(obj, ...) call_ctor(parent, obj, ...) end)
    end
  else
    rawset(obj, 'super', nil)
  end
  local res = init(obj, ...)
  if parent then rawset(obj, 'super', nil) end
  return res
end

local function is_a(self, klass)
  if klass == nil then return getmetatable(self) end
  local m = getmetatable(self)
  if not m then return false end
  while m do
    if m == klass then return true end
    m = rawget(m, '_base')
  end
  return false
end

local function class_of(klass, obj)
  if type(klass) ~= 'table' or not rawget(klass, 'is_a') then return false end
  return klass.is_a(obj, klass)
end

local function cast(klass, obj) return setmetatable(obj, klass) end

local function _class_tostring(obj)
  local mt = obj._class
  local name = rawget(mt, '_name')
  setmetatable(obj, nil)
  local str = tostring(obj)
  setmetatable(obj, mt)
  if name then str = name .. str:gsub('table', '') end
  return str
end

local function tupdate(td, ts, dont_override)
  for k, v in pairs(ts) do
    if not dont_override or td[k] == nil then td[k] = v end
  end
end

local function _class(base, c_arg, c)
  local mt = {}
  local plain = type(base) == 'table' and not getmetatable(base)
  if plain then
    c = base
    base = c._base
  else
    if type(base) ~= 'table' and base ~= nil then
      error('must derive from a table type', 3)
    end
  end
  c = c or {}
  if base then
    tupdate(c, base, plain)
    c._base = base
    if rawget(base, '_handler') then mt.__index = base._handler end
  elseif c._base == nil then
    c._base = nil
  end
  c.__index = c
  setmetatable(c, mt)
  if not plain then
    if base and rawget(base, '_init') then c._parent_with_init = base end
    c._init = nil
  end
  if base and rawget(base, '_class_init') then base._class_init(c, c_arg) end

  mt.__call = function(class_tbl, ...)
    local obj
    if rawget(c, '_create') then obj = c._create(...) end
    if not obj then obj = {} end
    setmetatable(obj, c)
    if rawget(c, '_init') or rawget(c, '_parent_with_init') then
      local res = call_ctor(c, obj, ...)
      if res then obj = res; setmetatable(obj, c) end
    end
    if base and rawget(base, '_post_init') then base._post_init(obj) end
    return obj
  end
  c.catch = function(self, handler)
    if type(self) == 'function' then handler = self end
    c._handler = handler
    mt.__index = handler
  end
  c.is_a = is_a
  c.class_of = class_of
  c.cast = cast
  c._class = c
  if not rawget(c, '__tostring') then c.__tostring = _class_tostring end
  return c
end

local class
class = setmetatable({}, {
  __call = function(fun, ...) return _class(...) end,
  __index = function(tbl, key)
    if key == 'class' then return class end
    local env = _G
    return function(...)
      local c = _class(...)
      c._name = key
      rawset(env, key, c)
      return c
    end
  end,
})
class.properties = class()
function class.properties._class_init(klass)
  klass.__index = function(t, key)
    local mt = klass
    local getter = mt['get_' .. key]
    if getter then return getter(t) end
    local v = rawget(mt, key)
    if v ~= nil then return v end
    return mt[key]
  end
  klass.__newindex = function(t, key, value)
    local setter = klass['set_' .. key]
    if setter then setter(t, value) else rawset(t, key, value) end
  end
end

return class
