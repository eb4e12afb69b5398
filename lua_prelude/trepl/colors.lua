-- ANSI codes used by th's print: sys.COLORS plus the text attributes.  A copy,
-- because trepl empties its codes when stdout is not a terminal.
local codes = {}
for k, v in pairs(require 'sys.colors') do codes[k] = v end
for name, n in pairs({bright = 1, dim = 2, underline = 4, blink = 5, reverse = 7, hidden = 8}) do
  codes[name] = '\27[' .. n .. 'm'
end
return codes
