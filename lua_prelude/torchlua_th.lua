-- The Penlight step of th's environment (trepl does `pcall(require, 'pl')` and
-- `text.format_operator()`): Penlight modules become lazy globals and strings
-- get Python's `%` formatting.  The torchlua command calls setup() after trepl.
local M = {}
function M.setup()
  local ok = pcall(require, 'pl')
  if ok and text then text.format_operator() end
  return ok
end
return M
