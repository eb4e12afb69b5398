-- lfs: LuaFileSystem's interface (attributes, dir, mkdir, chdir, touch, lock, ...)
-- on the core's lfs_* functions. Failures return nil, message, errno as LuaFileSystem does.
local C = require '_torchcore'

local lfs = {
  _VERSION = 'LuaFileSystem 1.8.0',
  _DESCRIPTION = 'LuaFileSystem is a Lua library developed to complement the set of functions related to file systems offered by the standard Lua distribution',
  _COPYRIGHT = 'see the LuaFileSystem license',
}

local FIELDS = {'mode', 'dev', 'ino', 'nlink', 'uid', 'gid', 'rdev', 'access',
                'modification', 'change', 'size', 'permissions', 'blocks', 'blksize'}
local FIELD_INDEX = {}
for i, k in ipairs(FIELDS) do FIELD_INDEX[k] = i end

local function checkstring(v, n, fname)
  if type(v) == 'number' then return tostring(v) end
  if type(v) ~= 'string' then
    error(("bad argument #%d to '%s' (string expected, got %s)"):format(n, fname, v == nil and 'no value' or type(v)), 3)
  end
  return v
end

local function attributes(fname, follow, path, request)
  path = checkstring(path, 1, fname)
  local r = {C.lfs_stat(path, follow)}
  if r[1] == nil then return nil, r[2], r[3] end
  local target = r[16]
  if type(request) == 'string' then
    if request == 'target' and not follow then return target end
    local i = FIELD_INDEX[request]
    if not i then error("invalid attribute name '" .. request .. "'", 2) end
    return r[i + 1]
  end
  local t = type(request) == 'table' and request or {}
  for i, k in ipairs(FIELDS) do t[k] = r[i + 1] end
  if not follow and target then t.target = target end
  return t
end

function lfs.attributes(path, request) return attributes('attributes', true, path, request) end
function lfs.symlinkattributes(path, request) return attributes('symlinkattributes', false, path, request) end

function lfs.mkdir(path) return C.lfs_mkdir(checkstring(path, 1, 'mkdir')) end
function lfs.rmdir(path) return C.lfs_rmdir(checkstring(path, 1, 'rmdir')) end
function lfs.currentdir() return C.lfs_currentdir() end
function lfs.chdir(path) return C.lfs_chdir(checkstring(path, 1, 'chdir')) end

function lfs.touch(path, atime, mtime)
  path = checkstring(path, 1, 'touch')
  if atime ~= nil and type(atime) ~= 'number' then
    error("bad argument #2 to 'touch' (number expected, got " .. type(atime) .. ")", 2)
  end
  if mtime ~= nil and type(mtime) ~= 'number' then
    error("bad argument #3 to 'touch' (number expected, got " .. type(mtime) .. ")", 2)
  end
  if atime == nil and mtime == nil then return C.lfs_touch(path, nil, nil) end
  atime = atime or os.time()
  mtime = mtime or atime
  return C.lfs_touch(path, atime, mtime)
end

function lfs.link(old, new, symlink)
  return C.lfs_link(checkstring(old, 1, 'link'), checkstring(new, 2, 'link'), symlink and true or false)
end

function lfs.setmode(file, mode) return true, 'binary' end

-- directory iterator objects: dir_obj:next(), dir_obj:close()
local dir_mt = {__index = {}}
dir_mt.__name = 'directory metatable'
function dir_mt.__index.next(d)
  if d.closed then error('calling next on a closed directory', 2) end
  d.i = d.i + 1
  local e = d.entries[d.i]
  if e == nil then d.closed = true end
  return e
end
function dir_mt.__index.close(d) d.closed = true; return true end
dir_mt.__tostring = function(d) return 'directory (' .. d.id .. ')' end

local ndirs = 0
function lfs.dir(path)
  path = checkstring(path, 1, 'dir')
  local list, err = C.lfs_listdir(path)
  if list == nil then error(err, 2) end
  local entries = {}
  for name in (list .. '\0'):gmatch('(%Z*)%z') do entries[#entries + 1] = name end
  ndirs = ndirs + 1
  local d = setmetatable({entries = entries, i = 0, closed = false, id = ndirs}, dir_mt)
  return dir_mt.__index.next, d
end

-- locks on open files need the descriptor behind the Lua file handle
local ffi_ok, ffi = pcall(require, 'ffi')
if ffi_ok then pcall(ffi.cdef, 'int fileno(void *stream);') end
local function fd_of(fh, fname)
  if io.type(fh) ~= 'file' then
    error("bad argument #1 to '" .. fname .. "' (FILE* expected, got " .. type(fh) .. ")", 3)
  end
  if not ffi_ok then return nil end
  -- LuaJIT's FFI converts an io file handle to its FILE*
  local ok, fd = pcall(function() return ffi.C.fileno(ffi.cast('void*', fh)) end)
  if ok and fd >= 0 then return tonumber(fd) end
  return nil
end

local function lock(fname, fh, mode, start, length)
  local fd = fd_of(fh, fname)
  if fd == nil then return nil, 'cannot lock this file', 9 end
  start, length = start or 0, length or 0
  return C.lfs_lock(fd, mode, start, length)
end

function lfs.lock(fh, mode, start, length)
  if mode ~= 'r' and mode ~= 'w' then
    error("bad argument #2 to 'lock' (lock mode must be 'r' or 'w')", 2)
  end
  return lock('lock', fh, mode, start, length)
end
function lfs.unlock(fh, start, length) return lock('unlock', fh, 'u', start, length) end

local lock_mt = {__index = {}}
function lock_mt.__index.free(l)
  if l.freed then return nil end
  l.freed = true
  C.lfs_unlink(l.file)
  return true
end
function lfs.lock_dir(path, seconds_stale)
  path = checkstring(path, 1, 'lock_dir')
  local ok, file, code = C.lfs_lock_dir(path)
  if not ok then
    if code == 17 and seconds_stale then
      local age = C.lfs_lock_age(path .. '/lockfile.lfs')
      if age and age > seconds_stale then
        C.lfs_unlink(path .. '/lockfile.lfs')
        return lfs.lock_dir(path)
      end
    end
    return nil, file  -- as LuaFileSystem: the message only
  end
  return setmetatable({file = file}, lock_mt)
end

_G.lfs = lfs  -- as the C module does on Lua 5.1 (scripts use the global after require)
return lfs
