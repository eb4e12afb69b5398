-- pl.compat: the differences between Lua 5.1/LuaJIT and later versions.
local compat = {}
compat.lua51 = _VERSION == 'Lua 5.1'
compat.jit = type(jit) == 'table'
compat.jit52 = compat.jit and (loadstring('local x = 1 goto done ::done:: return x') ~= nil)
compat.is_windows = package.config:sub(1, 1) == '\\'
compat.dir_separator = package.config:sub(1, 1)

function compat.execute(cmd)
  local res1, res2, res3 = os.execute(cmd)
  if type(res1) == 'number' then  -- Lua 5.1 style
    return res1 == 0, res1
  end
  return res1 == true or res1 == 0, res3 or res2
end

function compat.load(src, name, mode, env)
  local chunk, err
  if type(src) == 'string' then
    if src:byte(1) == 27 and mode == 't' then
      return nil, 'attempt to load a binary chunk (mode is \'' .. mode .. '\')'
    end
    chunk, err = loadstring(src, name)
  else
    chunk, err = load(src, name)
  end
  if chunk and env then setfenv(chunk, env) end
  return chunk, err
end

compat.setfenv = setfenv
compat.getfenv = getfenv
compat.pack = table.pack or function(...) return {n = select('#', ...), ...} end
compat.unpack = table.unpack or unpack
if not table.pack then table.pack = compat.pack end
if not table.unpack then table.unpack = unpack end
if not package.searchpath then
  function package.searchpath(name, path, sep, rep)
    sep, rep = sep or '.', rep or '/'
    name = name:gsub(sep:gsub('%p', '%%%0'), rep)
    local tried = {}
    for pat in path:gmatch('[^;]+') do
      local f = pat:gsub('%?', name)
      local fh = io.open(f, 'r')
      if fh then fh:close(); return f end
      tried[#tried + 1] = "\n\tno file '" .. f .. "'"
    end
    return nil, table.concat(tried)
  end
end
return compat
