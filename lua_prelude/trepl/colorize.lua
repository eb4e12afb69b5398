-- colorize.red('x') etc.: wraps text in a colour code and a reset (empty codes when colours are off).
local colors = require 'trepl.colors'
local wrap = {}
for name in pairs(colors) do
  wrap[name] = function(text) return colors[name] .. text .. colors.none end
end
return wrap
