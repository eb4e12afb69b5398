-- pl.tablex: operations on Lua tables (copying, comparing, mapping, sets of keys...).
local utils = require 'pl.utils'
local types = require 'pl.types'
local function_arg = utils.function_arg
local tablex = {}

local function setmeta(res, tbl, pl_class)
  local mt = getmetatable(tbl) or (pl_class and require('pl.' .. pl_class))
  return mt and setmetatable(res, mt) or res
end
local function makelist(l) return setmetatable(l, require 'pl.List') end

local function assert_arg_iterable(idx, val)
  if not types.is_iterable(val) then
    error(('argument %d is not iterable'):format(idx), 3)
  end
end
local function assert_arg_indexable(idx, val)
  if not types.is_indexable(val) then
    error(('argument %d is not indexable'):format(idx), 3)
  end
end

function tablex.update(t1, t2)
  for k, v in pairs(t2) do t1[k] = v end
  return t1
end

function tablex.size(t)
  assert_arg_iterable(1, t)
  local i = 0
  for _ in pairs(t) do i = i + 1 end
  return i
end

function tablex.copy(t)
  assert_arg_iterable(1, t)
  local res = {}
  for k, v in pairs(t) do res[k] = v end
  return res
end

local function cycle_aware_copy(t, cache)
  if type(t) ~= 'table' then return t end
  if cache[t] then return cache[t] end
  local res = {}
  cache[t] = res
  local mt = getmetatable(t)
  for k, v in pairs(t) do
    res[cycle_aware_copy(k, cache)] = cycle_aware_copy(v, cache)
  end
  setmetatable(res, mt)
  return res
end
function tablex.deepcopy(t) return cycle_aware_copy(t, {}) end

local abs = math.abs
local function cycle_aware_compare(t1, t2, ignore_mt, eps, cache)
  if cache[t1] and cache[t1][t2] then return true end
  local ty1, ty2 = type(t1), type(t2)
  if ty1 ~= ty2 then return false end
  if ty1 ~= 'table' then
    if ty1 == 'number' and eps then return abs(t1 - t2) < eps end
    return t1 == t2
  end
  local mt = getmetatable(t1)
  if not ignore_mt and mt and mt.__eq then return t1 == t2 end
  for k1 in pairs(t1) do if t2[k1] == nil then return false end end
  for k2 in pairs(t2) do if t1[k2] == nil then return false end end
  cache[t1] = cache[t1] or {}
  cache[t1][t2] = true
  for k1, v1 in pairs(t1) do
    if not cycle_aware_compare(v1, t2[k1], ignore_mt, eps, cache) then return false end
  end
  return true
end
function tablex.deepcompare(t1, t2, ignore_mt, eps)
  return cycle_aware_compare(t1, t2, ignore_mt, eps, {})
end

function tablex.compare(t1, t2, cmp)
  assert_arg_indexable(1, t1); assert_arg_indexable(2, t2)
  if #t1 ~= #t2 then return false end
  cmp = function_arg(3, cmp)
  for k = 1, #t1 do if not cmp(t1[k], t2[k]) then return false end end
  return true
end

function tablex.compare_no_order(t1, t2, cmp)
  assert_arg_indexable(1, t1); assert_arg_indexable(2, t2)
  if cmp then cmp = function_arg(3, cmp) end
  if #t1 ~= #t2 then return false end
  local visited = {}
  for i = 1, #t1 do
    local val = t1[i]
    local gotcha
    for j = 1, #t2 do
      if not visited[j] then
        local match
        if cmp then match = cmp(val, t2[j]) else match = val == t2[j] end
        if match then gotcha = j; break end
      end
    end
    if not gotcha then return false end
    visited[gotcha] = true
  end
  return true
end

function tablex.find(t, val, idx)
  assert_arg_indexable(1, t)
  idx = idx or 1
  if idx < 0 then idx = #t + idx + 1 end
  for i = idx, #t do if t[i] == val then return i end end
  return nil
end

function tablex.rfind(t, val, idx)
  assert_arg_indexable(1, t)
  idx = idx or #t
  if idx < 0 then idx = #t + idx + 1 end
  for i = idx, 1, -1 do if t[i] == val then return i end end
  return nil
end

function tablex.find_if(t, cmp, arg)
  assert_arg_iterable(1, t)
  cmp = function_arg(2, cmp)
  if arg then
    for k, v in pairs(t) do local c = cmp(v, arg); if c then return k, c end end
  else
    for k, v in pairs(t) do local c = cmp(v); if c then return k, c end end
  end
  return nil
end

function tablex.index_by(tbl, idx)
  local res = {}
  for i = 1, #idx do res[i] = tbl[idx[i]] end
  return setmeta(res, tbl, 'List')
end

