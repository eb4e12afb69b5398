-- xlua: Torch's extra Lua helpers (progress bar, named-argument unpacking with
-- usage text, require without crashing, error/print helpers, string/table extras).
require 'torch'
require 'sys'
local C = require '_torchcore'

xlua = xlua or {}
local xlua = xlua

-- "1D2h", "3m4s", "12ms": at most the two largest units, as xlua prints times
function xlua.formatTime(seconds)
  local floor = math.floor
  local parts = {}
  local days = floor(seconds / 86400); seconds = seconds - days * 86400
  local hours = floor(seconds / 3600); seconds = seconds - hours * 3600
  local minutes = floor(seconds / 60); seconds = seconds - minutes * 60
  local secs = floor(seconds)
  local millis = floor((seconds - secs) * 1000)
  for _, u in ipairs({{days, 'D'}, {hours, 'h'}, {minutes, 'm'}, {secs, 's'}, {millis, 'ms'}}) do
    if u[1] > 0 and #parts < 2 then parts[#parts + 1] = u[1] .. u[2] end
  end
  if #parts == 0 then return '0ms' end
  return table.concat(parts)
end

-- Progress bar.  On a terminal it is drawn as xlua draws it; when stdout is a
-- pipe or a file nothing is written, so logs stay clean.
do
  local width = math.min(C.fs_term_columns(), 120)
  local done, previous = true, -1
  local timer, times, indices
  function xlua.progress(current, goal)
    if not C.fs_isatty() then return end
    local barLength = width - 34
    local percent = math.floor(current * barLength / goal)
    if done and (previous == -1 or percent < previous) then
      done, previous = false, -1
      timer = torch.Timer()
      times, indices = {timer:time().real}, {current}
    else
      io.write('\r')
    end
    if done then return end
    previous = percent
    local bar = {' ['}
    for i = 1, barLength do
      bar[#bar + 1] = (i < percent and '=') or (i == percent and '>') or '.'
    end
    bar[#bar + 1] = '] '
    io.write(table.concat(bar))
    local pad = width - barLength - 4
    io.write(string.rep(' ', pad), string.rep('\b', pad))
    local elapsed = timer:time().real
    local step = 0
    if current ~= indices[1] then step = (elapsed - times[1]) / (current - indices[1]) end
    local remaining = math.max(0, (goal - current) * step)
    indices[#indices + 1] = current
    times[#times + 1] = elapsed
    if #indices > 100 then
      table.remove(indices, 1)
      table.remove(times, 1)
    end
    local tm
    if percent < barLength then tm = ' ETA: ' .. xlua.formatTime(remaining)
    else tm = ' Tot: ' .. xlua.formatTime(elapsed) end
    tm = tm .. ' | Step: ' .. xlua.formatTime(step)
    io.write(tm)
    io.write(string.rep('\b', math.floor(5 + #tm + barLength / 2)))
    io.write(' ', current, '/', goal, ' ')
    if percent == barLength then
      done = true
      io.write('\n')
    end
    io.write('\r')
    io.flush()
  end
end

function xlua.error(message, domain, usage)
  local c = sys.COLORS
  if domain then message = '<' .. domain .. '> ' .. message end
  local msg = c.Red .. tostring(message) .. c.none
  if usage then msg = msg .. '\n' .. usage end
  error(msg)   -- level 1, as upstream: the message names xlua's own file:line
end
rawset(_G, 'xerror', xlua.error)

function xlua.trycatch(try, catch)
  local ok, err = pcall(try)
  if not ok then catch(err) end
end

function xlua.installed(name)
  for path in (package.path .. ';' .. package.cpath):gmatch('[^;]+') do
    local p = path:gsub('%?', name)
    if paths.filep(p) then return true, p end
  end
  return false, package.path .. ';' .. package.cpath
end

-- require that warns instead of failing (with torchlua's install hint)
function xlua.require(name)
  local ok, mod = pcall(require, name)
  if not ok then
    print(mod)
    print('warning: <' .. name .. '> could not be loaded (is it installed?)')
    return false
  end
  return mod
end
rawset(_G, 'xrequire', xlua.require)

local function value_string(v)
  if type(v) == 'string' then
    v = v:gsub('\n', '\\n')
    if v:gsub('[^\'"]', ''):match('^"+$') then return "'" .. v .. "'" end
    return '"' .. v:gsub('"', '\\"') .. '"'
  end
  if type(v) == 'table' then return xlua.table2string(v) end
  return tostring(v)
end

local function key_string(k)
  if type(k) == 'string' and k:match('^[_%a][_%a%d]*$') then return k end
  return '[' .. value_string(k) .. ']'
end

function xlua.table2string(t, newline)
  local out, seen = {}, {}
  for i, v in ipairs(t) do
    out[#out + 1] = value_string(v)
    seen[i] = true
  end
  local sep = newline and ' : ' or '='
  for k, v in pairs(t) do
    if not seen[k] then out[#out + 1] = key_string(k) .. sep .. value_string(v) end
  end
  if newline then return '{\n   ' .. table.concat(out, '\n   ') .. '\n}' end
  return '{' .. table.concat(out, ',') .. '}'
end

-- usage text for a function taking named or positional arguments
function xlua.usage(funcname, description, example, ...)
  local c = sys.COLORS
  local banner = string.rep('+', 69)
  local s = {banner, '\n', c.Magenta, funcname, c.none, '\n'}
  if description then s[#s + 1] = '\n' .. description .. '\n' end
  s[#s + 1] = '\n' .. c.blue .. '> ' .. c.none .. 'usage:\n' .. c.cyan
  local args = {...}
  if args[1] and args[1].tabled then args = args[1].tabled end
  local function pad40(k) return k .. string.rep(' ', math.max(0, 40 - #k)) end
  if args[1] and args[1].arg then
    s[#s + 1] = funcname .. '{\n'
    for _, p in ipairs(args) do
      local key = p.req and ('    ' .. p.arg .. ' = ' .. p.type) or ('    [' .. p.arg .. ' = ' .. p.type .. ']')
      local line = pad40(key) .. '-- ' .. p.help
      if type(p.default) == 'table' then line = line .. '  [default = ' .. xlua.table2string(p.default) .. ']'
      elseif p.default or p.default == false then line = line .. '  [default = ' .. tostring(p.default) .. ']'
      elseif p.defaulta then line = line .. '  [default == ' .. p.defaulta .. ']' end
      s[#s + 1] = line .. '\n'
    end
    s[#s + 1] = '}\n'
  else
    local i = 1
    repeat
      s[#s + 1] = funcname .. '(\n'
      local p
      while true do
        p = args[i]
        i = i + 1
        if not p or p == '' then break end
        local key = p.req and ('    ' .. p.type) or ('    [' .. p.type .. ']')
        s[#s + 1] = pad40(key) .. '-- ' .. p.help .. '\n'
      end
      s[#s + 1] = ')\n'
    until not p
  end
  s[#s + 1] = c.none
  if example then s[#s + 1] = '\n' .. c.cyan .. example .. c.none .. '\n' end
  s[#s + 1] = banner
  return table.concat(s)
end

-- xlua.unpack({...}, 'name', 'desc', {arg=, type=, help=, req=, default=}, ...):
-- accepts positional arguments or one table of named ones; returns the table of
-- resolved arguments (also indexed by position) followed by the values.
function xlua.unpack(args, funcname, description, ...)
  local defs = {...}
  local usage = setmetatable({}, {__tostring = function()
    local example
    if #defs > 1 then
      example = funcname .. '{' .. defs[2].arg .. '=' .. defs[2].type .. ', ' .. defs[1].arg .. '=' ..
        defs[1].type .. '}\n' .. funcname .. '(' .. defs[1].type .. ', ...)'
    end
    return xlua.usage(funcname, description, example, {tabled = defs})
  end})
  local given = {}
  if #args == 0 then
    print(usage)
    xlua.error('error')
  elseif #args == 1 and type(args[1]) == 'table' and #args[1] == 0 and torch.typename(args[1]) == nil then
    given = args[1]
  else
    for i = 1, #defs do given[defs[i].arg] = args[i] end
  end
  local out = {}
  for i, d in ipairs(defs) do
    if d.req and given[d.arg] == nil then
      print(sys.COLORS.Red .. 'missing argument: ' .. d.arg .. sys.COLORS.none)
      print(usage)
      xlua.error('error')
    end
    local v = given[d.arg]
    if v == nil then v = d.default end
    if v == nil and d.defaulta then v = out[d.defaulta] end
    out[d.arg] = v
    out[i] = v
  end
  out.usage = usage
  return out, unpack(out, 1, #defs)
end

function xlua.unpack_class(object, args, funcname, description, ...)
  local out = xlua.unpack(args, funcname, description, ...)
  for k, v in pairs(out) do
    if type(k) ~= 'number' then object[k] = v end
  end
end

function xlua.print(obj, ...)
  if type(obj) == 'table' then
    local mt = getmetatable(obj)
    if mt and mt.__tostring__ then
      io.write(mt.__tostring__(obj))
    else
      io.write('{')
      local first = true
      for k, v in pairs(obj) do
        if not first then io.write(',\n ') end
        first = false
        if type(v) == 'userdata' then
          io.write('[' .. tostring(k) .. '] = <userdata>')
        else
          local s = tostring(v):gsub('\n', '\\n')
          if #s > 40 then s = s:sub(1, 40) .. sys.COLORS.none .. ' ... ' end
          io.write('[' .. tostring(k) .. '] = ' .. s)
        end
      end
      io.write('}')
    end
  else
    io.write(tostring(obj))
  end
  if select('#', ...) > 0 then
    io.write('    ')
    print(...)
  else
    io.write('\n')
  end
end
rawset(_G, 'xprint', xlua.print)

function xlua.envparams(defaults)
  local params = {}
  for k, v in pairs(defaults) do
    local env = os.getenv(k)
    if env ~= nil then
      if type(v) == 'number' then env = tonumber(env)
      elseif type(v) == 'boolean' then
        if env == 'false' or env == 'False' then env = false
        elseif env == 'true' or env == 'True' then env = true end
      end
      assert(env ~= nil)
      params[k] = env
    else
      params[k] = v
    end
  end
  return params
end

function table.splice(t, start, length)
  start, length = start or 1, length or 1
  local kept, removed = {}, {}
  for i, v in ipairs(t) do
    if i < start or i >= start + length then kept[#kept + 1] = v else removed[#removed + 1] = v end
  end
  return kept, removed
end

function string.split(str, pat) return sys.split(str, pat) end

function string.tosymbol(str)
  local ok, result = pcall(loadstring('return ' .. str))
  if not ok then error(result, 2) end
  if not result then error('symbol "' .. str .. '" does not exist', 2) end
  return result
end

return xlua
