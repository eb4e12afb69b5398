-- torch.CmdLine: command-line options, arguments, help text and run logs, with
-- the behaviour (and output) of Torch7's CmdLine.
local CmdLine = torch.class('torch.CmdLine')

-- '-lr' and '--lr' are both stored under 'lr'
local function bare(key) return (key:match('^%-*(.*)$')) end

local function padded(s, width) return s .. string.rep(' ', width - #s) end

function CmdLine:__init(argseparator, keyseparator)
  self.argseparator = argseparator or ','
  self.keyseparator = keyseparator or '='
  self.options = {}
  self.arguments = {}
  self.helplines = {}
  self.dateformat = nil
  self.silentio = false
end

-- Torch prints the message between blank lines, then the help, and exits 1.
function CmdLine:error(msg)
  print('')
  io.stderr:write(msg)
  print('')
  self:help()
  os.exit(1)
end

function CmdLine:silent() self.silentio = true end

function CmdLine:addTime(name, format)
  format = format or '%Y-%m-%d %H:%M:%S'
  if type(format) ~= 'string' then error('Argument has to be string', 2) end
  self.dateformat = format .. (name ~= nil and ('[' .. name .. ']: ') or '')
end

function CmdLine:argument(key, help, argtype)
  local entry = {key = key, help = help, type = argtype}
  self.arguments[#self.arguments + 1] = entry
  self.helplines[#self.helplines + 1] = entry
end

function CmdLine:option(key, default, help, argtype)
  if default == nil then error('option ' .. key .. ' has no default value', 2) end
  argtype = argtype or type(default)
  if type(default) ~= argtype then error('option ' .. key .. ' has wrong default type value', 2) end
  local entry = {key = key, default = default, help = help, type = argtype}
  self.options[key] = entry
  self.helplines[#self.helplines + 1] = entry
end

function CmdLine:text(txt)
  txt = txt or ''
  assert(type(txt) == 'string')
  self.helplines[#self.helplines + 1] = txt
end

function CmdLine:default()
  local params = {}
  for key, opt in pairs(self.options) do params[bare(key)] = opt.default end
  return params
end

-- returns how many words of `arg` the option consumed
function CmdLine:__readOption__(params, arg, i)
  local key = arg[i]
  local opt = self.options[key]
  if not opt then self:error('unknown option ' .. key) end
  if opt.type == 'boolean' then
    params[bare(key)] = not opt.default
    return 1
  end
  local value = arg[i + 1]
  if not value then self:error('missing argument for option ' .. key) end
  if opt.type == 'number' then
    value = tonumber(value)
  elseif opt.type and opt.type ~= 'string' then
    self:error('unknown required option type ' .. opt.type)
  end
  if not value then self:error('invalid type for option ' .. key .. ' (should be ' .. opt.type .. ')') end
  params[bare(key)] = value
  return 2
end

function CmdLine:__readArgument__(params, arg, i, n)
  local value = arg[i]
  local spec = self.arguments[n]
  if n > #self.arguments then self:error('invalid argument: ' .. value) end
  if spec.type and type(value) ~= spec.type then
    self:error('invalid argument type for argument ' .. spec.key .. ' (should be ' .. spec.type .. ')')
  end
  params[bare(spec.key)] = value
  return 1
end

function CmdLine:parse(arg)
  local params = self:default()
  local i, nargs = 1, 0
  while i <= #arg do
    local word = arg[i]
    if word == '-help' or word == '-h' or word == '--help' then
      self:help(arg)
      os.exit(0)
    end
    if self.options[word] then
      i = i + self:__readOption__(params, arg, i)
    else
      nargs = nargs + 1
      i = i + self:__readArgument__(params, arg, i, nargs)
    end
  end
  if nargs ~= #self.arguments then self:error('not enough arguments') end
  return params
end

-- A name for a run made of the arguments and the non-default options (Torch
-- also prints each differing option; scripts' logs show those lines).
function CmdLine:string(prefix, params, ignore)
  prefix = prefix or ''
  local args, opts = {}, {}
  for k, v in pairs(params) do
    local opt = self.options['-' .. k]
    if ignore[k] then
      print('-- ignore option ' .. k)
    elseif opt then
      if v ~= opt.default or ignore[k] == false then
        if type(v) == 'boolean' then v = v and 't' or 'f' end
        opts[#opts + 1] = k .. self.keyseparator .. v
        print(k, v, opt.default)
      end
    else
      local pos
      for n, spec in ipairs(self.arguments) do
        if bare(spec.key) == k then pos = n end
      end
      if pos then
        args[pos] = k .. self.keyseparator .. v
      else
        print('WARNING: unknown option/argument: ' .. k .. ' IGNORING for DIRECTORY NAME')
      end
    end
  end
  table.sort(opts)
  local s = table.concat(args, self.argseparator)
  local o = table.concat(opts, self.argseparator)
  if s == '' then s = o else s = s .. self.argseparator .. o end
  if s == '' then return prefix end
  return prefix .. self.argseparator .. s
end

-- From here on, print() also writes to `file` (Torch replaces the global print).
local previous_print
function CmdLine:log(file, params)
  local f = (io.type(file) == 'file' and file) or io.open(file, 'w')
  previous_print = previous_print or print
  local cmd = self
  function print(...)
    local n = select('#', ...)
    local vals = {...}
    if not cmd.silentio then previous_print(...) end
    local parts = {}
    if cmd.dateformat then parts[#parts + 1] = os.date(cmd.dateformat) end
    for i = 1, n do parts[#parts + 1] = tostring(vals[i]) end
    parts[#parts + 1] = '\n'
    f:write(table.concat(parts, ' '))
    f:flush()
  end
  print('[program started on ' .. os.date() .. ']')
  print('[command line arguments]')
  if params then
    for k, v in pairs(params) do print(k, v) end
  end
  print('[----------------------]')
end

function CmdLine:help(arg)
  io.write('Usage: ')
  if arg then io.write(arg[0] .. ' ') end
  io.write('[options]')
  for _, spec in ipairs(self.arguments) do io.write(' <' .. bare(spec.key) .. '>') end
  io.write('\n')
  local width = 0
  for _, line in ipairs(self.helplines) do
    if type(line) == 'table' then
      local w = line.default ~= nil and #line.key or #bare(line.key) + 2
      if w > width then width = w end
    end
  end
  for _, line in ipairs(self.helplines) do
    if type(line) == 'table' then
      io.write('  ')
      if line.default ~= nil then
        io.write(padded(line.key, width))
        if line.help then io.write(' ' .. line.help) end
        io.write(' [' .. tostring(line.default) .. ']')
      else
        io.write(padded('<' .. bare(line.key) .. '>', width))
        if line.help then io.write(' ' .. line.help) end
      end
    else
      io.write(line)
    end
    io.write('\n')
  end
end
