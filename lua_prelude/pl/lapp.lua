-- pl.lapp: command-line arguments parsed from the usage text itself.
--   -v,--verbose            a boolean flag
--   -n,--count (number)     a typed option (required unless it has a default)
--   -o (default out.txt)    type taken from the default
--   <input> (string)        a positional argument; <files...> takes the rest
local lapp = {}
local append = table.insert

lapp.callback = nil
lapp.add_type_list = {}
local open_files = {}

-- quit(msg): "script: message", a blank line, then the usage text (script = arg[0]'s
-- name), on stderr, exit status 1; quit() (as -h does) shows just the usage
local function quit(msg, no_usage)
  local prog = (arg and arg[0] or 'lua'):gsub('.+[\\/]', ''):gsub('%.%w+$', '')
  if no_usage == 'throw' then error(msg) end
  if msg then io.stderr:write(prog .. ': ' .. msg .. '\n\n') end
  if not no_usage and lapp._usage then
    io.stderr:write(lapp._usage, lapp._usage:find('\n$') and '' or '\n')
  end
  os.exit(1)
end
lapp.quit = quit
function lapp.error(msg, no_usage) quit(msg, no_usage) end

function lapp.open(file, opt)
  local val, err = io.open(file, opt)
  if not val then lapp.error(err, true) end
  append(open_files, val)
  return val
end

function lapp.assert(condn, msg) if not condn then lapp.error(msg) end end

local function range_check(x, min, max, parm)
  lapp.assert(min <= x and max >= x, parm .. ' out of range')
end

local types = {}
function lapp.add_type(name, converter, constraint)
  types[name] = {converter = converter, constraint = constraint}
end

local function convert(ps, val, parm)
  local tp = ps.type
  if tp == 'number' then
    local v = tonumber(val)
    if v == nil then lapp.error("unable to convert to number: " .. tostring(val)) end
    val = v
  elseif tp == 'integer' then
    local v = tonumber(val)
    if v == nil or v ~= math.floor(v) then lapp.error("unable to convert to integer: " .. tostring(val)) end
    val = v
  elseif tp == 'file-in' or tp == 'file' then
    if val == 'stdin' then val = io.stdin else val = lapp.open(val, 'r') end
  elseif tp == 'file-out' then
    if val == 'stdout' then val = io.stdout elseif val == 'stderr' then val = io.stderr
    else val = lapp.open(val, 'w') end
  elseif tp == 'boolean' then
    if type(val) == 'string' then val = (val == 'true' or val == '1' or val == 'yes') end
  elseif tp == 'enum' then
    local ok = false
    for _, e in ipairs(ps.enum) do if e == val then ok = true end end
    if not ok then lapp.error(("%s not in {%s}"):format(tostring(val), table.concat(ps.enum, '|'))) end
  elseif types[tp] then
    val = types[tp].converter(val)
    if types[tp].constraint then types[tp].constraint(val) end
  end
  if ps.range then range_check(val, ps.range[1], ps.range[2], parm) end
  return val
end

