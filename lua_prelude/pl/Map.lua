-- pl.Map: a table of key/value pairs with methods (keys, values, items, update...).
local tablex = require 'pl.tablex'
local utils = require 'pl.utils'
local pretty_write = function(t) return require('pl.pretty').write(t, '') end

local Map = utils.stdmt.Map
Map.__index = Map
Map._class = Map
Map._name = 'Map'
setmetatable(Map, {__call = function(klass, t)
  local m = setmetatable({}, klass)
  if t then m:update(t) end
  return m
end})

function Map:keys() return tablex.keys(self) end
function Map:values() return tablex.values(self) end
function Map:iter() return pairs(self) end
function Map:items()
  local ls = setmetatable({}, require 'pl.List')
  for k, v in pairs(self) do ls:append(setmetatable({k, v}, require 'pl.List')) end
  ls:sort(function(t1, t2) return t1[1] < t2[1] end)
  return ls
end
function Map:setdefault(key, default)
  local val = self[key]
  if val ~= nil then return val end
  self:set(key, default)
  return default
end
Map.len = tablex.size
function Map:set(key, val) self[key] = val end
function Map:get(key) return rawget(self, key) end
function Map:getvalues(keys)
  return setmetatable(tablex.imap(function(k) return self[k] end, keys), require 'pl.List')
end
Map.update = tablex.update
function Map:__eq(m) return tablex.deepcompare(self, m, true) end
function Map:__tostring() return pretty_write(self) end
return Map
