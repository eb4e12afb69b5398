-- pl.utils: small helpers the other Penlight modules share.
local compat = require 'pl.compat'
local format = string.format

local utils = {
  _VERSION = '1.5.2',
  lua51 = compat.lua51, is_windows = compat.is_windows, dir_separator = compat.dir_separator,
  execute = compat.execute, load = compat.load, setfenv = compat.setfenv,
  getfenv = compat.getfenv, pack = compat.pack, unpack = compat.unpack,
}
utils.patterns = {
  FLOAT = '[%+%-%d]%d*%.?%d*[eE]?[%+%-]?%d*',
  INTEGER = '[+%-%d]%d*',
  IDEN = '[%a_][%w_]*',
  FILE = '[%a%.\\][:%][%w%._%-\\]*',
}
utils.stdmt = {
  List = {_name = 'List'}, Map = {_name = 'Map'}, Set = {_name = 'Set'},
  MultiMap = {_name = 'MultiMap'},
}

function utils.printf(fmt, ...)
  utils.assert_string(1, fmt)
  io.write(format(fmt, ...))
end

function utils.fprintf(f, fmt, ...)
  utils.assert_string(2, fmt)
  f:write(format(fmt, ...))
end

function utils.import(t, T)
  T = T or _G
  if type(t) == 'string' then t = require(t) end
  for k, v in pairs(t) do T[k] = v end
end

function utils.choose(cond, a, b)
  if cond then return a else return b end
end

function utils.array_tostring(t, temp, tostr)
  temp, tostr = temp or {}, tostr or tostring
  for i = 1, #t do temp[i] = tostr(t[i], i) end
  return temp
end

function utils.is_type(obj, tp)
  if type(tp) == 'string' then return type(obj) == tp end
  local mt = getmetatable(obj)
  return tp == mt
end

function utils.assert_arg(n, val, tp, verify, msg, lev)
  if type(val) ~= tp then
    error(("argument %d expected a '%s', got a '%s'"):format(n, tp, type(val)), lev or 2)
  end
  if verify and not verify(val) then
    error(('argument %d: \'%s\' %s'):format(n, tostring(val), msg), lev or 2)
  end
  return val
end

function utils.assert_string(n, val)
  return utils.assert_arg(n, val, 'string', nil, nil, 3)
end

local err_mode = 'default'
function utils.on_error(mode)
  if mode == 'default' or mode == 'quit' or mode == 'error' then err_mode = mode
  else utils.raise("bad argument expected one of 'default', 'quit', or 'error', got '" .. tostring(mode) .. "'") end
end

function utils.raise(err)
  if err_mode == 'default' then return nil, err
  elseif err_mode == 'quit' then utils.quit(err)
  else error(err, 2) end
end

function utils.quit(code, msg, ...)
  if type(code) == 'string' then
    utils.fprintf(io.stderr, code, msg, ...)
    io.stderr:write('\n')
    code = -1
  elseif msg then
    utils.fprintf(io.stderr, msg, ...)
    io.stderr:write('\n')
  end
  os.exit(code, true)
end

function utils.escape(s)
  utils.assert_string(1, s)
  return (s:gsub('[%-%.%+%[%]%(%)%$%^%%%?%*]', '%%%1'))
end

