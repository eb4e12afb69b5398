-- pl.Set: sets with + (union), * (intersection), - (difference), ^ (symmetric), <, ==.
local tablex = require 'pl.tablex'
local utils = require 'pl.utils'
local Map = require 'pl.Map'

local Set = utils.stdmt.Set
Set.__index = Set
Set._class = Set
Set._name = 'Set'

local function makeset(t) return setmetatable(t, Set) end

setmetatable(Set, {__call = function(klass, t)
  local s = makeset({})
  if t then
    if getmetatable(t) == Set or getmetatable(t) == Map then
      for k in pairs(t) do s[k] = true end
    else
      for _, v in ipairs(t) do s[v] = true end
    end
  end
  return s
end})

function Set.values(self) return tablex.keys(self) end
function Set.map(self, fn, ...)
  fn = utils.function_arg(1, fn)
  local res = {}
  for k in pairs(self) do res[fn(k, ...)] = true end
  return makeset(res)
end
function Set.union(self, set) return makeset(tablex.merge(self, set, true)) end
function Set.intersection(self, set) return makeset(tablex.merge(self, set, false)) end
function Set.difference(self, set) return makeset(tablex.difference(self, set, false)) end
function Set.symmetric_difference(self, set) return makeset(tablex.difference(self, set, true)) end
function Set.issubset(self, set)
  for k in pairs(self) do if not set[k] then return false end end
  return true
end
Set.isdisjoint = function(s1, s2) return Set.isempty(Set.intersection(s1, s2)) end
function Set.isempty(self) return next(self) == nil end
function Set.len(self) return tablex.size(self) end
Set.__add = Set.union
Set.__mul = Set.intersection
Set.__sub = Set.difference
Set.__pow = Set.symmetric_difference
Set.__lt = Set.issubset
Set.__len = Set.len
function Set.__eq(s1, s2) return Set.issubset(s1, s2) and Set.issubset(s2, s1) end
function Set.__tostring(self)
  local keys = {}
  for k in pairs(self) do keys[#keys + 1] = tostring(k) end
  return '[' .. table.concat(keys, ',') .. ']'
end
return Set
