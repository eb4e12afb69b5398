-- Argument handling for the math families, as Torch7's cwrap-generated C did it.
--
-- A function is declared as argument sets, each a list of cwrap-like arguments:
--   {'T', dim=2}               tensor of the function's own type (dim: exact nDimension)
--   {'T', def=true, ret=true}  optional result tensor (absent: a new one, passed as nil)
--   {'T', def=1}               optional tensor defaulting to argument #1 of the set
--   {'real'|'accreal'|'long'|'int'|'double'|'index', def=v}   numbers
--   {'bool'}, {'opt', values='VF', def='V'}, {'LongT'}, {'ByteT'}, {'IntT'},
--   {'Tarr'} (non-empty table of tensors), {'longarg'} (sizes: numbers or a LongStorage)
--   inv=true: invisible, always its default.
-- For each set, every combination of present/absent optional arguments is tried in
-- cwrap's order; the first that fits the call wins.  The matcher is generated Lua
-- code (straight-line checks, one per combination), so resolving an overload costs
-- a few comparisons.  The implementation then receives (ti, set, arg1, ..., argN)
-- with every declared argument in place (defaults filled in).
local core = require 'torch._core'

local TDATA, SDATA, TMT = core.TDATA, core.SDATA, core.TMT
local getmetatable, type, select, rawget = getmetatable, type, select, rawget
local tostring, concat, format = tostring, table.concat, string.format

local W = {}

local REAL = {[0] = 'unsigned char', 'char', 'short', 'int', 'long', 'float', 'double'}
local ACCREAL = {[0] = 'long', 'long', 'long', 'long', 'long', 'double', 'double'}
W.ALL = {0, 1, 2, 3, 4, 5, 6}
W.FLOAT = {5, 6}
W.LONG, W.BYTE, W.INT = 4, 0, 3
-- cutorch's types (core.ALIASES) get what their CPU base type gets
for ti, T in ipairs(core.TYPES) do
  if T.base then REAL[ti - 1], ACCREAL[ti - 1] = REAL[T.base], ACCREAL[T.base] end
