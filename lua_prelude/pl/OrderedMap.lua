-- pl.OrderedMap: a Map that remembers the order in which keys were set.
local tablex = require 'pl.tablex'
local utils = require 'pl.utils'
local List = require 'pl.List'
local class = require 'pl.class'
local Map = require 'pl.Map'

local OrderedMap = class(Map)
OrderedMap._name = 'OrderedMap'

function OrderedMap:_init(t)
  rawset(self, '_keys', List())
  if t then
    local map, err = self:update(t)
    if not map then error(err, 2) end
  end
end

local assert_arg, raise = utils.assert_arg, utils.raise

function OrderedMap:update(t)
  assert_arg(1, t, 'table')
  if getmetatable(t) == OrderedMap then
    for k, v in t:iter() do self:set(k, v) end
  elseif #t > 0 then
    if type(t[1]) == 'table' then
      for _, pair in ipairs(t) do
        local key, value = next(pair)
        if not key then return raise 'empty pair initialization table' end
        self:set(key, value)
      end
    else
      return raise 'cannot use an array to initialize an OrderedMap'
    end
  else
    for k, v in pairs(t) do self:set(k, v) end
  end
  return self
end

function OrderedMap:set(key, val)
  if rawget(self, key) == nil and val ~= nil then
    self._keys:append(key)
    rawset(self, key, val)
  else
    if val == nil then
      self._keys:remove_value(key)
      rawset(self, key, nil)
    else
      self[key] = val
    end
  end
  return self
end
OrderedMap.__newindex = OrderedMap.set

function OrderedMap:insert(pos, key, val)
  local oldval = self[key]
  val = val or oldval
  if oldval then self._keys:remove_value(key) end
  if val then
    self._keys:insert(pos, key)
    rawset(self, key, val)
  end
  return self
end

function OrderedMap:keys() return self._keys end
function OrderedMap:values() return List(tablex.index_by(self, self._keys)) end
function OrderedMap:sort(cmp) tablex.sort(self._keys, cmp); self._keys:sort(cmp); return self end
function OrderedMap:iter()
  local i = 0
  local keys = self._keys
  local idx
  return function()
    i = i + 1
    if i > #keys then return nil end
    idx = keys[i]
    return idx, self[idx]
  end
end
OrderedMap.__pairs = OrderedMap.iter
function OrderedMap:__tostring()
  local res = {}
  for i, v in ipairs(self._keys) do
    local val = self[v]
    local vs = tostring(val)
    if type(val) ~= 'number' then vs = '"' .. vs .. '"' end
    res[i] = tostring(v) .. '=' .. vs
  end
  return '{' .. table.concat(res, ',') .. '}'
end
function OrderedMap:len() return #self._keys end

return OrderedMap
