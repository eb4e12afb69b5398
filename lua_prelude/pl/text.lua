-- pl.text: indent/dedent/wrap/fill, string.Template-style substitution, and the
-- `%` operator on strings ('%d items' % 5, '%s=%s' % {k, v}).
local utils = require 'pl.utils'
local List = require 'pl.List'
local text = {}

local function lstrip(s) return (s:gsub('^%s+', '')) end
local function strip(s) return (s:gsub('^%s+', ''):gsub('%s+$', '')) end

function text.indent(s, n, ch)
  utils.assert_arg(1, s, 'string')
  local pad = (ch or ' '):rep(n)
  local lines = {}
  for line in (s .. (s:find('\n$') and '' or '\n')):gmatch('([^\n]*)\n') do lines[#lines + 1] = pad .. line end
  return table.concat(lines, '\n') .. '\n'
end

function text.dedent(s)
  utils.assert_arg(1, s, 'string')
  local lines = {}
  for line in (s .. (s:find('\n$') and '' or '\n')):gmatch('([^\n]*)\n') do lines[#lines + 1] = line end
  local common
  for _, l in ipairs(lines) do
    if l:find('%S') then
      local lead = l:match('^%s*')
      if not common or #lead < #common then common = lead end
    end
  end
  common = common or ''
  for i, l in ipairs(lines) do lines[i] = l:sub(#common + 1) end
  return table.concat(lines, '\n') .. '\n'
end

function text.wrap(s, width)
  utils.assert_arg(1, s, 'string')
  width = width or 70
  s = s:gsub('\n', ' ')
  local i, nxt = 1
  local lines = {}
  s = strip(s)
  while i < #s do
    nxt = i + width
    if s:find('[%w\']', nxt) then
      while nxt > i and s:sub(nxt, nxt):find('[%w\']') do nxt = nxt - 1 end
    end
    local line = s:sub(i, nxt)
    lines[#lines + 1] = strip(line)
    i = nxt + 1
  end
  return List(lines)
end

function text.fill(s, width)
  return table.concat(text.wrap(s, width), '\n') .. '\n'
end

local Template = {}
text.Template = Template
Template.__index = Template
setmetatable(Template, {__call = function(obj, tmpl) return Template.new(tmpl) end})

function Template.new(tmpl)
  utils.assert_arg(1, tmpl, 'string')
  return setmetatable({tmpl = tmpl}, Template)
end

local function subst(s, tbl, safe)
  local function get(name, whole)
    local v = tbl[name]
    if v == nil then
      if safe then return whole end
      error('not present in table ' .. name, 4)
    end
    return tostring(v)
  end
  s = s:gsub('%$%$', '\1')
  s = s:gsub('(%${([%w_]+)})', function(whole, name) return get(name, whole) end)
  s = s:gsub('(%$([%a_][%w_]*))', function(whole, name) return get(name, whole) end)
  return (s:gsub('\1', '$'))
end

function Template:substitute(tbl)
  utils.assert_arg(1, tbl, 'table')
  return subst(self.tmpl, tbl, false)
end
function Template:safe_substitute(tbl)
  utils.assert_arg(1, tbl, 'table')
  return subst(self.tmpl, tbl, true)
end
function Template:indent_substitute(tbl)
  local out = {}
  for line in (self.tmpl .. '\n'):gmatch('([^\n]*)\n') do
    local indent, name = line:match('^(%s*)%$([%a_][%w_]*)%s*$')
    if name and type(tbl[name]) == 'table' then
      local v = tbl[name]
      local sub = {}
      for _, l in ipairs(v) do sub[#sub + 1] = indent .. l end
      out[#out + 1] = table.concat(sub, '\n')
    elseif name and type(tbl[name]) == 'string' and tbl[name]:find('\n') then
      out[#out + 1] = text.indent(tbl[name], #indent):gsub('\n$', '')
    else
      out[#out + 1] = subst(line, tbl, false)
    end
  end
  return table.concat(out, '\n')
end

local format = string.format
function text.format_operator()
  local function formatx(fmt, ...)
    local args = {...}
    local n = select('#', ...)
    local i = 0
    -- %s takes anything (through tostring), as Python's % does
    for p in fmt:gmatch('%%.') do
      if p == '%%' then
      else
        i = i + 1
        if p == '%s' and type(args[i]) ~= 'string' then args[i] = tostring(args[i]) end
      end
    end
    return format(fmt, unpack(args, 1, math.max(n, i)))
  end
  local function basic_subst(s, t)
    return (s:gsub('%$([%w_]+)', t))
  end
  getmetatable('').__mod = function(a, b)
    if b == nil then return a end
    if type(b) == 'table' and getmetatable(b) == nil then
      if #b == 0 and next(b) ~= nil then  -- named: '$name' % {name = ...}
        return basic_subst(a, b)
      end
      return formatx(a, unpack(b))
    elseif type(b) == 'function' then
      return basic_subst(a, b)
    end
    return formatx(a, b)
  end
end

return text
