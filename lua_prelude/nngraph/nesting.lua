-- Operations on a tensor or an arbitrarily nested table of tensors.
local nesting = {}

function nesting.cloneNested(obj)
   if torch.isTensor(obj) then return obj:clone() end
   local copy = {}
   for k, v in pairs(obj) do copy[k] = nesting.cloneNested(v) end
   return copy
end

function nesting.fillNested(obj, value)
   if torch.isTensor(obj) then
      obj:fill(value)
      return
   end
   for _, v in pairs(obj) do nesting.fillNested(v, value) end
end

-- Makes `output` take the structure and sizes of `input` (adding cloned
-- entries for new keys, dropping keys `input` lacks).
function nesting.resizeNestedAs(output, input)
   if torch.isTensor(output) then
      output:resizeAs(input)
      return
   end
   for k, v in pairs(input) do
      if output[k] then
         nesting.resizeNestedAs(output[k], v)
      else
         output[k] = nesting.cloneNested(v)
      end
   end
   for k in pairs(output) do
      if not input[k] then output[k] = nil end
   end
end

function nesting.copyNested(output, input)
   if torch.isTensor(output) then
      output:copy(input)
      return
   end
   for k, v in pairs(input) do nesting.copyNested(output[k], v) end
   for k in pairs(output) do
      if not input[k] then
         error('key ' .. tostring(k) .. ' present in output but not in input')
      end
   end
end

function nesting.addNestedTo(output, input)
   if torch.isTensor(output) then
      output:add(input)
      return
   end
   for k, v in pairs(input) do
      assert(output[k] ~= nil, 'missing key')
      nesting.addNestedTo(output[k], v)
   end
end

return nesting
