-- Helpers shared by several nn files (not part of nn's public API).
local M = {}

-- Text of containers whose children all see the input (Concat, Parallel, ...):
--   nn.Concat {
--     input
--       |`-> (1): <child, continuation lines prefixed '  |    '>
--        `-> (2): <last child, continuation lines prefixed '       '>
--        ... -> output
--   }

function M.branches(self)
   local n = #self.modules
   local lines = {torch.type(self) .. ' {', '  input'}
   for i = 1, n do
      local last = (i == n)
      local arrow = last and '   `-> ' or '  |`-> '
      local cont = last and '       ' or '  |    '
      local child = tostring(self.modules[i]):gsub('\n', '\n  ' .. cont)
      lines[#lines + 1] = '  ' .. arrow .. '(' .. i .. '): ' .. child
   end
   lines[#lines + 1] = '     ... -> output'
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

-- retable(dst, src, f): walk src's array part (nested tables too), calling
-- f(t, k, v) for each tensor; dst keeps src's shape (extra entries dropped).
function M.retable(dst, src, f)
   for k, v in ipairs(src) do
      if torch.type(v) == 'table' then
         dst[k] = M.retable(dst[k] or {}, v, f)
      else
         f(dst, k, v)
      end
   end
   for i = #src + 1, #dst do dst[i] = nil end
   return dst
end

-- res becomes src viewed with the given sizes (a copy if src is not contiguous)
function M.viewOrCopy(res, src, ...)
   if src:isContiguous() then
      res:set(src:view(...))
   else
      res:resize(...):copy(src)
   end
   return res
end

return M
