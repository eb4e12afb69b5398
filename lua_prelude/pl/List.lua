-- pl.List: Python-style lists (append, extend, slice, sort, map, ...).
local tablex = require 'pl.tablex'
local utils = require 'pl.utils'
local class = require 'pl.class'
local function_arg = utils.function_arg
local tinsert, tremove, concat, tsort = table.insert, table.remove, table.concat, table.sort

local List = utils.stdmt.List
List._class = List
List.__index = List
setmetatable(List, {
  __call = function(_, t) return List.new(t) end,
})
List._name = 'List'
List.is_a = function(self, klass) return getmetatable(self) == (klass or List) end

local function makelist(t, obj)
  local klass = List
  if obj then klass = getmetatable(obj) end
  return setmetatable(t, klass)
end

local function simple_table(t) return type(t) == 'table' and getmetatable(t) ~= List and #t > 0 end

function List.new(t)
  local ls
  if t == nil then ls = {}
  elseif type(t) == 'table' then
    if getmetatable(t) == List or getmetatable(t) == nil then
      ls = {}
      for i = 1, #t do ls[i] = t[i] end
    else
      ls = {}
      for v in List.iterate(t) do ls[#ls + 1] = v end
    end
  else
    ls = {}
    for v in List.iterate(t) do ls[#ls + 1] = v end
  end
  return makelist(ls)
end

function List:clone() return List.new(self) end
function List.default_map_with() return List end

function List:append(i) tinsert(self, i); return self end
List.push = tinsert

function List:extend(L)
  for i = 1, #L do tinsert(self, L[i]) end
  return self
end

function List:insert(i, x)
  tinsert(self, i, x)
  return self
end

function List:put(x) return self:insert(1, x) end

function List:remove(i) tremove(self, i); return self end

function List:remove_value(x)
  for i = 1, #self do
    if self[i] == x then tremove(self, i); return self end
  end
  return self
end

function List:pop(i)
  if not i then i = #self end
  return tremove(self, i)
end
List.get = List.pop

function List:index(x, idx) return tablex.find(self, x, idx) end
function List:contains(x) return tablex.find(self, x) and true or false end
function List:count(x)
  local cnt = 0
  for i = 1, #self do if self[i] == x then cnt = cnt + 1 end end
  return cnt
end

function List:sort(cmp)
  if cmp then cmp = function_arg(1, cmp) end
  tsort(self, cmp)
  return self
end

function List:sorted(cmp) return List(self):sort(cmp) end

function List:reverse()
  local t, n = self, #self
  for i = 1, math.floor(n / 2) do t[i], t[n - i + 1] = t[n - i + 1], t[i] end
  return self
end

function List:minmax()
  local vmin, vmax = 1e70, -1e70
  for i = 1, #self do
    local v = self[i]
    if v < vmin then vmin = v end
    if v > vmax then vmax = v end
  end
  return vmin, vmax
end

function List:slice(first, last) return tablex.sub(self, first, last) end

function List:clear()
  for i = 1, #self do tremove(self) end
  return self
end

function List.range(start, finish, incr)
  if not finish then finish = start; start = 1 end
  if incr then
    if math.ceil(incr) ~= incr then finish = finish + 1e-10 * incr end
  end
  return tablex.range(start, finish, incr)
end

function List:len() return #self end

function List:chop(i1, i2) return tablex.removevalues(self, i1, i2) end

function List:splice(idx, list) return tablex.insertvalues(self, idx, list) end

function List:slice_assignment(i1, i2, seq)
  self:chop(i1, i2)
  self:splice(i1, seq)
  return self
end

function List:__concat(L)
  local ls = self:clone()
  ls:extend(L)
  return ls
end

function List:__eq(L)
  if #self ~= #L then return false end
  for i = 1, #self do if self[i] ~= L[i] then return false end end
  return true
end

function List:join(delim)
  delim = delim or ''
  return concat(tablex.imap(tostring, self), delim)
end
List.concat = concat

local function tostring_q(val)
  local s = tostring(val)
  if type(val) == 'string' then s = '"' .. s .. '"' end
  return s
end

function List:__tostring() return '{' .. self:join(',') .. '}' end
function List:join(delim, v2s)
  delim = delim or ''
  local strs = {}
  for i = 1, #self do strs[i] = (v2s or tostring)(self[i]) end
  return concat(strs, delim)
end

function List:foreach(fun, ...)
  fun = function_arg(1, fun)
  for i = 1, #self do fun(self[i], ...) end
end

function List:foreachm(name, ...)
  for i = 1, #self do local obj = self[i]; obj[name](obj, ...) end
end

function List:filter(fun, arg) return makelist(tablex.filter(self, fun, arg), self) end

function List.split(s, delim)
  utils.assert_string(1, s)
  return makelist(utils.split(s, delim))
end

function List:map(fun, ...) return makelist(tablex.imap(fun, self, ...), self) end
function List:transform(fun, ...) tablex.transform(fun, self, ...); return self end
function List:map2(fun, ls, ...) return makelist(tablex.imap2(fun, self, ls, ...), self) end
function List:mapm(name, ...)
  local res = {}
  for i = 1, #self do local v = self[i]; res[i] = v[name](v, ...) end
  return makelist(res, self)
end
function List:reduce(fun, memo) return tablex.reduce(fun, self, memo) end

function List:partition(fun, ...)
  fun = function_arg(1, fun)
  local res = {}
  for i = 1, #self do
    local val = self[i]
    local klass = fun(val, ...)
    if klass == nil then klass = '<nil>' end
    if not res[klass] then res[klass] = List() end
    res[klass]:append(val)
  end
  return setmetatable(res, require 'pl.MultiMap')
end

function List:iter()
  local i = 0
  return function() i = i + 1; return self[i] end
end

function List.iterate(seq)
  if type(seq) == 'string' then
    local idx, n = 0, #seq
    return function() idx = idx + 1; if idx > n then return nil end; return seq:sub(idx, idx) end
  elseif type(seq) == 'table' then
    local idx, n = 0, #seq
    return function() idx = idx + 1; if idx > n then return nil end; return seq[idx] end
  elseif type(seq) == 'function' then
    return seq
  elseif type(seq) == 'userdata' and io.type(seq) == 'file' then
    return seq:lines()
  end
  error('not iterable', 2)
end

return List
