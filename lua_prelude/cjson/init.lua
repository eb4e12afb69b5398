-- cjson: lua-cjson's interface (encode, decode, null, configuration functions,
-- new(), cjson.safe) written in Lua.  Arrays versus objects, number text
-- (%.14g), escapes and error messages follow lua-cjson's documented behaviour.
local type, pairs, next, rawget, tostring, tonumber = type, pairs, next, rawget, tostring, tonumber
local floor, huge = math.floor, math.huge
local concat, format, byte, char, sub, find = table.concat, string.format, string.byte, string.char, string.sub, string.find
local c_format = require('torchlua_format').c_format

-- JSON null: one shared userdata, printed as a NULL lightuserdata is.
local null = package.loaded['cjson.null'] or newproxy(true)
package.loaded['cjson.null'] = null
getmetatable(null).__tostring = function() return 'userdata: NULL' end

local ESCAPES = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b',
                 ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
for c = 0, 31 do
  local ch = char(c)
  if not ESCAPES[ch] then ESCAPES[ch] = format('\\u%04x', c) end
end
ESCAPES['\127'] = '\\u007f'

local function quote(s)
  return '"' .. s:gsub('[%c"\\/]', ESCAPES) .. '"'
end

local function argerror(n, fname, msg)
  error(format("bad argument #%d to '%s' (%s)", n, fname, msg), 3)
end

