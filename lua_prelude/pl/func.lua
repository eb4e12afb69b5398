-- pl.func: thin functional helpers (bind, compose) over pl.utils.
local utils = require 'pl.utils'
local func = {}

function func.bind1(fn, p) return utils.bind1(fn, p) end

function func.compose(f, g)
  f, g = utils.function_arg(1, f), utils.function_arg(2, g)
  return function(...) return f(g(...)) end
end

-- bind(fn, a, _2, b): placeholders _1, _2 ... (func._1 ...) take call arguments
local PH = {}
for i = 1, 5 do func['_' .. i] = setmetatable({index = i}, PH) end

function func.bind(fn, ...)
  fn = utils.function_arg(1, fn)
  local bound = {...}
  local n = select('#', ...)
  return function(...)
    local call, args = {}, {...}
    local maxph = 0
    for i = 1, n do
      local b = bound[i]
      if getmetatable(b) == PH then call[i] = args[b.index]; maxph = math.max(maxph, b.index)
      else call[i] = b end
    end
    local k = n
    for i = maxph + 1, select('#', ...) do k = k + 1; call[k] = args[i] end
    return fn(unpack(call, 1, k))
  end
end

function func.import() for k, v in pairs(func) do _G[k] = v end end

return func
