-- cjson.safe: cjson whose encode/decode return nil, message instead of raising.
local cjson = require 'cjson'

local function safe_of(base)
  local M = {}
  for k, v in pairs(base) do M[k] = v end
  local function wrap(f)
    return function(...)
      local ok, r = pcall(f, ...)
      if ok then return r end
      return nil, (tostring(r):gsub('^[^:]*:%d+: ', ''))
    end
  end
  M.encode, M.decode = wrap(base.encode), wrap(base.decode)
  M.new = function() return safe_of(base.new()) end
  return M
end

return safe_of(cjson.new())
