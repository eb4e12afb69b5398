-- pl.MultiMap: a Map whose values are Lists (set appends).
local utils = require 'pl.utils'
local class = require 'pl.class'
local List = require 'pl.List'
local Map = require 'pl.Map'

local MultiMap = utils.stdmt.MultiMap
class(Map, nil, MultiMap)
MultiMap._name = 'MultiMap'

function MultiMap:_init(t) if t then self:update(t) end end

function MultiMap:update(t)
  utils.assert_arg(1, t, 'table')
  if Map:class_of(t) then
    for k, v in pairs(t) do self[k] = List(); self[k]:append(v) end
  else
    for k, v in pairs(t) do self[k] = List(v) end
  end
end

function MultiMap:set(key, val)
  if val == nil then self[key] = nil
  else
    if not self[key] then self[key] = List() end
    self[key]:append(val)
  end
end

return MultiMap