function tablex.map(fun, t, ...)
  assert_arg_iterable(2, t)
  fun = function_arg(1, fun)
  local res = {}
  for k, v in pairs(t) do res[k] = fun(v, ...) end
  return setmeta(res, t)
end

function tablex.imap(fun, t, ...)
  assert_arg_indexable(2, t)
  fun = function_arg(1, fun)
  local res = {}
  for i = 1, #t do res[i] = fun(t[i], ...) or false end
  return setmeta(res, t, 'List')
end

function tablex.map_named_method(name, t, ...)
  utils.assert_string(1, name)
  assert_arg_indexable(2, t)
  local res = {}
  for i = 1, #t do
    local val = t[i]
    res[i] = val[name](val, ...)
  end
  return setmeta(res, t, 'List')
end

function tablex.transform(fun, t, ...)
  assert_arg_iterable(1, t)
  fun = function_arg(1, fun)
  for k, v in pairs(t) do t[k] = fun(v, ...) end
end

function tablex.range(start, finish, step)
  local res
  step = step or 1
  if start == finish then res = {start}
  elseif (start > finish and step > 0) or (finish > start and step < 0) then res = {}
  else
    local k = 1
    res = {}
    for i = start, finish, step do res[k] = i; k = k + 1 end
  end
  return makelist(res)
end

function tablex.map2(fun, t1, t2, ...)
  assert_arg_iterable(1, t1); assert_arg_iterable(2, t2)
  fun = function_arg(1, fun)
  local res = {}
  for k, v in pairs(t1) do res[k] = fun(v, t2[k], ...) end
  return setmeta(res, t1, 'List')
end

