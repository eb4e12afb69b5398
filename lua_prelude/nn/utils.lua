-- nn.utils: helpers over tensors and nested tables of tensors.
nn.utils = {}
local utils = nn.utils

-- a storage of another type, with the same contents
local function storage_as(s, typename)
   if torch.typename(s) == typename then return s end
   local c = torch.getmetatable(typename).new()
   if s:size() > 0 then c:resize(s:size()):copy(s) end
   return c
end

-- Converts tensors (inside tables and modules too) to `typename`.  The cache
-- maps tensors (by object) and storages (by pointer) to their conversions, so
-- tensors sharing a storage still share one afterwards.
function utils.recursiveType(param, typename, tensorCache)
   tensorCache = tensorCache or {}
   if torch.type(param) == 'table' then
      for k, v in pairs(param) do
         param[k] = utils.recursiveType(v, typename, tensorCache)
      end
   elseif torch.isTypeOf(param, 'nn.Module') or torch.isTypeOf(param, 'nn.Criterion') then
      param:type(typename, tensorCache)
   elseif torch.isTensor(param) and torch.typename(param) ~= typename then
      local converted = tensorCache[param]
      if not converted then
         converted = torch.Tensor():type(typename)
         local s = param:storage()
         if s then
            local key = torch.pointer(s)
            local storageType = typename:gsub('Tensor', 'Storage')
            if not tensorCache[key] then
               tensorCache[key] = storage_as(s, storageType)
            end
            assert(torch.type(tensorCache[key]) == storageType)
            converted:set(tensorCache[key], param:storageOffset(), param:size(), param:stride())
         end
         tensorCache[param] = converted
      end
      assert(torch.type(converted) == typename)
      param = converted
   end
   return param
end

local function nested_error(a, b, what)
   error("expecting " .. what .. ". Got " .. torch.type(a) .. " and " .. torch.type(b) .. " instead")
end

function utils.recursiveResizeAs(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {t1}
      for k in pairs(t2) do
         t1[k], t2[k] = utils.recursiveResizeAs(t1[k], t2[k])
      end
      for k in pairs(t1) do
         if not t2[k] then t1[k] = nil end
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resize(t2:size())
   else
      nested_error(t1, t2, 'nested tensors or tables')
   end
   return t1, t2
end

function utils.recursiveFill(t2, val)
   if torch.type(t2) == 'table' then
      for k in pairs(t2) do t2[k] = utils.recursiveFill(t2[k], val) end
   elseif torch.isTensor(t2) then
      t2:fill(val)
   else
      error("expecting tensor or table thereof. Got " .. torch.type(t2) .. " instead")
   end
   return t2
end

-- recursiveAdd(t1, [val,] t2): t1 += val * t2
function utils.recursiveAdd(t1, val, t2)
   if not t2 then
      assert(val, "expecting at least two arguments")
      t2, val = val, 1
   end
   val = val or 1
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {t1}
      for k in pairs(t2) do
         t1[k], t2[k] = utils.recursiveAdd(t1[k], val, t2[k])
      end
   elseif torch.isTensor(t1) and torch.isTensor(t2) then
      t1:add(val, t2)
   else
      nested_error(t1, t2, 'nested tensors or tables')
   end
   return t1, t2
end

function utils.recursiveCopy(t1, t2, async)
   if torch.type(t2) == 'table' then
      t1 = (torch.type(t1) == 'table') and t1 or {t1}
      for k in pairs(t2) do
         t1[k], t2[k] = utils.recursiveCopy(t1[k], t2[k], async)
      end
   elseif torch.isTensor(t2) then
      t1 = torch.isTensor(t1) and t1 or t2.new()
      t1:resize(t2:size())
      if async then t1:copyAsync(t2) else t1:copy(t2) end
   else
      nested_error(t1, t2, 'nested tensors or tables')
   end
   return t1, t2
end

-- addSingletonDimension([view,] t, dim): a view of t with a size-1 dim inserted
function utils.addSingletonDimension(...)
   local view, t, dim
   if select('#', ...) < 3 then
      t, dim = ...
   else
      view, t, dim = ...
      assert(torch.isTensor(view), "output tensor expected, got " .. torch.type(view))
   end
   assert(torch.isTensor(t), "input tensor expected")
   dim = dim or 1
   assert(dim > 0 and dim <= t:dim() + 1, "invalid dimension: " .. dim
          .. '. Tensor is of ' .. t:dim() .. ' dimensions.')
   view = view or t.new()
   local n = t:dim() + 1
   local size, stride = torch.LongStorage(n), torch.LongStorage(n)
   local src = 1
   for d = 1, n do
      if d == dim then
         size[d], stride[d] = 1, 1
      else
         size[d], stride[d] = t:size(src), t:stride(src)
         src = src + 1
      end
   end
   view:set(t:storage(), t:storageOffset(), size, stride)
   return view
end

-- contiguousView(output, input, sizes...): output = input viewed as sizes
-- (copying first when input is not contiguous)
function utils.contiguousView(output, input, ...)
   output = output or input.new()
   if input:isContiguous() then
      output:set(input:view(...))
   else
      output:resize(input:size()):copy(input)
      output:set(output:view(...))
   end
   return output
end

-- clear(self, 'a', 'b') or clear(self, {'a', 'b'}): empty those fields
function utils.clear(self, ...)
   local names = {...}
   if #names > 0 and torch.type(names[1]) == 'table' then names = names[1] end
   for _, f in ipairs(names) do
      local v = self[f]
      if v then
         if torch.isTensor(v) then
            v:set()
         elseif torch.type(v) == 'table' then
            self[f] = {}
         else
            self[f] = nil
         end
      end
   end
   return self
end

table.unpack = table.unpack or unpack
