-- pl.path: path manipulation (os.path-like) on top of lfs.
local utils = require 'pl.utils'
local lfs = require 'lfs'
local assert_string = utils.assert_string

local path = {}
path.is_windows = utils.is_windows
path.sep = path.is_windows and '\\' or '/'
path.dirsep = path.is_windows and ';' or ':'

path.currentdir = lfs.currentdir
path.chdir = lfs.chdir
path.mkdir = lfs.mkdir
path.rmdir = lfs.rmdir
path.attrib = lfs.attributes
path.link_attrib = lfs.symlinkattributes
path.dir = lfs.dir

local function attr(P, name) return lfs.attributes(P, name) end

function path.isdir(P) assert_string(1, P); return attr(P, 'mode') == 'directory' end
function path.isfile(P) assert_string(1, P); return attr(P, 'mode') == 'file' end
function path.islink(P)
  assert_string(1, P)
  return lfs.symlinkattributes(P, 'mode') == 'link'
end
function path.getsize(P) assert_string(1, P); return attr(P, 'size') end
function path.exists(P)
  assert_string(1, P)
  return attr(P, 'mode') ~= nil and P
end
function path.getatime(P) assert_string(1, P); return attr(P, 'access') end
function path.getmtime(P) assert_string(1, P); return attr(P, 'modification') end
function path.getctime(P) assert_string(1, P); return attr(P, 'change') end

local function at(s, i) return s:sub(i, i) end

function path.splitpath(P)
  assert_string(1, P)
  local i = #P
  while i > 0 and at(P, i) ~= '/' do i = i - 1 end
  if i == 0 then return '', P end
  return P:sub(1, i - 1), P:sub(i + 1)
end

function path.abspath(P, pwd)
  assert_string(1, P)
  if pwd then assert_string(2, pwd) end
  if not path.isabs(P) then P = path.join(pwd or lfs.currentdir(), P) end
  return path.normpath(P)
end

function path.splitext(P)
  assert_string(1, P)
  local i = #P
  while i > 0 do
    local c = at(P, i)
    if c == '/' then break end
    if c == '.' then
      -- a leading dot names a hidden file, not an extension
      if i == 1 or at(P, i - 1) == '/' then break end
      return P:sub(1, i - 1), P:sub(i)
    end
    i = i - 1
  end
  return P, ''
end

function path.dirname(P) assert_string(1, P); local d = path.splitpath(P); return d end
function path.basename(P) assert_string(1, P); local _, b = path.splitpath(P); return b end
function path.extension(P) assert_string(1, P); local _, e = path.splitext(P); return e end

function path.isabs(P)
  assert_string(1, P)
  return at(P, 1) == '/'
end

function path.join(p1, p2, ...)
  assert_string(1, p1)
  assert_string(2, p2)
  if select('#', ...) > 0 then
    local p = path.join(p1, p2)
    return path.join(p, ...)
  end
  if path.isabs(p2) then return p2 end
  local endc = at(p1, #p1)
  if endc ~= '/' and endc ~= '' then p1 = p1 .. '/' end
  return p1 .. p2
end

function path.normcase(P) assert_string(1, P); return P end

function path.normpath(P)
  assert_string(1, P)
  if P == '' then return '.' end
  local anchor = ''
  if P:find('^//') and not P:find('^///') then anchor = '//'
  elseif at(P, 1) == '/' then anchor = '/' end
  local parts = {}
  for part in P:gmatch('[^/]+') do
    if part == '..' then
      if #parts > 0 and parts[#parts] ~= '..' then parts[#parts] = nil
      else parts[#parts + 1] = '..' end
    elseif part ~= '.' then
      parts[#parts + 1] = part
    end
  end
  local res = anchor .. table.concat(parts, '/')
  if res == '' then res = '.' end
  return res
end

function path.relpath(P, start)
  assert_string(1, P)
  if start then assert_string(2, start) end
  P = path.abspath(P)
  start = path.abspath(start or lfs.currentdir())
  local a, b = utils.split(P, '/'), utils.split(start, '/')
  local n = 0
  for i = 1, math.min(#a, #b) do
    if a[i] ~= b[i] then break end
    n = i
  end
  if n == #a and n == #b then return '' end
  local rel = {}
  for _ = n + 1, #b do rel[#rel + 1] = '..' end
  for i = n + 1, #a do rel[#rel + 1] = a[i] end
  return table.concat(rel, '/')
end

function path.expanduser(P)
  assert_string(1, P)
  if at(P, 1) ~= '~' then return P end
  local home = os.getenv('HOME')
  if not home then return utils.raise("failed to expand '~' (HOME not set)") end
  return home .. P:sub(2)
end

function path.tmpname()
  local res = os.tmpname()
  return res
end

function path.common_prefix(path1, path2)
  assert_string(1, path1)
  assert_string(2, path2)
  if #path1 > #path2 then path1, path2 = path2, path1 end
  for i = 1, #path1 do
    if at(path1, i) ~= at(path2, i) then
      local cp = path1:sub(1, i - 1)
      if at(path1, i - 1) ~= '/' then cp = path.dirname(cp) end
      return cp
    end
  end
  if at(path2, #path1 + 1) ~= '/' and #path2 > #path1 then return path.dirname(path1) end
  return path1
end

function path.package_path(mod)
  assert_string(1, mod)
  local res, err = package.searchpath(mod, package.path)
  if res then return res, true end
  res = package.searchpath(mod, package.cpath)
  if res then return res, false end
  return utils.raise('cannot find module on path\n' .. err)
end

return path
