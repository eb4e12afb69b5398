-- pl.types: type predicates.
local utils = require 'pl.utils'
local types = {}

function types.is_callable(obj)
  if type(obj) == 'function' then return true end
  local mt = getmetatable(obj)
  return type(mt) == 'table' and mt.__call ~= nil or false
end
types.is_type = utils.is_type

function types.type(obj)
  local t = type(obj)
  if t == 'table' or t == 'userdata' then
    local mt = getmetatable(obj)
    if type(mt) == 'table' then
      if mt == io.stdout or io.type(obj) then return 'file' end
      return mt._name or '?'
    end
  end
  return t
end

function types.is_integer(x) return type(x) == 'number' and math.ceil(x) == x end

function types.is_empty(o, ignore_spaces)
  if o == nil then return true end
  if type(o) == 'table' then return next(o) == nil end
  if type(o) == 'string' then return o == '' or (ignore_spaces and o:find('^%s+$') ~= nil) or false end
  return true
end

local function check_meta(val)
  if type(val) == 'table' then return true end
  return getmetatable(val)
end
function types.is_indexable(val)
  local mt = check_meta(val)
  if mt == true then return true end
  return mt and mt.__len and mt.__index and true
end
function types.is_iterable(val)
  local mt = check_meta(val)
  if mt == true then return true end
  return mt and mt.__pairs and true
end
function types.is_writeable(val)
  local mt = check_meta(val)
  if mt == true then return true end
  return mt and mt.__newindex and true
end

local trues = {yes = true, y = true, ['true'] = true, t = true, ['1'] = true}
local true_types = {
  boolean = function(o) return o end,
  string = function(o) return trues[o:lower()] ~= nil end,
  number = function(o) return o ~= 0 end,
  table = function(o) return next(o) ~= nil end,
}
function types.to_bool(o, true_strs, check_objs)
  local f = true_types[type(o)]
  if true_strs and type(o) == 'string' then
    for _, s in ipairs(true_strs) do if o:lower() == s:lower() then return true end end
  end
  if f then return f(o) and true or false end
  return check_objs and o ~= nil or false
end

return types
