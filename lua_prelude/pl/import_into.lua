-- pl.import_into(t): give `t` lazy access to the Penlight modules by name.
local MODULES = {
  'utils', 'path', 'dir', 'file', 'stringx', 'tablex', 'List', 'OrderedMap', 'Set', 'Map',
  'MultiMap', 'pretty', 'class', 'seq', 'text', 'lapp', 'app', 'array2d', 'operator',
  'types', 'data', 'stringio', 'func', 'compat',
}
local LAZY = {}
for _, m in ipairs(MODULES) do LAZY[m] = 'pl.' .. m end

return function(t)
  t = t or {}
  local mt = getmetatable(t)
  if mt == nil then mt = {}; setmetatable(t, mt) end
  local old = mt.__index
  mt.__index = function(tbl, key)
    local modname = LAZY[key]
    if modname then
      local ok, m = pcall(require, modname)
      if ok then
        rawset(tbl, key, m)
        return m
      end
    end
    if type(old) == 'function' then return old(tbl, key) end
    if type(old) == 'table' then return old[key] end
    return nil
  end
  return t
end
