-- What `th` (torch/trepl) sets up before running a script: its print, which
-- pretty-prints tables and ends plain values with a tab, the preloaded
-- packages as globals, and colours only on a terminal.
pcall(require, 'torch')
pcall(require, 'paths')
pcall(require, 'sys')
pcall(require, 'xlua')

local colors = require 'trepl.colors'
local col = require 'trepl.colorize'

local trepl = {}

if not print_old then print_old = print end

local function short_type(x)
  return (torch.typename(x):match('torch%.(.+)'))
end

-- "DoubleTensor - size: 2x3", "DoubleTensor - empty", "LongStorage - size: 2"
local function sizestr(x)
  local tname = torch.typename(x)
  if tname:find('torch.*Storage') then
    return short_type(x) .. ' - size: ' .. x:size()
  end
  local nd = x:nDimension()
  if nd == 0 then return short_type(x) .. ' - empty' end
  local dims = {}
  for i = 1, nd do dims[i] = x:size(i) end
  return short_type(x) .. ' - size: ' .. table.concat(dims, 'x')
end
trepl.sizestr = sizestr

local function describe_userdata(obj)
  local tp = torch.typename(obj) or ''
  if tp:find('torch.*Tensor') or tp:find('torch.*Storage') then return sizestr(obj) end
  return tostring(obj)
end

local function colorize(obj, nested)
  local t = type(obj)
  if obj == nil then return col.Black('nil')
  elseif t == 'number' then return col.cyan(tostring(obj))
  elseif t == 'boolean' then return col.blue(tostring(obj))
  elseif t == 'string' then
    if nested then return col.Black('"') .. col.green(obj) .. col.Black('"') end
    return col.none(obj)
  elseif t == 'function' then return col.magenta(tostring(obj))
  elseif t == 'userdata' or t == 'cdata' then
    local s = describe_userdata(obj)
    if s == '' then s = tostring(obj) end
    return col.red(s)
  elseif t == 'table' then return col.green(tostring(obj))
  end
  return col._black(tostring(obj))
end
trepl.colorize = colorize

local maxdepth = 4   -- setprintlevel(5): tables nest 4 levels before {...}

local function writeln(s)
  io.write(tostring(s or '') .. '\n')
  io.flush()
end

local function print_table(t, depth)
  local indent = depth * 4
  local function line(s)
    io.write(string.rep(' ', indent))
    writeln(s)
  end
  if next(t) == nil then
    line('{}')
    return
  end
  line('{')
  indent = indent + 2
  for k, v in pairs(t) do
    if type(v) == 'table' then
      if depth >= maxdepth or next(v) == nil then
        line(tostring(k) .. ' : {...}')
      else
        line(tostring(k) .. ' : ')
        print_table(v, depth + 1)
      end
    else
      line(tostring(k) .. ' : ' .. colorize(v, true))
    end
  end
  indent = indent - 2
  line('}')
end

function print_new(...)
  local n = select('#', ...)
  for i = 1, n do
    local obj = select(i, ...)
    local t = type(obj)
    if t == 'table' then
      local mt = getmetatable(obj)
      if mt and mt.__tostring then writeln(obj) else print_table(obj, 0) end
    elseif t == 'userdata' or t == 'cdata' then
      writeln(obj)
    else
      io.write(colorize(obj) .. '\t')
      if i == n then writeln() end
    end
  end
end

function setprintlevel(n)
  if n == nil or n < 0 then error('expected number [0,+)', 2) end
  n = math.floor(n)
  maxdepth = n - 1
  if n == 0 then print = print_old else print = print_new end
end

-- colours only when stdout is a terminal
function trepl.set_colors(on)
  if not on then
    for k in pairs(colors) do colors[k] = '' end
  end
end

trepl.print = print_new
setprintlevel(5)
return trepl
