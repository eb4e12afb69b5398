-- pl.pretty: write tables as readable Lua text, and read such text back safely.
local utils = require 'pl.utils'
local pretty = {}

local keywords = {}
for w in ('and break do else elseif end false for function goto if in local nil not or repeat return then true until while'):gmatch('%a+') do
  keywords[w] = true
end

local function quote(s)
  if type(s) == 'table' then return pretty.write(s, '') end
  return ('%q'):format(tostring(s)):gsub('\\\n', '\\n')
end

local function is_identifier(s)
  return type(s) == 'string' and s:find('^[%a_][%w_]*$') and not keywords[s]
end

local function number(v)
  if v ~= v then return '0/0' end
  if v == math.huge then return 'math.huge' end
  if v == -math.huge then return '-math.huge' end
  if v == math.floor(v) and math.abs(v) < 1e15 then return ('%d'):format(v) end
  return tostring(v)
end

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then  -- string keys first, then numbers, then the rest
    local rank = {string = 1, number = 2}
    return (rank[ta] or 3) < (rank[tb] or 3)
  end
  if ta == 'number' or ta == 'string' then return a < b end
  return tostring(a) < tostring(b)
end

--- pretty.write(t, space, not_clever): the text of a Lua value.
function pretty.write(tbl, space, not_clever)
  if type(tbl) ~= 'table' then
    if type(tbl) == 'string' then return quote(tbl) end
    if type(tbl) == 'number' then return number(tbl) end
    return tostring(tbl), 'not a table'
  end
  space = space or '  '
  local nl = space == '' and '' or '\n'
  local eq = space == '' and '=' or ' = '
  local seen = {}
  local lines = {}
  local function put(s) lines[#lines + 1] = s end

  local function value(v, indent)
    local tv = type(v)
    if tv == 'string' then return quote(v)
    elseif tv == 'number' then return number(v)
    elseif tv == 'table' then return nil
    end
    return tostring(v)
  end

  local function writeit(t, indent, prefix)
    if seen[t] then put(prefix .. '<cycle>'); return end
    seen[t] = true
    local inner = indent .. space
    local items = {}
    local n = #t
    local used = {}
    for i = 1, n do
      used[i] = true
      items[#items + 1] = {nil, t[i]}
    end
    local keys = {}
    for k in pairs(t) do if not used[k] then keys[#keys + 1] = k end end
    table.sort(keys, key_order)
    for _, k in ipairs(keys) do
      local ks
      if is_identifier(k) then ks = k
      elseif type(k) == 'number' then ks = '[' .. number(k) .. ']'
      else ks = '[' .. (value(k) or tostring(k)) .. ']' end
      items[#items + 1] = {ks, t[k]}
    end
    if #items == 0 then put(prefix .. '{}'); seen[t] = nil; return end
    put(prefix .. '{' .. nl)
    for i, it in ipairs(items) do
      local lead = inner .. (it[1] and (it[1] .. eq) or '')
      local v = it[2]
      if type(v) == 'table' then
        writeit(v, inner, lead)
      else
        put(lead .. value(v))
      end
      if i < #items then put(',' .. nl) else put(nl) end
    end
    put(indent .. '}')
    seen[t] = nil
  end
  writeit(tbl, '', '')
  return table.concat(lines)
end

function pretty.dump(t, filename)
  if not filename then
    print(pretty.write(t))
    return true
  end
  return utils.writefile(filename, pretty.write(t))
end

function pretty.load(s, env, paranoid)
  env = env or {}
  if paranoid then
    if s:find('%f[%w_]function%f[^%w_]') or s:find('%f[%w_]for%f[^%w_]') or s:find('%f[%w_]while%f[^%w_]') then
      return nil, 'looping not allowed'
    end
  end
  local chunk, err = loadstring(s, 'tbl')
  if not chunk then return nil, err end
  setfenv(chunk, env)
  local ok, res = pcall(chunk)
  if not ok then return nil, res end
  return env
end

function pretty.read(s)
  utils.assert_arg(1, s, 'string')
  if s:find('^%s*%-%-') then s = s:gsub('%-%-.-\n', '') end
  if not s:find('^%s*{') then return nil, 'not a Lua table' end
  if s:find('%f[%w_]function%f[^%w_]') or s:find('%f[%w_]for%f[^%w_]') or s:find('%f[%w_]while%f[^%w_]')
     or s:find('%f[%w_]repeat%f[^%w_]') then
    return nil, 'cannot have functions or loops in table definition'
  end
  local chunk, err = loadstring('return ' .. s, 'tbl')
  if not chunk then return nil, err end
  setfenv(chunk, {})
  local ok, ret = pcall(chunk)
  if ok then return ret end
  return nil, ret
end

function pretty.number(num, kind, prec)
  local fmt = '%.' .. (prec or 1) .. 'f%s'
  if kind == 'T' then
    local units = {'', 'K', 'M', 'B'}
    local i = 1
    while num >= 1000 and i < #units do num = num / 1000; i = i + 1 end
    if i == 1 then return tostring(num) end
    return fmt:format(num, units[i])
  elseif kind == 'M' then
    local units = {'', 'KiB', 'MiB', 'GiB'}
    local i = 1
    while num >= 1024 and i < #units do num = num / 1024; i = i + 1 end
    if i == 1 then return tostring(num) .. 'B' end
    return fmt:format(num, units[i])
  end
  local s = tostring(math.floor(num))
  local r
  repeat s, r = s:gsub('^(-?%d+)(%d%d%d)', '%1,%2') until r == 0
  return s
end

return pretty
