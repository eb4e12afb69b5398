-- pl.app: application helpers (script name, simple flag parsing, platform).
local utils = require 'pl.utils'
local path = require 'pl.path'
local app = {}

function app.script_name()
  if arg and arg[0] then return arg[0] end
  return utils.raise('no script name found')
end

function app.require_here(base)
  local p = path.dirname(app.script_name())
  if not path.isabs(p) then p = path.join(path.currentdir(), p) end
  if base then p = path.join(p, base) end
  package.path = p .. '/?.lua;' .. p .. '/?/init.lua;' .. package.path
end

function app.appfile(file)
  local sname = path.basename(app.script_name())
  local name = path.splitext(sname)
  local dir = path.join(os.getenv('HOME') or '.', '.' .. name)
  if not path.isdir(dir) then
    local ok, err = path.mkdir(dir)
    if not ok then return utils.raise(err) end
  end
  return path.join(dir, file)
end

function app.platform()
  if utils.is_windows then return 'Windows' end
  local f = io.popen('uname -s')
  local res = f and f:read('*l') or 'Linux'
  if f then f:close() end
  return res
end

function app.lua()
  local args = arg or {}
  local i = -1
  while args[i - 1] do i = i - 1 end
  return args[i], (args[i] or '')
end

-- parse_args(): flags {name=value or true} and the other arguments
function app.parse_args(args, flags_with_values, flags_valid)
  args = args or arg or {}
  local flags, i, res = {}, 1, {}
  flags_with_values = flags_with_values or {}
  while i <= #args do
    local a = args[i]
    local v = a:match('^%-(.*)')
    if v then
      v = v:gsub('^%-', '')
      local name, val = v:match('^([^=]+)=(.*)$')
      if not name then
        name = v
        if flags_with_values[name] then i = i + 1; val = args[i] else val = true end
      end
      if flags_valid and not flags_valid[name] then
        return utils.raise("unknown flag '" .. name .. "'")
      end
      flags[name] = val
    else
      res[#res + 1] = a
    end
    i = i + 1
  end
  return flags, res
end

return app