end
local function with_aliases(types)
  local all = {}
  for _, ti in ipairs(types) do
    all[#all + 1] = ti
    for _, a in ipairs(core.ALIASES[ti] or {}) do all[#all + 1] = a end
  end
  return all
end

local function tname(ti) return core.TYPES[ti + 1].name .. 'Tensor' end

------------------------------------------------------------------------------
-- Errors in luaL_argerror's words, for the call that reached the failing function.
-- WRAP holds the functions W installs (methods, torch.X dispatchers, per-type
-- functions); the innermost one on the stack is what Torch's C function was.
local WRAP = setmetatable({}, {__mode = 'k'})
-- Functions reached through a torch.X dispatcher: Torch reported them as '?'.
-- (they are also the functions whose errors carry no position: core.NOPOS)
local IFACE = core.NOPOS
W.IFACE = IFACE

-- name, is_method of the innermost wrapper on the stack, as its caller called it
local function context()
  local level = 2
  while true do
    local info = debug.getinfo(level, 'fn')
    if not info then return '?', false end
    if WRAP[info.func] then
      if IFACE[info.func] or not info.name then return '?', false end
      return info.name, info.namewhat == 'method'
    end
    level = level + 1
  end
end

function W.argerror(narg, msg)
  local name, method = context()
  if method then
    narg = narg - 1
    if narg == 0 then
      core.error(format("calling '%s' on bad self (%s)", name, msg))
    end
  end
  core.error(format("bad argument #%d to '%s' (%s)", narg, name, msg))
end

local function rethrow(e)
  local s = tostring(e)
  local n, msg = s:match("^bad argument #(%d+) to '%?' %((.*)%)$")
  if n then W.argerror(tonumber(n), msg) end
  core.error(s)
end

local function checked(ok, ...)
  if not ok then rethrow((...)) end
  return ...
end

-- call(f, ...): a Python core function; its argument errors are reported as Torch would
function W.call(f, ...)
  return checked(pcall(f, ...))
end

-- out(res, f, ...): call f(res_handle|nil, ...); a new result comes back wrapped
function W.out(res, f, ...)
  if res ~= nil then
    local ok, e = pcall(f, TDATA[res].h, ...)
    if not ok then rethrow(e) end
    return res
  end
  local ok, h, ti, ma = pcall(f, nil, ...)
  if not ok then rethrow(h) end
  return core.wrapT(h, ti, ma)
end

function W.callT(f, ...)
  local ok, h, ti, ma = pcall(f, ...)
  if not ok then rethrow(h) end
  return core.wrapT(h, ti, ma)
end

-- luaT_checkudata: the type name shown for a non-torch value is lua_typename of
-- the argument's stack index (a quirk of luaT_typerror, kept as Torch printed it).
local LUA_TYPENAME = {[0] = 'nil', 'boolean', 'userdata', 'number', 'string', 'table',
                      'function', 'userdata', 'thread'}
function W.checkudata(v, argn, expected_mt, expected_name)
  if v ~= nil and getmetatable(v) == expected_mt then return TDATA[v] end
  local got = torch.typename(v) or LUA_TYPENAME[argn] or 'unknown object'
  W.argerror(argn, format('%s expected, got %s', expected_name, got))
end

local function typename_or_none(v, present)
  if not present then return 'no value' end
  return type(v)
end

-- luaL_checkint/luaL_checknumber
function W.checknumber(v, argn, present)
  if type(v) == 'number' then return v end
  if type(v) == 'string' and tonumber(v) then return tonumber(v) end
  W.argerror(argn, 'number expected, got ' .. typename_or_none(v, present))
end

function W.checkint(v, argn, present)
  local x = W.checknumber(v, argn, present)
  if x >= 0 then return math.floor(x) end
  return -math.floor(-x)
end

------------------------------------------------------------------------------
-- argument checks used by the generated matchers
local function isopt(v, values)
  if type(v) ~= 'string' and type(v) ~= 'number' then return false end
  local c = tostring(v):sub(1, 1)
  return c ~= '' and values:find(c, 1, true) ~= nil
end

local function nonempty(v) return type(v) == 'table' and rawget(v, 1) ~= nil end

local function is_long_storage(v)
  return SDATA[v] ~= nil and torch.typename(v) == 'torch.LongStorage'
end

local function islongargs(k, n, ...)
  local narg = n - k + 1
  if narg == 1 and is_long_storage((select(k, ...))) then return true end
  for i = k, n do
    if type((select(i, ...))) ~= 'number' then return false end
  end
  return true
end

-- sizes as a Lua array (torch_checklongargs)
local function readlongargs(k, n, ...)
  local a = select(k, ...)
  local sizes = {}
  if n - k + 1 == 1 and is_long_storage(a) then
    local s = SDATA[a].s
    for i = 0, tonumber(s.size) - 1 do sizes[i + 1] = tonumber(s.data[i]) end
    return sizes
  end
  for i = k, n do sizes[#sizes + 1] = (select(i, ...)) end
  return sizes
end

local function help_of(arg, ti)
  local k = arg[1]
  local h
  if k == 'T' then
    h = arg.dim and format('%s~%dD', tname(ti), arg.dim) or tname(ti)
  elseif k == 'LongT' then h = 'LongTensor'
  elseif k == 'ByteT' then h = 'ByteTensor'
  elseif k == 'IntT' then h = 'IntTensor'
  elseif k == 'real' then h = REAL[ti]
  elseif k == 'accreal' then h = ACCREAL[ti]
  elseif k == 'bool' then h = 'boolean'
  elseif k == 'opt' then
    local vs = {}
    for c in arg.values:gmatch('.') do vs[#vs + 1] = c end
    h = '(' .. concat(vs, '|') .. ')'
  elseif k == 'Tarr' then h = '{' .. tname(ti) .. '+}'
  elseif k == 'longarg' then h = '(LongStorage | dim1 [dim2...])'
  else h = k end   -- long, int, double, index
  if arg.ret then h = '*' .. h .. '*' end
  return h
end

local function help(sets, ti)
  local all = {}
  for _, set in ipairs(sets) do
    local parts = {}
    for _, arg in ipairs(set) do
      if not arg.inv then
        local h = help_of(arg, ti)
        if arg.def ~= nil then h = '[' .. h .. ']' end
        parts[#parts + 1] = h
      end
    end
    all[#all + 1] = concat(parts, ' ')
  end
  return concat(all, ' | ')
end

local function arg_types(n, ...)
  if n == 0 then return 'no arguments provided' end
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    local t = torch.typename(v)
    if t then
      t = t:gsub('^torch%.', '')
    elseif type(v) == 'string' and tonumber(v) then
      t = 'number'
    elseif type(v) == 'function' then
      t = '???'
    else
      t = type(v)
    end
    parts[#parts + 1] = t .. ' '
  end
  return concat(parts)
end

------------------------------------------------------------------------------
-- matcher generation
local function check_expr(arg, p)
  local v = 'a' .. p
  local k = arg[1]
  if k == 'T' then
    local e = format('getmetatable(%s) == MT', v)
    if arg.dim then e = e .. format(' and TDATA[%s].m.nd == %d', v, arg.dim) end
    return e
  elseif k == 'LongT' then return format('getmetatable(%s) == MT_LONG', v)
  elseif k == 'ByteT' then return format('getmetatable(%s) == MT_BYTE', v)
  elseif k == 'IntT' then return format('getmetatable(%s) == MT_INT', v)
  elseif k == 'bool' then return format("type(%s) == 'boolean'", v)
  elseif k == 'opt' then return format('isopt(%s, %q)', v, arg.values)
  elseif k == 'Tarr' then return format('nonempty(%s)', v)
  elseif k == 'longarg' then return format('islongargs(%d, n, ...)', p)
  else return format("type(%s) == 'number'", v) end
end

local function literal(v)
  if type(v) == 'string' then return format('%q', v) end
  if v == true then return 'nil' end      -- a new result tensor
  return tostring(v)
end

local function compile(sets, fname)
  local code, maxp = {}, 0
  local first = true
  for si, set in ipairs(sets) do
    local nopt = 0
    for _, arg in ipairs(set) do
      if arg.def ~= nil and not arg.inv then nopt = nopt + 1 end
    end
    for variant = 0, 2 ^ nopt - 1 do
      local opt, pos, conds, vals, vararg = 0, 0, {}, {}, false
      for i, arg in ipairs(set) do
        local present
        if arg.inv then
          present = false
        elseif arg.def ~= nil then
          opt = opt + 1
          present = math.floor(variant / 2 ^ (opt - 1)) % 2 == 1
        else
          present = true
        end
        if present then
          pos = pos + 1
          conds[#conds + 1] = check_expr(arg, pos)
          if arg[1] == 'longarg' then
            vararg = true
            vals[i] = format('readlongargs(%d, n, ...)', pos)
          else
            vals[i] = 'a' .. pos
          end
        elseif type(arg.def) == 'number' and (arg[1] == 'T' or arg[1] == 'LongT') then
          vals[i] = vals[arg.def]
        else
          vals[i] = literal(arg.def)
        end
      end
      if pos > maxp then maxp = pos end
      table.insert(conds, 1, format('n %s %d', vararg and '>=' or '==', pos))
      code[#code + 1] = format('%s %s then\n    return %d, %s\n',
        first and '  if' or '  elseif', concat(conds, ' and '), si, concat(vals, ', ', 1, #set))
      first = false
    end
  end
  local locals = {}
  for p = 1, maxp do locals[p] = 'a' .. p end
  local src = concat({
    'local H = ...\n',
    'local TDATA, getmetatable, type, isopt, nonempty, islongargs, readlongargs, fail = ',
    'H.TDATA, getmetatable, type, H.isopt, H.nonempty, H.islongargs, H.readlongargs, H.fail\n',
    'local MT_LONG, MT_BYTE, MT_INT = H.MT_LONG, H.MT_BYTE, H.MT_INT\n',
    'return function(MT, n, ...)\n',
    maxp > 0 and ('  local ' .. concat(locals, ', ') .. ' = ...\n') or '',
    concat(code), #code > 0 and '  end\n' or '',
    '  return fail(MT, n, ...)\nend\n'})
  -- named inside the prelude, so core.error places errors at the script's line
  local chunk = assert(loadstring(src, '@' .. core.C.prelude_root .. '/torch/TensorMath_args.lua:'
    .. fname))
  local H = {
    TDATA = TDATA, isopt = isopt, nonempty = nonempty, islongargs = islongargs,
    readlongargs = readlongargs, MT_LONG = TMT[4], MT_BYTE = TMT[0], MT_INT = TMT[3],
    fail = function(MT, n, ...)
      local ti = core.TI[MT]
      core.error(format('invalid arguments: %s\nexpected arguments: %s',
        arg_types(n, ...), help(sets, ti)))
    end,
  }
  return chunk(H)
end
W.compile = compile
W.arg_types, W.REAL = arg_types, REAL

------------------------------------------------------------------------------
-- torch.X dispatch (TensorMath.lua's generated torch_X): the tensor type comes
-- from argument 1, argument 2, the first element of a table argument 1, a type
-- name given as last argument (then removed), or the default tensor type.
local PERTYPE = {}
for ti = 0, #core.TYPES - 1 do PERTYPE[ti] = {} end
W.PERTYPE = PERTYPE

local function tensor_type(v)
  if TDATA[v] ~= nil then return core.TI[getmetatable(v)] end
end

local function make_dispatcher(name)
  local f = function(...)
    local n = select('#', ...)
    local a1, a2 = ...
    local ti
    if n >= 1 then ti = tensor_type(a1) end
    if ti == nil and n >= 2 then ti = tensor_type(a2) end
    if ti == nil and n >= 1 and nonempty(a1) then ti = tensor_type(rawget(a1, 1)) end
    if ti == nil and n >= 1 and type((select(n, ...))) == 'string' then
      local mt = torch.getmetatable((select(n, ...)))
      ti = mt and core.TI[mt]
      if ti ~= nil then
        local g = PERTYPE[ti][name]
        if not g then
          -- raised by the dispatcher itself (a C function the script called): its caller's line
          error(format('torch.%s does not implement the torch.%s() function', tname(ti), name), 2)
        end
        local args = {...}
        return g(unpack(args, 1, n - 1))
      end
    end
    if ti == nil then
      ti = core.TI[getmetatable(torch.Tensor)]
    end
    local g = PERTYPE[ti][name]
    if not g then
      error(format('torch.%s does not implement the torch.%s() function', tname(ti), name), 2)
    end
    return g(...)
  end
  IFACE[f] = true
  WRAP[f] = true
  return f
end

------------------------------------------------------------------------------
-- W.wrap(name, {types=W.ALL, method=sets|nil, func=sets|nil, impl=function(ti, set, ...)})
-- installs the method into each type's metatable and the function into torch.
-- Passing results through a call keeps the wrapper's frame alive while impl runs
-- (a tail call would drop it, and with it the name the script called).
local function pass(...) return ... end

function W.wrap(name, def)
  local types = with_aliases(def.types or W.ALL)
  local mmatch = def.method and compile(def.method, name)
  local fmatch = def.func and compile(def.func, name)
  local impl = def.impl
  for _, ti in ipairs(types) do
    local MT = TMT[ti]
    if mmatch then
      local m = function(...)
        return pass(impl(ti, mmatch(MT, select('#', ...), ...)))
      end
      WRAP[m] = true
      rawset(MT, name, m)
    end
    if fmatch then
      local g = function(...)
        return pass(impl(ti, fmatch(MT, select('#', ...), ...)))
      end
      IFACE[g] = true
      WRAP[g] = true
      PERTYPE[ti][name] = g
    end
  end
  if fmatch and not rawget(torch, name) then
    torch[name] = make_dispatcher(name)
  end
end

-- A method written by hand (Tensor.c-style), installed in every listed type.
-- make(ti) returns the body; the installed function keeps its frame while the
-- body runs, so errors name the method as the script called it.
function W.method(name, types, make)
  for _, ti in ipairs(with_aliases(types or W.ALL)) do
    local body = make(ti)
    local m = function(...) return pass(body(...)) end
    WRAP[m] = true
    rawset(TMT[ti], name, m)
  end
end

function W.tname(ti) return tname(ti) end

return W