function utils.split(s, re, plain, n)
  utils.assert_string(1, s)
  local find, sub, append = string.find, string.sub, table.insert
  local i1, ls = 1, {}
  if not re then re = '%s+' end
  if re == '' then return {s} end
  while true do
    local i2, i3 = find(s, re, i1, plain)
    if not i2 then
      local last = sub(s, i1)
      if last ~= '' then append(ls, last) end
      if #ls == 1 and ls[1] == '' then return {} end
      return ls
    end
    append(ls, sub(s, i1, i2 - 1))
    if n and #ls == n then
      ls[#ls] = sub(s, i1)
      return ls
    end
    i1 = i3 + 1
  end
end

function utils.splitv(s, re, plain, n)
  return utils.unpack(utils.split(s, re, plain, n))
end

function utils.readfile(filename, is_bin)
  local f, err = io.open(filename, is_bin and 'rb' or 'r')
  if not f then return utils.raise(err) end
  local res = f:read('*a')
  f:close()
  return res
end

function utils.writefile(filename, str, is_bin)
  local f, err = io.open(filename, is_bin and 'wb' or 'w')
  if not f then return utils.raise(err) end
  f:write(str)
  f:close()
  return true
end

function utils.readlines(filename)
  local f, err = io.open(filename, 'r')
  if not f then return utils.raise(err) end
  local res = {}
  for line in f:lines() do res[#res + 1] = line end
  f:close()
  return res
end

function utils.quote_arg(argument)
  if type(argument) == 'table' then
    local r = {}
    for i, a in ipairs(argument) do r[i] = utils.quote_arg(a) end
    return table.concat(r, ' ')
  end
  if argument == '' or argument:find('[^a-zA-Z0-9_@%+=:,./-]') then
    argument = "'" .. argument:gsub("'", [['\'']]) .. "'"
  end
  return argument
end

function utils.executeex(cmd, bin)
  local outfile, errfile = os.tmpname(), os.tmpname()
  local ok, code = utils.execute(cmd .. ' > ' .. utils.quote_arg(outfile) .. ' 2> ' .. utils.quote_arg(errfile))
  local out = utils.readfile(outfile, bin) or ''
  local err = utils.readfile(errfile, bin) or ''
  os.remove(outfile); os.remove(errfile)
  return ok, code, out, err
end

function utils.memoize(func)
  local cache = {}
  return function(k)
    local res = cache[k]
    if res == nil then res = func(k); cache[k] = res end
    return res
  end
end

-- string lambdas: '|x| x + 1' or '_ + 1'
local lambda_cache = {}
function utils.string_lambda(lf)
  if lambda_cache[lf] then return lambda_cache[lf] end
  local args, body = lf:match('^%s*|([^|]*)|(.+)')
  if not args then
    if lf:find('_', 1, true) then args, body = '_', lf
    else return nil, 'not a string lambda' end
  end
  local fn, err = loadstring('return function(' .. args .. ') return ' .. body .. ' end')
  if not fn then return nil, err end
  fn = fn()
  lambda_cache[lf] = fn
  return fn
end

local factories = {}
function utils.add_function_factory(mt, fun) factories[mt] = fun end

local ops
function utils.function_arg(idx, f, msg)
  utils.assert_arg(1, idx, 'number')
  local tp = type(f)
  if tp == 'function' then return f end
  if tp == 'string' then
    ops = ops or require 'pl.operator'.optable
    if ops[f] then return ops[f] end
    local fn, err = utils.string_lambda(f)
    if not fn then error(err .. ': ' .. f, 3) end
    return fn
  elseif tp == 'table' or tp == 'userdata' then
    local mt = getmetatable(f)
    if not mt then error('not a callable object', 3) end
    local ff = factories[mt]
    if ff then return ff(f) end
    if mt.__call then return f end
    error('not a callable object', 3)
  end
  msg = msg and ': ' .. msg or ''
  error(('argument %d expected a function%s, got %s'):format(idx, msg, tp == 'nil' and 'nil' or tp), 3)
end

function utils.bind1(fn, p)
  fn = utils.function_arg(1, fn)
  return function(...) return fn(p, ...) end
end

function utils.bind2(fn, p)
  fn = utils.function_arg(1, fn)
  return function(x, ...) return fn(x, p, ...) end
end

function utils.npairs(t, i_start, i_end, step)
  step = step or 1
  if step == 0 then error('iterator step-size cannot be 0', 2) end
  local i = (i_start or 1) - step
  i_end = i_end or t.n or #t
  if step < 0 then i_start = i_start or i_end end
  return function()
    i = i + step
    if (step > 0 and i > i_end) or (step < 0 and i < i_end) then return nil end
    return i, t[i]
  end
end

function utils.kpairs(t)
  local index
  return function()
    local value
    while true do
      index, value = next(t, index)
      if type(index) ~= 'number' or index ~= math.floor(index) or index < 1 then break end
    end
    return index, value
  end
end

function utils.enum(...)
  local t = {}
  for i = 1, select('#', ...) do local v = select(i, ...); t[v] = v end
  return setmetatable(t, {__index = function(_, k) error("'" .. tostring(k) .. "' is not a valid value", 2) end})
end

return utils
