-- paths: file-system helpers of Torch's `paths` package (concat, dirname, dir,
-- dofile relative to the calling file, ...), on the core's fs_* functions.
local C = require '_torchcore'

paths = paths or {}
local paths = paths

local function is_abs(p) return p:sub(1, 1) == '/' end

-- concat('a', 'b') is absolute: relative pieces start from the current directory.
function paths.concat(...)
  local n = select('#', ...)
  local path = C.fs_cwd()
  if n == 0 then return path end
  for i = 1, n do
    local p = select(i, ...)
    if type(p) ~= 'string' then error('bad argument #' .. i .. " to 'concat' (string expected)", 2) end
    if is_abs(p) then path = p
    elseif p ~= '' then path = path:gsub('/+$', '') .. '/' .. p end
  end
  -- normalised lexically as paths.c does: no "." parts, ".." takes the previous
  -- part away (nothing above the root), no repeated or trailing "/"
  if path:sub(1, 1) ~= '/' then return path end
  local parts = {}
  for part in path:gmatch('[^/]+') do
    if part == '..' then
      parts[#parts] = nil
    elseif part ~= '.' then
      parts[#parts + 1] = part
    end
  end
  return '/' .. table.concat(parts, '/')
end

function paths.cwd() return C.fs_cwd() end

function paths.dirname(p)
  if type(p) ~= 'string' then error("bad argument #1 to 'dirname' (string expected)", 2) end
  if p:match('^/+$') then return '/' end
  p = p:gsub('/+$', '')
  local d = p:match('^(.*)/[^/]*$')
  if d == nil then return '.' end
  if d == '' then return '/' end
  return d
end

function paths.basename(p, suffix)
  if type(p) ~= 'string' then error("bad argument #1 to 'basename' (string expected)", 2) end
  local b = p:gsub('/+$', ''):match('([^/]*)$')
  if suffix and b:sub(-#suffix) == suffix and #b > #suffix then
    b = b:sub(1, -#suffix - 1)
    if suffix:sub(1, 1) ~= '.' and b:sub(-1) == '.' then b = b:sub(1, -2) end
  end
  return b
end

function paths.extname(p)
  local b = paths.basename(p)
  local e = b:match('^.*%.([^%.]+)$')   -- ".bashrc" has the extension "bashrc" (th)
  return e
end

function paths.dirp(p) return type(p) == 'string' and C.fs_isdir(p) end
function paths.filep(p) return type(p) == 'string' and C.fs_isfile(p) end

function paths.dir(p)
  local s = C.fs_listdir(p)
  if s == nil then return nil end
  local t = {}
  for name in (s .. '\0'):gmatch('([^%z]*)%z') do t[#t + 1] = name end
  return t
end

-- true, or nil and the system's message
local function status(ok, msg)
  if ok then return true end
  return nil, msg
end
function paths.mkdir(p) return status(C.fs_mkdir(p)) end
function paths.rmdir(p) return status(C.fs_rmdir(p)) end
function paths.tmpname() return C.fs_tmpname() end
function paths.uname() return C.fs_uname() end
function paths.execdir() return C.fs_execdir() end
paths.install_prefix = C.prelude_root:match('(.*)/[^/]*$')
paths.home = os.getenv('HOME') or '.'

function paths.is_win() return paths.uname():match('Windows') end
function paths.is_mac() return paths.uname():match('Darwin') end

function paths.files(d, filter)
  local entries = paths.dir(d)
  if type(filter) == 'string' then
    local pattern = filter
    filter = function(f) return f:find(pattern) end
  elseif filter ~= nil and type(filter) ~= 'function' then
    error('Expecting optional arg 2 to be function or string. Got : ' .. torch.type(filter), 2)
  end
  filter = filter or function() return true end
  local i = 0
  return function()
    while entries do
      i = i + 1
      local f = entries[i]
      if f == nil then return nil end
      if filter(f) then return f end
    end
  end
end

function paths.iterdirs(d)
  return paths.files(d, function(f)
    return f ~= '.' and f ~= '..' and paths.dirp(paths.concat(d, f)) end)
end

function paths.iterfiles(d)
  return paths.files(d, function(f)
    return f ~= '.' and f ~= '..' and paths.filep(paths.concat(d, f)) end)
end

-- the file of the calling code (depth 2 = the caller of thisfile), made absolute
function paths.thisfile(arg, depth)
  local info = debug.getinfo(depth or 2, 'S')
  local s = info and info.source
  if type(s) ~= 'string' then s = nil
  elseif s:sub(1, 1) == '@' then s = paths.concat(s:sub(2))
  else s = nil end
  if type(arg) == 'string' then
    if s then s = paths.concat(paths.dirname(s), arg) else s = arg end
  end
  return s
end

-- dofile relative to the file that calls it
function paths.dofile(f, depth)
  local s = paths.thisfile(nil, 1 + (depth or 2))
  if s and s ~= '' then f = paths.concat(paths.dirname(s), f) end
  return dofile(f)
end

function paths.rmall(d, more)
  if more ~= 'yes' then return nil, "missing second argument ('yes')" end
  if paths.filep(d) then return os.remove(d) end
  if paths.dirp(d) then
    for f in paths.files(d) do
      if f ~= '.' and f ~= '..' then
        local ff = paths.concat(d, f)
        local ok, e = paths.rmall(ff, more)
        if not ok then return ok, e, ff end
      end
    end
    return paths.rmdir(d)
  end
  return nil, 'not a file or directory', d
end

function paths.findprogram(...)
  for _, exe in ipairs({...}) do
    for dir in (os.getenv('PATH') or '.'):gmatch('[^:]+') do
      local x = paths.concat(dir, exe)
      if paths.filep(x) then return x end
    end
  end
  return nil
end

-- paths.require loaded C libraries in Torch; here every package is Lua.
function paths.require(name) return require(name) end

return paths
