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

-- dst[mask] = src[mask] (mask a ByteTensor of dst's size)
function M.copyWhere(dst, mask, src)
   dst:maskedCopy(mask, src:maskedSelect(mask))
   return dst
end

-- THNN's (Log)SoftMax layout: the class dimension of a 1-D..4-D input
-- (1-D: 1, 2-D: 2 (batch), 3-D: 1 (planes), 4-D: 2 (batch of planes))
function M.softmaxDim(x, what)
   local nd = x:dim()
   if nd == 1 or nd == 3 then return 1 end
   if nd == 2 or nd == 4 then return 2 end
   error(what or 'bad argument #2 (1D, 2D, 3D or 4D tensor expected)')
end

-- THNN criterions check element counts, not shapes, and walk both tensors in
-- their own row-major order: give the target the input's shape.
function M.likeInput(target, input, what)
   if target:nElement() ~= input:nElement() then
      error(string.format('bad argument #2 to \'%s\' (input and target should have the same number of elements)',
                          what or '?'))
   end
   if target:isSameSizeAs(input) then return target end
   return target:contiguous():view(input:size())
end

-- A criterion's loss passes through a 1-element tensor of the input's type
-- (self.output_tensor) as in THNN, so a FloatTensor loss is float-rounded.
function M.setLoss(self, input, value)
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = value
   self.output = self.output_tensor[1]
   return self.output
end

return M