local function new()
  local cfg = {
    sparse_convert = false, sparse_ratio = 2, sparse_safe = 10,
    encode_max_depth = 1000, decode_max_depth = 1000,
    precision = 14, encode_invalid = false, decode_invalid = true, keep_buffer = true,
  }
  local M = {_NAME = 'cjson', _VERSION = '2.1devel', null = null}

  ---------------------------------------------------------------- encoding
  local function encode_number(x)
    if x ~= x or x == huge or x == -huge then
      if cfg.encode_invalid == false then
        error('Cannot serialise number: must not be NaN or Inf', 0)
      elseif cfg.encode_invalid == 'null' then
        return 'null'
      end
      -- lua-cjson 2.1.0 (the release Torch7 installs) prints them as printf does
      if x ~= x then return 'nan' end
      return x > 0 and 'inf' or '-inf'
    end
    return c_format(cfg.fmt, x)   -- C's snprintf in lua-cjson: ties to even
  end

  local encode_value
  -- >0: array of that length; -1: object
  local function array_length(t)
    local max, items = 0, 0
    for k in next, t do
      if type(k) == 'number' and k >= 1 and floor(k) == k then
        if k > max then max = k end
        items = items + 1
      else
        return -1
      end
    end
    if cfg.sparse_ratio > 0 and max > items * cfg.sparse_ratio and max > cfg.sparse_safe then
      if not cfg.sparse_convert then
        error('Cannot serialise table: excessively sparse array', 0)
      end
      return -1
    end
    return max
  end

  local function encode_table(t, depth, buf)
    depth = depth + 1
    if depth > cfg.encode_max_depth then
      error(format('Cannot serialise, excessive nesting (%d)', depth), 0)
    end
    local n = array_length(t)
    if n > 0 then
      buf[#buf + 1] = '['
      for i = 1, n do
        if i > 1 then buf[#buf + 1] = ',' end
        encode_value(rawget(t, i), depth, buf)
      end
      buf[#buf + 1] = ']'
    else
      buf[#buf + 1] = '{'
      local first = true
      for k, v in next, t do
        if not first then buf[#buf + 1] = ',' end
        first = false
        local tk = type(k)
        if tk == 'string' then buf[#buf + 1] = quote(k)
        elseif tk == 'number' then buf[#buf + 1] = '"' .. encode_number(k) .. '"'
        else error('Cannot serialise table: table key must be a number or string', 0) end
        buf[#buf + 1] = ':'
        encode_value(v, depth, buf)
      end
      buf[#buf + 1] = '}'
    end
  end

  encode_value = function(v, depth, buf)
    local tv = type(v)
    if tv == 'string' then buf[#buf + 1] = quote(v)
    elseif tv == 'number' then buf[#buf + 1] = encode_number(v)
    elseif tv == 'boolean' then buf[#buf + 1] = v and 'true' or 'false'
    elseif tv == 'nil' or v == null then buf[#buf + 1] = 'null'
    elseif tv == 'table' then encode_table(v, depth, buf)
    else error('Cannot serialise ' .. tv .. ': type not supported', 0) end
  end

  function M.encode(...)
    if select('#', ...) ~= 1 then error("bad argument #1 to 'encode' (expected 1 argument)", 2) end
    local buf = {}
    local ok, err = pcall(encode_value, (...), 0, buf)
    if not ok then error(err, 2) end
    return concat(buf)
  end

  ---------------------------------------------------------------- decoding
  local function perror(s, what, pos, found)
    error(format('Expected %s but found %s at character %d', what, found, pos), 0)
  end

  local function skip(s, i)
    local _, e = find(s, '^[ \t\n\r]*', i)
    return e + 1
  end

  -- the name lua-cjson gives to the token starting at i (for messages)
  local function token_name(s, i)
    local c = sub(s, i, i)
    if c == '' then return 'T_END' end
    local names = {['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN',
                   [']'] = 'T_ARR_END', [':'] = 'T_COLON', [','] = 'T_COMMA', ['"'] = 'T_STRING'}
    if names[c] then return names[c] end
    if find(c, '[-0-9]') then return 'T_NUMBER' end
    if sub(s, i, i + 3) == 'true' or sub(s, i, i + 4) == 'false' then return 'T_BOOLEAN' end
    if sub(s, i, i + 3) == 'null' then return 'T_NULL' end
    return 'invalid token'
  end

  local function utf8(cp)
    if cp < 0x80 then return char(cp)
    elseif cp < 0x800 then return char(0xC0 + floor(cp / 64), 0x80 + cp % 64)
    elseif cp < 0x10000 then
      return char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
    end
    return char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64,
                0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
  end

  local SIMPLE = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t'}

  local function parse_string(s, i, what)
    -- s[i] == '"'
    local parts, j = {}, i + 1
    while true do
      local a, b = find(s, '^[^"\\]+', j)
      if a then parts[#parts + 1] = sub(s, a, b); j = b + 1 end
      local c = sub(s, j, j)
      if c == '"' then return concat(parts), j + 1 end
      if c == '' then perror(s, what, j, 'unexpected end of string') end
      -- backslash
      local e, j0 = sub(s, j + 1, j + 1), j
      if SIMPLE[e] then
        parts[#parts + 1] = SIMPLE[e]; j = j + 2
      elseif e == 'u' then
        local hex = sub(s, j + 2, j + 5)
        local cp = #hex == 4 and not find(hex, '%X') and tonumber(hex, 16)
        if not cp then perror(s, what, j0, 'invalid unicode escape code') end
        j = j + 6
        if cp >= 0xD800 and cp <= 0xDBFF then
          local hex2 = sub(s, j, j + 1) == '\\u' and sub(s, j + 2, j + 5)
          local lo = hex2 and #hex2 == 4 and not find(hex2, '%X') and tonumber(hex2, 16)
          if not lo or lo < 0xDC00 or lo > 0xDFFF then perror(s, what, j0, 'invalid unicode escape code') end
          cp = 0x10000 + (cp - 0xD800) * 1024 + (lo - 0xDC00)
          j = j + 6
        elseif cp >= 0xDC00 and cp <= 0xDFFF then
          perror(s, what, j0, 'invalid unicode escape code')
        end
        parts[#parts + 1] = utf8(cp)
      else
        perror(s, what, j, 'invalid escape code')
      end
    end
  end

  local function invalid_number(s, i)
    local p = i
    local c = sub(s, p, p)
    if c == '+' then return true end
    if c == '-' then p = p + 1; c = sub(s, p, p) end
    if c == '0' then
      local c2 = sub(s, p + 1, p + 1)
      return c2 == 'x' or c2 == 'X' or find(c2, '^%d') ~= nil
    elseif find(c, '^%d') then
      return false
    end
    local w = sub(s, p, p + 2):lower()
    return w == 'inf' or w == 'nan'
  end

  -- the longest prefix strtod would read, and its value
  local function scan_number(s, i)
    local cands = {
      '^[-+]?0[xX]%x+', '^[-+]?%d+%.?%d*[eE][-+]?%d+', '^[-+]?%.%d+[eE][-+]?%d+',
      '^[-+]?%d+%.?%d*', '^[-+]?%.%d+',
    }
    local best
    for _, pat in ipairs(cands) do
      local a, b = find(s, pat, i)
      if a and (not best or b > best) then best = b end
    end
    if best then
      local txt = sub(s, i, best)
      local v = tonumber(txt)
      if v == nil and txt:find('^%-0[xX]') then v = -tonumber(txt:sub(2)) end
      if v == nil and txt:find('^%+') then v = tonumber(txt:sub(2)) end
      if v == nil then v = tonumber((txt:gsub('%.$', ''))) end
      if v ~= nil then return v, best + 1 end
    end
    local sign, rest = 1, i
    local c = sub(s, i, i)
    if c == '-' or c == '+' then sign = c == '-' and -1 or 1; rest = i + 1 end
    local low = sub(s, rest, rest + 7):lower()
    if low == 'infinity' then return sign * huge, rest + 8 end
    if sub(low, 1, 3) == 'inf' then return sign * huge, rest + 3 end
    if sub(low, 1, 3) == 'nan' then return 0 / 0, rest + 3 end
    return nil
  end

  local parse_value
  local function parse_number(s, i, what)
    if not cfg.decode_invalid and invalid_number(s, i) then perror(s, what, i, 'invalid number') end
    local v, j = scan_number(s, i)
    if v == nil then perror(s, what, i, 'invalid number') end
    return v, j
  end

  local function parse_array(s, i, depth)
    depth = depth + 1
    if depth > cfg.decode_max_depth then
      error(format('Found too many nested data structures (%d) at character %d', depth, i), 0)
    end
    local t, n = {}, 0
    local j = skip(s, i + 1)
    if sub(s, j, j) == ']' then return t, j + 1 end
    while true do
      local v
      v, j = parse_value(s, j, depth, 'value')
      n = n + 1
      t[n] = v
      j = skip(s, j)
      local c = sub(s, j, j)
      if c == ']' then return t, j + 1 end
      if c ~= ',' then perror(s, 'comma or array end', j, token_name(s, j)) end
      j = skip(s, j + 1)
    end
  end

  local function parse_object(s, i, depth)
    depth = depth + 1
    if depth > cfg.decode_max_depth then
      error(format('Found too many nested data structures (%d) at character %d', depth, i), 0)
    end
    local t = {}
    local j = skip(s, i + 1)
    if sub(s, j, j) == '}' then return t, j + 1 end
    while true do
      if sub(s, j, j) ~= '"' then perror(s, 'object key string', j, token_name(s, j)) end
      local k
      k, j = parse_string(s, j, 'object key string')
      j = skip(s, j)
      if sub(s, j, j) ~= ':' then perror(s, 'colon', j, token_name(s, j)) end
      j = skip(s, j + 1)
      local v
      v, j = parse_value(s, j, depth, 'value')
      t[k] = v
      j = skip(s, j)
      local c = sub(s, j, j)
      if c == '}' then return t, j + 1 end
      if c ~= ',' then perror(s, 'comma or object end', j, token_name(s, j)) end
      j = skip(s, j + 1)
    end
  end

  parse_value = function(s, i, depth, what)
    local c = sub(s, i, i)
    if c == '{' then return parse_object(s, i, depth)
    elseif c == '[' then return parse_array(s, i, depth)
    elseif c == '"' then return parse_string(s, i, what)
    elseif c == '-' or find(c, '^%d') then return parse_number(s, i, what)
    elseif sub(s, i, i + 3) == 'true' then return true, i + 4
    elseif sub(s, i, i + 4) == 'false' then return false, i + 5
    elseif sub(s, i, i + 3) == 'null' then return null, i + 4
    end
    if cfg.decode_invalid then
      local w = sub(s, i, i + 2):lower()
      if w == 'inf' or w == 'nan' or c == '+' then return parse_number(s, i, what) end
    end
    perror(s, what, i, token_name(s, i))
  end

  local function decode(s)
    local i = skip(s, 1)
    local v, j = parse_value(s, i, 0, 'value')
    j = skip(s, j)
    if j <= #s then perror(s, 'the end', j, token_name(s, j)) end
    return v
  end

  function M.decode(...)
    if select('#', ...) ~= 1 then error("bad argument #1 to 'decode' (expected 1 argument)", 2) end
    local s = ...
    if type(s) == 'number' then s = tostring(s) end
    if type(s) ~= 'string' then
      error("bad argument #1 to 'decode' (string expected, got " .. type(s) .. ")", 2)
    end
    local ok, v = pcall(decode, s)
    if not ok then error(v, 2) end
    return v
  end

  ---------------------------------------------------------------- settings
  local function bool_setting(name, key, allow_null)
    M[name] = function(v)
      if v ~= nil then
        if type(v) == 'boolean' or (allow_null and v == 'null') then cfg[key] = v
        elseif v == 'on' or v == 'off' then cfg[key] = (v == 'on')
        else argerror(1, name, "invalid option '" .. tostring(v) .. "'") end
      end
      return cfg[key]
    end
  end
  bool_setting('encode_invalid_numbers', 'encode_invalid', true)
  bool_setting('decode_invalid_numbers', 'decode_invalid')
  bool_setting('encode_keep_buffer', 'keep_buffer')

  local function int_setting(name, key, lo, hi)
    M[name] = function(v)
      if v ~= nil then
        if type(v) ~= 'number' or v ~= floor(v) or v < lo or v > hi then
          argerror(1, name, format('expected integer between %d and %d', lo, hi))
        end
        cfg[key] = v
        if key == 'precision' then cfg.fmt = '%.' .. v .. 'g' end
      end
      return cfg[key]
    end
  end
  int_setting('encode_max_depth', 'encode_max_depth', 1, 0x7fffffff)
  int_setting('decode_max_depth', 'decode_max_depth', 1, 0x7fffffff)
  int_setting('encode_number_precision', 'precision', 1, 14)
  cfg.fmt = '%.14g'

  function M.encode_sparse_array(convert, ratio, safe)
    if convert ~= nil then
      if type(convert) ~= 'boolean' and convert ~= 'on' and convert ~= 'off' then
        argerror(1, 'encode_sparse_array', "invalid option '" .. tostring(convert) .. "'")
      end
      cfg.sparse_convert = (convert == true or convert == 'on')
    end
    if ratio ~= nil then
      if type(ratio) ~= 'number' or ratio ~= floor(ratio) or ratio < 0 then
        argerror(2, 'encode_sparse_array', 'expected integer between 0 and 2147483647')
      end
      cfg.sparse_ratio = ratio
    end
    if safe ~= nil then
      if type(safe) ~= 'number' or safe ~= floor(safe) or safe < 0 then
        argerror(3, 'encode_sparse_array', 'expected integer between 0 and 2147483647')
      end
      cfg.sparse_safe = safe
    end
    return cfg.sparse_convert, cfg.sparse_ratio, cfg.sparse_safe
  end

  M.new = new
  return M
end

local cjson = new()
return cjson
