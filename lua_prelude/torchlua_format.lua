-- string.format as Torch7's LuaJIT (2.1.0-beta3) printed numbers.
--
-- Both LuaJITs print the exact decimal value of a double, but they round an exact
-- tie differently: Torch7's goes away from zero ('%.1f' of 0.25 is "0.3", '%.0f'
-- of 2.5 is "3"), the LuaJIT torchlua embeds goes to even ("0.2", "2").  Ties are
-- common in what scripts print (an accuracy of c/4 or c/8 with '%.1f', a loss of
-- 0.125 with '%.2f'), so string.format is wrapped: when a float conversion's value
-- is an exact tie that went down, its last printed digit is raised by one.
--
-- A tie can only come from a dyadic fraction whose decimal expansion ends just past
-- the printed precision, so the check is exact: the double's digits are printed in
-- full (it has as many fractional digits as fractional bits).  Raising the kept
-- digit never carries: it went down only when it was even.  (Also works around a
-- bug of the embedded LuaJIT with '%f' of tiny numbers, below.)
local format = string.format
local frexp, floor, log10 = math.frexp, math.floor, math.log10
local tonumber, tostring, type, select = tonumber, tostring, type, select
local sub, find, byte, char, gsub = string.sub, string.find, string.byte, string.char, string.gsub

local ZERO, NINE = byte('0'), byte('9')

-- x > 0 finite: how many fractional binary digits it has (<= 0 for an integer);
-- its exact decimal expansion has as many fractional digits, the last one a 5
local function frac_bits(x)
  local mant, ex = frexp(x)
  local bits, frac = mant * 2 ^ 53, 53 - ex
  while frac > 0 and bits % 2 == 0 do
    bits, frac = bits * 0.5, frac - 1
  end
  return frac
end

-- x's exact significant digits (without leading zeros, nor an integer's trailing ones)
local function exact_digits(x, frac)
  if frac <= 0 then return (gsub(format('%.0f', x), '0+$', '')) end
  return (gsub(gsub(format('%.' .. frac .. 'f', x), '%.', ''), '^0+', ''))
end

