-- pl.seq: functions over iterators (sequences), and seq(...) chains.
local utils = require 'pl.utils'
local function_arg = utils.function_arg
local seq = {}

local function default_iter(iter)
  if type(iter) == 'table' then
    local i, n = 0, #iter
    return function() i = i + 1; if i <= n then return iter[i] end end
  end
  return iter
end
seq.iter = default_iter

function seq.list(t)
  local i = 0
  return function() i = i + 1; return t[i] end
end

function seq.keys(t)
  local k
  return function() k = next(t, k); return k end
end

function seq.range(start, finish)
  local i = start - 1
  return function() i = i + 1; if i <= finish then return i end end
end

function seq.copy(iter)
  local res, k = {}, 1
  for v in default_iter(iter) do res[k] = v; k = k + 1 end
  return setmetatable(res, require 'pl.List')
end

function seq.copy2(iter, i1, i2)
  local res = {}
  for v1, v2 in iter, i1, i2 do res[#res + 1] = {v1, v2} end
  return res
end

function seq.copy_tuples(iter)
  iter = default_iter(iter)
  local res = {}
  local row = {iter()}
  while #row > 0 do res[#res + 1] = row; row = {iter()} end
  return res
end

function seq.sum(iter, fn)
  local s, i = 0, 0
  for v in default_iter(iter) do
    if fn then v = fn(v) end
    s = s + v
    i = i + 1
  end
  return s, i
end

function seq.count(iter, condn, arg)
  local i = 0
  for v in default_iter(iter) do
    if not condn or condn(v, arg) then i = i + 1 end
  end
  return i
end

function seq.minmax(iter)
  local vmin, vmax = 1e70, -1e70
  for v in default_iter(iter) do
    if v < vmin then vmin = v end
    if v > vmax then vmax = v end
  end
  return vmin, vmax
end

function seq.map(fn, iter, arg)
  fn = function_arg(1, fn)
  iter = default_iter(iter)
  return function()
    local v1, v2 = iter()
    if v1 == nil then return nil end
    return fn(v1, arg or v2) or false
  end
end

function seq.filter(iter, pred, arg)
  pred = function_arg(2, pred)
  iter = default_iter(iter)
  return function()
    local v1, v2
    while true do
      v1, v2 = iter()
      if v1 == nil then return nil end
      if pred(v1, arg or v2) then return v1, v2 end
    end
  end
end

function seq.reduce(fn, iter, initval)
  fn = function_arg(1, fn)
  iter = default_iter(iter)
  local val = initval or iter()
  if val == nil then return nil end
  for v in iter do val = fn(val, v) end
  return val
end

function seq.take(iter, n)
  iter = default_iter(iter)
  return function()
    if n < 1 then return end
    local val1, val2 = iter()
    if not val1 then return end
    n = n - 1
    return val1, val2
  end
end

function seq.skip(iter, n)
  iter = default_iter(iter)
  for _ = 1, n do iter() end
  return iter
end

function seq.enum(iter)
  local i = 0
  iter = default_iter(iter)
  return function()
    local a, b = iter()
    if a == nil then return nil end
    i = i + 1
    return i, a, b
  end
end

function seq.unique(iter, returns_table)
  local t, res = {}, {}
  for v in default_iter(iter) do
    if not t[v] then t[v] = true; res[#res + 1] = v end
  end
  if returns_table then return res end
  return seq.list(res)
end

function seq.sort(iter, comp)
  local t = seq.copy(iter)
  table.sort(t, comp)
  return seq.list(t)
end

function seq.zip(iter1, iter2)
  iter1, iter2 = default_iter(iter1), default_iter(iter2)
  return function() return iter1(), iter2() end
end

function seq.count_map(iter)
  local t = {}
  for s in default_iter(iter) do t[s] = (t[s] or 0) + 1 end
  return setmetatable(t, require 'pl.Map')
end

function seq.printall(iter, sep, nfields, fmt)
  local write = io.write
  if not sep then sep = ' ' end
  if not nfields then
    if sep == '\n' then nfields = 1e30 else nfields = 7 end
  end
  if fmt then
    local fstr = fmt
    fmt = function(v) return fstr:format(v) end
  end
  local k = 1
  for v in default_iter(iter) do
    if fmt then v = fmt(v) end
    if k < nfields then write(tostring(v), sep); k = k + 1
    else write(tostring(v), '\n'); k = 1 end
  end
  write('\n')
end

function seq.splice(iter1, iter2)
  iter1, iter2 = default_iter(iter1), default_iter(iter2)
  local iter = iter1
  return function()
    local ret = iter()
    if ret == nil and iter == iter1 then iter = iter2; return iter() end
    return ret
  end
end

function seq.lines(f, ...)
  local n = select('#', ...)
  if type(f) == 'string' then f = io.open(f) end
  f = f or io.stdin
  if n == 0 then return f:lines() end
  local fmts = {...}
  return function() return f:read(unpack(fmts)) end
end

function seq.random(n, l, u)
  local rand
  assert(type(n) == 'number')
  if u then rand = function() return math.random(l, u) end
  elseif l then rand = function() return math.random(l) end
  else rand = math.random end
  return function()
    if n == 0 then return nil end
    n = n - 1
    return rand()
  end
end

function seq.last(iter)
  iter = default_iter(iter)
  local val = iter()
  if val == nil then return function() return nil end end
  return function()
    local v = iter()
    if v == nil then return nil end
    local last = val
    val = v
    return v, last
  end
end

function seq.foreach(iter, fn)
  fn = function_arg(2, fn)
  for i1, i2, i3 in default_iter(iter) do fn(i1, i2, i3) end
end

-- seq(iter):map(f):filter(p):copy() chains
local SMT = {}
local function SW(iter, ...)
  if type(iter) == 'table' then iter = default_iter(iter) end
  return setmetatable({iter = iter}, SMT)
end
SMT.__index = function(tbl, key)
  local fn = seq[key]
  if not fn then fn = string[key] end
  if not fn then return nil end
  return function(sw, ...)
    local res = fn(sw.iter, ...)
    if type(res) == 'function' then return SW(res) end
    return res
  end
end
SMT.__call = function(sw) return sw.iter() end

-- seq.map/filter/reduce take the function first; in chains the iterator comes first
local chain_overrides = {
  map = function(iter, fn, arg) return seq.map(fn, iter, arg) end,
  reduce = function(iter, fn, init) return seq.reduce(fn, iter, init) end,
}
local old_index = SMT.__index
SMT.__index = function(tbl, key)
  if chain_overrides[key] then
    local fn = chain_overrides[key]
    return function(sw, ...)
      local res = fn(sw.iter, ...)
      if type(res) == 'function' then return SW(res) end
      return res
    end
  end
  return old_index(tbl, key)
end

setmetatable(seq, {__call = function(tbl, iter, extra)
  if not iter then error('no sequence given', 2) end
  return SW(iter, extra)
end})

return seq
