-- pl.stringx: Python-style string methods.
local utils = require 'pl.utils'
local assert_string = utils.assert_string
local find, sub, rep, gsub = string.find, string.sub, string.rep, string.gsub

local stringx = {}

local function escape(s) return (s:gsub('[%-%.%+%[%]%(%)%$%^%%%?%*]', '%%%1')) end

function stringx.isalpha(s) assert_string(1, s); return find(s, '^%a+$') == 1 end
function stringx.isdigit(s) assert_string(1, s); return find(s, '^%d+$') == 1 end
function stringx.isalnum(s) assert_string(1, s); return find(s, '^%w+$') == 1 end
function stringx.isspace(s) assert_string(1, s); return find(s, '^%s+$') == 1 end
function stringx.islower(s) assert_string(1, s); return find(s, '^[%l%s]+$') == 1 end
function stringx.isupper(s) assert_string(1, s); return find(s, '^[%u%s]+$') == 1 end

local function test_affixes(s, affix, fn)
  if type(affix) == 'string' then return fn(s, affix) end
  if type(affix) == 'table' then
    for _, a in ipairs(affix) do if fn(s, a) then return true end end
    return false
  end
  error(('argument #2 expected a \'string\' or a \'table\', got a \'%s\''):format(type(affix)), 3)
end
local function starts(s, p) return sub(s, 1, #p) == p end
local function ends(s, p) return #s >= #p and sub(s, #s - #p + 1) == p end
function stringx.startswith(s, prefix) assert_string(1, s); return test_affixes(s, prefix, starts) end
function stringx.endswith(s, suffix) assert_string(1, s); return test_affixes(s, suffix, ends) end

function stringx.join(s, seq)
  assert_string(1, s)
  return table.concat(seq, s)
end

function stringx.splitlines(s, keep_ends)
  assert_string(1, s)
  local res, pos = {}, 1
  while true do
    local a, b = find(s, '\r?\n', pos)
    if not a then
      local rest = sub(s, pos)
      if rest ~= '' then res[#res + 1] = rest end
      break
    end
    res[#res + 1] = keep_ends and sub(s, pos, b) or sub(s, pos, a - 1)
    pos = b + 1
  end
  local List = require 'pl.List'
  return setmetatable(res, List)
end

function stringx.split(s, re, n)
  assert_string(1, s)
  local plain = true
  if not re then s = s:gsub('^%s+', ''):gsub('%s+$', ''); re, plain = '%s+', false end
  local res = utils.split(s, re, plain, n)
  if re and re ~= '%s+' and find(s, escape(re) .. '$') and not n then res[#res + 1] = '' end
  local List = require 'pl.List'
  return setmetatable(res, List)
end

function stringx.expandtabs(s, tabsize)
  assert_string(1, s)
  tabsize = tabsize or 8
  return (s:gsub('([^\t\r\n]*)\t', function(before)
    return before .. rep(' ', tabsize - (#before % tabsize))
  end))
end

local function _find_all(s, sub_, first, last, allow_overlap)
  first = first or 1
  last = last or #s
  if sub_ == '' then return last + 1, last - first + 1 end
  local i1, i2 = find(s, sub_, first, true)
  local res, k = nil, 0
  while i1 do
    if last and i2 > last then break end
    res = i1
    k = k + 1
    if allow_overlap then i1, i2 = find(s, sub_, i1 + 1, true)
    else i1, i2 = find(s, sub_, i2 + 1, true) end
  end
  return res, k
end

function stringx.lfind(s, sub_, first, last)
  assert_string(1, s); assert_string(2, sub_)
  local i1, i2 = find(s, sub_, first, true)
  if i1 and (not last or i2 <= last) then return i1 end
  return nil
end

function stringx.rfind(s, sub_, first, last)
  assert_string(1, s); assert_string(2, sub_)
  return (_find_all(s, sub_, first, last, true))
end

function stringx.replace(s, old, new, n)
  assert_string(1, s); assert_string(2, old); assert_string(3, new)
  return (gsub(s, escape(old), new:gsub('%%', '%%%%'), n))
end

function stringx.count(s, sub_, allow_overlap)
  assert_string(1, s)
  local _, k = _find_all(s, sub_, 1, false, allow_overlap)
  return k
end

local function pad(s, w, ch, where)
  ch = ch or ' '
  local n = w - #s
  if n <= 0 then return s end
  if where == 'l' then return s .. rep(ch, n)
  elseif where == 'r' then return rep(ch, n) .. s end
  local left = math.floor(n / 2)
  return rep(ch, left) .. s .. rep(ch, n - left)
end
function stringx.ljust(s, w, ch) assert_string(1, s); return pad(s, w, ch, 'l') end
function stringx.rjust(s, w, ch) assert_string(1, s); return pad(s, w, ch, 'r') end
function stringx.center(s, w, ch) assert_string(1, s); return pad(s, w, ch, 'c') end

local function chars_pattern(chrs)
  if not chrs then return '%s' end
  return '[' .. escape(chrs) .. ']'
end
function stringx.lstrip(s, chrs) assert_string(1, s); return (s:gsub('^' .. chars_pattern(chrs) .. '+', '')) end
function stringx.rstrip(s, chrs) assert_string(1, s); return (s:gsub(chars_pattern(chrs) .. '+$', '')) end
function stringx.strip(s, chrs) return stringx.rstrip(stringx.lstrip(s, chrs), chrs) end

function stringx.splitv(s, re) assert_string(1, s); return utils.splitv(s, re) end

local function _partition(p, delim, fn)
  local i1, i2 = fn(p, delim)
  if not i1 or i1 == -1 then return p, '', '' end
  if not i2 then i2 = i1 + #delim - 1 end
  return sub(p, 1, i1 - 1), sub(p, i1, i2), sub(p, i2 + 1)
end
function stringx.partition(s, ch)
  assert_string(1, s); assert_string(2, ch)
  if ch == '' then error('empty separator', 2) end
  return _partition(s, ch, function(p, d) return find(p, d, 1, true) end)
end
function stringx.rpartition(s, ch)
  assert_string(1, s); assert_string(2, ch)
  if ch == '' then error('empty separator', 2) end
  local a, b, c = _partition(s, ch, stringx.rfind)
  if a == s then return '', '', s end
  return a, b, c
end

function stringx.at(s, idx) assert_string(1, s); return sub(s, idx, idx) end

function stringx.lines(s)
  assert_string(1, s)
  if not s:find('\n$') then s = s .. '\n' end
  return s:gmatch('([^\n]*)\n')
end

function stringx.title(s)
  assert_string(1, s)
  return (s:gsub('(%S)(%S*)', function(f, r) return f:upper() .. r:lower() end))
end
stringx.capitalize = stringx.title

function stringx.shorten(s, w, tail)
  assert_string(1, s)
  if #s > w then
    if w < 3 then return rep('.', w) end
    if tail then return '...' .. sub(s, #s - w + 4) end
    return sub(s, 1, w - 3) .. '...'
  end
  return s
end

function stringx.quote_string(s)
  assert_string(1, s)
  local eq = ''
  if s:find('\n') or s:find('\\') and not s:find('"') then
    while s:find(']' .. eq .. ']', 1, true) do eq = eq .. '=' end
    local nl = s:sub(1, 1) == '\n' and '\n' or ''
    return '[' .. eq .. '[' .. nl .. s .. ']' .. eq .. ']'
  end
  return ('%q'):format(s)
end

function stringx.import()
  for k, v in pairs(stringx) do if k ~= 'import' then string[k] = v end end
end

return stringx