-- the kept digit (as a byte) when x printed with `conv` at precision `prec` is an
-- exact tie, else nil
local function tie_digit(conv, prec, x)
  if x ~= x or x == 0 or x == 1 / 0 or x == -1 / 0 then return nil end
  if x < 0 then x = -x end
  local fixed = conv == 'f' or conv == 'F'
  local sig = prec   -- significant digits printed by %e/%g
  if conv == 'e' or conv == 'E' then sig = prec + 1 elseif sig == 0 then sig = 1 end
  -- cheap exclusions first (tostring goes through here for every number): an
  -- integer has no fractional digit to tie on, and ties under %e/%g only when it
  -- has more than sig digits
  if x % 1 == 0 and (fixed or x < 10 ^ sig) then return nil end
  local frac = frac_bits(x)
  if fixed then
    -- the tie is the last fractional digit (a 5), one past the precision
    if frac ~= prec + 1 then return nil end
    local ds = exact_digits(x, frac)
    return byte(ds, #ds - 1) or ZERO   -- "0.5" has no kept digit left of it: 0
  end
  -- a tie needs exactly sig + 1 significant digits
  if frac > 0 then
    local est = frac + floor(log10(x)) + 1
    if est < sig or est > sig + 2 or frac > 99 then return nil end
  end
  local ds = exact_digits(x, frac)
  if #ds ~= sig + 1 or byte(ds, -1) ~= byte('5') then return nil end
  return byte(ds, sig)
end

-- raise the last digit of the number's significant part in a formatted piece
local function raise_last_digit(s, conv)
  local stop = #s
  if conv == 'e' or conv == 'E' or conv == 'g' or conv == 'G' then
    local e = find(s, '[eE][-+]')
    if e then stop = e - 1 end
  end
  for i = stop, 1, -1 do
    local b = byte(s, i)
    if b >= ZERO and b <= NINE then
      return sub(s, 1, i - 1) .. char(b + 1) .. sub(s, i + 1)
    end
  end
  return s
end

-- The embedded LuaJIT prints '%f' of numbers below about 1e-153 as garbage digits;
-- any |x| < 1e-100 prints as zeros at the largest precision format allows, so such
-- a value is printed as a zero of its sign.
local TINY, NEG_ZERO = 1e-100, -1 / math.huge

local function tiny_fixed(conv, x)
  return (conv == 'f' or conv == 'F') and x ~= 0 and x > -TINY and x < TINY
end

local SPEC = '%%([-+ #0]*)(%d*)(%.?)(%d*)(.)'
local FLOAT = {e = true, E = true, f = true, F = true, g = true, G = true}

-- what a float conversion of v needs: 'tiny' (print a signed zero), 'raise' (an
-- exact tie the embedded LuaJIT rounds down), or nil; and v as a number
local function fix_of(conv, dot, prec, v)
  local x = tonumber(v)
  if not x then return nil end
  if tiny_fixed(conv, x) then return 'tiny', x end
  local kept = tie_digit(conv, dot == '' and 6 or (tonumber(prec) or 0), x)
  if kept and (kept - ZERO) % 2 == 0 then return 'raise', x end
  return nil, x
end

-- the pieces of fmt with each conversion formatted alone, ties fixed
local function rebuild(fmt, ...)
  local out, pos, argi = {}, 1, 0
  while true do
    local s, e, flags, width, dot, prec, conv = find(fmt, SPEC, pos)
    if not s then break end
    out[#out + 1] = gsub(sub(fmt, pos, s - 1), '%%%%', '%%')
    if conv == '%' then
      out[#out + 1] = '%'
    else
      argi = argi + 1
      local v = select(argi, ...)
      local fix, x
      if FLOAT[conv] then fix, x = fix_of(conv, dot, prec, v) end
      local piece
      if fix == 'tiny' then
        piece = format(sub(fmt, s, e), x < 0 and NEG_ZERO or 0)
      else
        piece = format(sub(fmt, s, e), v)
        if fix == 'raise' then piece = raise_last_digit(piece, conv) end
      end
      out[#out + 1] = piece
    end
    pos = e + 1
  end
  out[#out + 1] = gsub(sub(fmt, pos), '%%%%', '%%')
  return table.concat(out)
end

local function needs_fix(fmt, ...)
  local pos, argi = 1, 0
  local n = select('#', ...)
  while true do
    local s, e, flags, width, dot, prec, conv = find(fmt, SPEC, pos)
    if not s then return false end
    if conv ~= '%' then
      argi = argi + 1
      if argi > n then return false end
      if FLOAT[conv] and fix_of(conv, dot, prec, (select(argi, ...))) then return true end
    end
    pos = e + 1
  end
end

local function fixed_format(fmt, ...)
  -- anything odd (not a string, bad arguments) goes to the real format, whose error
  -- then names the script's line (a tail call leaves no frame of this file)
  if type(fmt) ~= 'string' or not find(fmt, '%%[-+ #0]*%d*%.?%d*[eEfFgG]')
     or not needs_fix(fmt, ...) or not pcall(format, fmt, ...) then
    return format(fmt, ...)
  end
  return rebuild(fmt, ...)
end

-- tostring (and so print, io.write, trepl) shows a number as '%.14g' does
local function fixed_tostring(v)
  if type(v) == 'number' then
    local kept = tie_digit('g', 14, v)
    if kept and (kept - ZERO) % 2 == 0 then return fixed_format('%.14g', v) end
  end
  return tostring(v)
end

-- c_format: the C library's rounding (ties to even), for code that was C in Torch7's
-- world (lua-cjson prints numbers with the C snprintf)
return {format = fixed_format, tostring = fixed_tostring, c_format = format}