local function parse_spec(spec, ps)
  -- spec is what is inside the parentheses
  local words = {}
  for w in spec:gmatch('%S+') do words[#words + 1] = w end
  local i = 1
  if words[i] == 'optional' then ps.optional = true; i = i + 1 end
  if words[i] == 'default' then
    local def = spec:match('default%s+(.+)$')
    def = def:gsub('^"(.*)"$', '%1'):gsub("^'(.*)'$", '%1')
    ps.default = def
    if not ps.type then
      if tonumber(def) then ps.type = 'number'
      elseif def == 'stdin' then ps.type = 'file-in'
      elseif def == 'stdout' or def == 'stderr' then ps.type = 'file-out'
      else ps.type = 'string' end
    end
    return
  end
  local w = words[i]
  if not w then return end
  local lo, hi = w:match('^(%-?[%d%.]+)%.%.(%-?[%d%.]+)$')
  if lo then
    ps.type = 'number'
    ps.range = {tonumber(lo), tonumber(hi)}
  elseif w:find('|', 1, true) then
    ps.type = 'enum'
    ps.enum = {}
    for e in w:gmatch('[^|]+') do ps.enum[#ps.enum + 1] = e end
  else
    ps.type = w
  end
  local rest = spec:match('default%s+(.+)$')
  if rest then ps.default = rest:gsub('^"(.*)"$', '%1'):gsub("^'(.*)'$", '%1') end
end

function lapp.process_options_string(str, args)
  local results = {}
  local parms, aliases, order = {}, {}, {}
  local varargs_name
  lapp._usage = str
  for line in (str .. '\n'):gmatch('([^\n]*)\n') do
    local shortf, longf, rest
    local l = line:gsub('^%s+', '')
    if l:sub(1, 1) == '-' then
      shortf, longf, rest = l:match('^%-(%w),%s*%-%-([%w_%-]+)(.*)$')
      if not shortf then longf, rest = l:match('^%-%-([%w_%-]+)(.*)$') end
      if not shortf and not longf then shortf, rest = l:match('^%-([%w])(.*)$') end
      if shortf or longf then
        local name = (longf or shortf):gsub('%-', '_')
        local ps = {name = name, flag = true}
        local spec = rest:match('^%s*%((.-)%)')
        if spec then parse_spec(spec, ps) else ps.type = 'boolean'; ps.default = false end
        parms[name] = ps
        if shortf then aliases[shortf] = name end
        if longf then aliases[longf] = name end
        aliases[name] = name
      end
    elseif l:sub(1, 1) == '<' then
      local pname, rest2 = l:match('^<([%w_%-%.]+)>(.*)$')
      if pname then
        local ps = {name = pname}
        if pname:find('%.%.%.$') then
          pname = pname:gsub('%.%.%.$', '')
          ps.name = pname
          ps.varargs = true
          varargs_name = pname
        end
        local spec = rest2:match('^%s*%((.-)%)')
        if spec then parse_spec(spec, ps) end
        ps.type = ps.type or 'string'
        parms[pname] = ps
        order[#order + 1] = ps
      end
    end
  end

  local positional = {}
  local i = 1
  local n = #args
  local set = {}
  while i <= n do
    local a = args[i]
    if (a == '-h' or a == '--help') and not aliases.h and not aliases.help then quit() end
    local long, val = a:match('^%-%-([%w_%-]+)=(.*)$')
    if not long then long = a:match('^%-%-([%w_%-]+)$') end
    local flags = {}
    if long then
      flags[1] = {long, val}
    elseif a:find('^%-%a') then
      local s = a:sub(2)
      local first = s:sub(1, 1)
      local pn = aliases[first]
      if pn and parms[pn].type ~= 'boolean' then
        flags[1] = {first, #s > 1 and s:sub(2) or nil}
      else
        for c in s:gmatch('.') do flags[#flags + 1] = {c} end
      end
    else
      positional[#positional + 1] = a
    end
    for _, fv in ipairs(flags) do
      local pname = aliases[fv[1]] or aliases[(fv[1]:gsub('%-', '_'))]
      if not pname then lapp.error('unrecognized parameter: ' .. fv[1]) end
      local ps = parms[pname]
      if ps.type == 'boolean' then
        results[pname] = true
      else
        local v = fv[2]
        if v == nil then
          i = i + 1
          v = args[i]
          if v == nil then lapp.error(pname .. ' was expecting a value') end
        end
        results[pname] = convert(ps, v, pname)
      end
      set[pname] = true
    end
    i = i + 1
  end

  local pi = 1
  for _, ps in ipairs(order) do
    if ps.varargs then
      local rest = {}
      while pi <= #positional do rest[#rest + 1] = convert(ps, positional[pi], ps.name); pi = pi + 1 end
      if #rest == 0 and ps.default ~= nil then rest[1] = convert(ps, ps.default, ps.name) end
      if #rest == 0 and not ps.optional and ps.default == nil then
        lapp.error('missing required parameter: ' .. ps.name)
      end
      results[ps.name] = rest
      set[ps.name] = true
    elseif positional[pi] ~= nil then
      results[ps.name] = convert(ps, positional[pi], ps.name)
      set[ps.name] = true
      pi = pi + 1
    end
  end
  if pi <= #positional and not varargs_name then
    -- extra arguments are kept in the array part
    for k = pi, #positional do results[#results + 1] = positional[k] end
  end
  for name, ps in pairs(parms) do
    if not set[name] then
      if ps.default ~= nil then
        if ps.type == 'boolean' then results[name] = ps.default
        else results[name] = convert(ps, ps.default, name) end
      elseif not ps.optional then
        lapp.error('missing required parameter: ' .. name)
      end
    end
  end
  return results
end

setmetatable(lapp, {__call = function(tbl, str, args) return lapp.process_options_string(str, args or arg or {}) end})
return lapp