function tablex.imap2(fun, t1, t2, ...)
  assert_arg_indexable(2, t1); assert_arg_indexable(3, t2)
  fun = function_arg(1, fun)
  local res, n = {}, math.min(#t1, #t2)
  for i = 1, n do res[i] = fun(t1[i], t2[i], ...) end
  return makelist(res)
end

function tablex.reduce(fun, t, memo)
  assert_arg_indexable(2, t)
  fun = function_arg(1, fun)
  local n = #t
  if n == 0 then return memo end
  local res = memo and fun(memo, t[1]) or t[1]
  for i = 2, n do res = fun(res, t[i]) end
  return res
end

function tablex.foreach(t, fun, ...)
  assert_arg_iterable(1, t)
  fun = function_arg(2, fun)
  for k, v in pairs(t) do fun(v, k, ...) end
end

function tablex.foreachi(t, fun, ...)
  assert_arg_indexable(1, t)
  fun = function_arg(2, fun)
  for i = 1, #t do fun(t[i], i, ...) end
end

function tablex.mapn(fun, ...)
  fun = function_arg(1, fun)
  local res = {}
  local lists = {...}
  local minn = 1e40
  for i = 1, #lists do minn = math.min(minn, #(lists[i])) end
  for i = 1, minn do
    local args, k = {}, 1
    for j = 1, #lists do args[k] = lists[j][i]; k = k + 1 end
    res[#res + 1] = fun(unpack(args))
  end
  return res
end

function tablex.pairmap(fun, t, ...)
  assert_arg_iterable(1, t)
  fun = function_arg(1, fun)
  local res = {}
  for k, v in pairs(t) do
    local rv, rk = fun(k, v, ...)
    if rk then
      if res[rk] then
        if type(res[rk]) == 'table' then table.insert(res[rk], rv)
        else res[rk] = {res[rk], rv} end
      else res[rk] = rv end
    else res[#res + 1] = rv end
  end
  return res
end

local function keys_op(i, v) return i end
function tablex.keys(t)
  assert_arg_iterable(1, t)
  local res = {}
  for k in pairs(t) do res[#res + 1] = k end
  return makelist(res)
end

function tablex.values(t)
  assert_arg_iterable(1, t)
  local res = {}
  for _, v in pairs(t) do res[#res + 1] = v end
  return makelist(res)
end

function tablex.index_map(t)
  assert_arg_indexable(1, t)
  local res = {}
  for i = 1, #t do res[t[i]] = i end
  return setmetatable(res, require('pl.Map'))
end

function tablex.makeset(t)
  assert_arg_indexable(1, t)
  local res = {}
  for i = 1, #t do res[t[i]] = true end
  return setmetatable(res, require('pl.Set'))
end

function tablex.merge(t1, t2, dup)
  assert_arg_iterable(1, t1); assert_arg_iterable(2, t2)
  local res = {}
  for k, v in pairs(t1) do
    if dup or t2[k] then res[k] = v end
  end
  if dup then for k, v in pairs(t2) do res[k] = v end end
  return setmeta(res, t1, 'Map')
end

function tablex.union(t1, t2) return tablex.merge(t1, t2, true) end
function tablex.intersection(t1, t2) return tablex.merge(t1, t2, false) end

function tablex.difference(s1, s2, symm)
  assert_arg_iterable(1, s1); assert_arg_iterable(2, s2)
  local res = {}
  for k, v in pairs(s1) do if s2[k] == nil then res[k] = v end end
  if symm then for k, v in pairs(s2) do if s1[k] == nil then res[k] = v end end end
  return setmeta(res, s1, 'Map')
end

function tablex.count_map(t, cmp)
  assert_arg_indexable(1, t)
  local res, mask = {}, {}
  cmp = function_arg(2, cmp or '==')
  local n = #t
  for i = 1, #t do
    local v = t[i]
    if not mask[v] then
      mask[v] = true
      res[v] = 1
      for j = i + 1, n do
        local w = t[j]
        if cmp(v, w) then res[v] = res[v] + 1; mask[w] = true end
      end
    end
  end
  return setmetatable(res, require('pl.Map'))
end

function tablex.filter(t, pred, arg)
  assert_arg_indexable(1, t)
  pred = function_arg(2, pred)
  local res, k = {}, 1
  for i = 1, #t do
    local v = t[i]
    if pred(v, arg) then res[k] = v; k = k + 1 end
  end
  return setmeta(res, t, 'List')
end

function tablex.zip(...) return tablex.mapn(function(...) return {...} end, ...) end

function tablex.icopy(dest, src, idest, isrc, nsrc)
  idest, isrc = idest or 1, isrc or 1
  local iend
  if not nsrc then nsrc = #src; iend = #src else iend = isrc + math.min(nsrc - 1, #src - isrc) end
  if idest > #dest + 1 then idest = #dest + 1 end
  if idest < 0 then idest = #dest + idest + 1 end
  for i = isrc, iend do dest[idest] = src[i]; idest = idest + 1 end
  for i = idest, #dest do dest[i] = nil end
  return dest
end

function tablex.move(dest, src, idest, isrc, nsrc)
  idest, isrc = idest or 1, isrc or 1
  nsrc = nsrc or #src
  for i = 0, nsrc - 1 do dest[idest + i] = src[isrc + i] end
  return dest
end

function tablex.insertvalues(t, ...)
  local pos, values
  if select('#', ...) == 1 then pos, values = #t + 1, ...
  else pos, values = ... end
  if #values > 0 then
    for i = #t, pos, -1 do t[i + #values] = t[i] end
    for i = 1, #values do t[pos + i - 1] = values[i] end
  end
  return t
end

function tablex.removevalues(t, i1, i2)
  i1, i2 = i1 or 1, i2 or #t
  if i1 < 0 then i1 = #t + i1 + 1 end
  if i2 < 0 then i2 = #t + i2 + 1 end
  for _ = i1, i2 do table.remove(t, i1) end
  return t
end

function tablex.sub(t, first, last)
  assert_arg_indexable(1, t)
  local n = #t
  first, last = first or 1, last or n
  if first < 0 then first = n + first + 1 end
  if last < 0 then last = n + last + 1 end
  local res = {}
  for i = first, last do res[#res + 1] = t[i] end
  return setmeta(res, t, 'List')
end

function tablex.set(t, val, i1, i2)
  assert_arg_indexable(1, t)
  i1, i2 = i1 or 1, i2 or #t
  if types.is_callable(val) then
    for i = i1, i2 do t[i] = val(i) end
  else
    for i = i1, i2 do t[i] = val end
  end
end

function tablex.new(n, val)
  local res = {}
  tablex.set(res, val, 1, n)
  return res
end

function tablex.clear(t, istart)
  istart = istart or 1
  for i = istart, #t do t[i] = nil end
end

function tablex.search(t, value, exclude)
  local tables = {[t] = true}
  if exclude then for _, v in pairs(exclude) do tables[v] = true end end
  local function _search(tbl, prefix)
    for k, v in pairs(tbl) do
      if v == value then return prefix .. tostring(k) end
    end
    for k, v in pairs(tbl) do
      if type(v) == 'table' and not tables[v] then
        tables[v] = true
        local res = _search(v, prefix .. tostring(k) .. '.')
        if res then return res end
      end
    end
  end
  return _search(t, '')
end

function tablex.sort(t, f)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, f)
  local i = 0
  return function() i = i + 1; return keys[i], t[keys[i]] end
end

function tablex.sortv(t, f)
  f = function_arg(2, f or '<')
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(x, y) return f(t[x], t[y]) end)
  local i = 0
  return function() i = i + 1; return keys[i], t[keys[i]] end
end

function tablex.readonly(t)
  local mt = {
    __index = t,
    __newindex = function() error('Attempt to modify read-only table', 2) end,
    __pairs = function() return pairs(t) end,
    __ipairs = function() return ipairs(t) end,
    __len = function() return #t end,
    __metatable = false,
  }
  return setmetatable({}, mt)
end

return tablex
