-- pl.dir: listing, globbing, walking, copying and removing directory trees.
local utils = require 'pl.utils'
local path = require 'pl.path'
local lfs = require 'lfs'
local assert_string, raise = utils.assert_string, utils.raise

local dir = {}

local function glob_to_pattern(mask)
  local p = mask:gsub('[%^%$%(%)%%%.%[%]%+%-]', '%%%0'):gsub('%*', '.*'):gsub('%?', '.')
  return '^' .. p .. '$'
end

function dir.fnmatch(filename, pattern)
  assert_string(1, filename)
  assert_string(2, pattern)
  return filename:find(glob_to_pattern(pattern)) ~= nil
end

function dir.filter(filenames, pattern)
  local List = require 'pl.List'
  local res = List()
  local pat = glob_to_pattern(pattern)
  for _, f in ipairs(filenames) do
    if path.basename(f):find(pat) then res:append(f) end
  end
  return res
end

local function listing(dirname, mask, want_dirs)
  dirname = dirname or '.'
  assert_string(1, dirname)
  if not path.isdir(dirname) then return raise('not a directory') end
  local List = require 'pl.List'
  local res = List()
  local pat = mask and glob_to_pattern(mask)
  for f in lfs.dir(dirname) do
    if f ~= '.' and f ~= '..' then
      local p = path.join(dirname, f)
      local isdir = path.isdir(p)
      if isdir == want_dirs and (not pat or f:find(pat)) then res:append(p) end
    end
  end
  return res
end

function dir.getfiles(dirname, mask) return listing(dirname, mask, false) end
function dir.getdirectories(dirname) return listing(dirname, nil, true) end

local function readfile(src)
  local f, err = io.open(src, 'rb')
  if not f then return nil, err end
  local s = f:read('*a')
  f:close()
  return s
end

function dir.copyfile(src, dest, flag)
  assert_string(1, src)
  assert_string(2, dest)
  if path.isdir(dest) then dest = path.join(dest, path.basename(src)) end
  if flag == false and path.exists(dest) then return false, 'destination exists' end
  local s, err = readfile(src)
  if not s then return false, err end
  local f, err2 = io.open(dest, 'wb')
  if not f then return false, err2 end
  f:write(s)
  f:close()
  return true
end

function dir.movefile(src, dest)
  assert_string(1, src)
  assert_string(2, dest)
  if path.isdir(dest) then dest = path.join(dest, path.basename(src)) end
  local ok, err = os.rename(src, dest)
  if ok then return true end
  return false, err
end

-- walk(root, bottom_up, follow_links) yields root, dirs, files for each folder
function dir.walk(root, bottom_up, follow_links)
  assert_string(1, root)
  local function walker(r)
    local dirs, files = {}, {}
    for f in lfs.dir(r) do
      if f ~= '.' and f ~= '..' then
        local p = path.join(r, f)
        local mode = (follow_links and lfs.attributes or lfs.symlinkattributes)(p, 'mode')
        if mode == 'directory' then dirs[#dirs + 1] = f else files[#files + 1] = f end
      end
    end
    if not bottom_up then coroutine.yield(r, dirs, files) end
    for _, d in ipairs(dirs) do walker(path.join(r, d)) end
    if bottom_up then coroutine.yield(r, dirs, files) end
  end
  return coroutine.wrap(function() walker(root) end)
end

function dir.rmtree(fullpath)
  assert_string(1, fullpath)
  if path.islink(fullpath) then return false, 'will not follow symlink' end
  if not path.isdir(fullpath) then return false, 'not a directory' end
  for root, dirs, files in dir.walk(fullpath, true) do
    for _, f in ipairs(files) do
      local ok, err = os.remove(path.join(root, f))
      if not ok then return false, err end
    end
    for _, d in ipairs(dirs) do
      local p = path.join(root, d)
      if path.islink(p) then os.remove(p) end
    end
    local ok, err = lfs.rmdir(root)
    if not ok then return false, err end
  end
  return true
end

function dir.makepath(p)
  assert_string(1, p)
  p = path.normpath(p)
  local acc = p:sub(1, 1) == '/' and '' or nil
  for part in p:gmatch('[^/]+') do
    acc = acc and (acc .. '/' .. part) or part
    if not path.isdir(acc) then
      local ok, err = lfs.mkdir(acc)
      if not ok then return nil, err end
    end
  end
  return true
end

function dir.getallfiles(start_path, pattern)
  start_path = start_path or '.'
  local List = require 'pl.List'
  local res = List()
  local pat = pattern and glob_to_pattern(pattern)
  for root, _, files in dir.walk(start_path) do
    for _, f in ipairs(files) do
      if not pat or f:find(pat) then res:append(path.join(root, f)) end
    end
  end
  return res
end

function dir.dirtree(d)
  assert_string(1, d)
  return coroutine.wrap(function()
    for root, dirs, files in dir.walk(d) do
      for _, x in ipairs(dirs) do coroutine.yield(path.join(root, x), true) end
      for _, x in ipairs(files) do coroutine.yield(path.join(root, x), false) end
    end
  end)
end

function dir.clonetree(path1, path2, file_fun)
  assert_string(1, path1)
  assert_string(2, path2)
  local ok, err = dir.makepath(path2)
  if not ok then return nil, err end
  for p, isdir in dir.dirtree(path1) do
    local target = path.join(path2, path.relpath(p, path1))
    if isdir then dir.makepath(target)
    elseif file_fun then file_fun(p, target) end
  end
  return true
end

return dir
