-- nn.Module: the protocol every layer follows (Torch7 nn semantics).
local Module = torch.class('nn.Module')
local private = require 'nn._private'
local F = require 'nn._fused'

function Module:__init()
   self.gradInput = torch.Tensor()
   self.output = torch.Tensor()
   self._type = self.output:type()
end

-- weight/bias (and their gradients) are the default parameters
function Module:parameters()
   local w, b = self.weight, self.bias
   if w and b then
      return {w, b}, {self.gradWeight, self.gradBias}
   elseif w then
      return {w}, {self.gradWeight}
   elseif b then
      return {b}, {self.gradBias}
   end
end

function Module:updateOutput(input)
   return self.output
end

function Module:forward(input)
   return self:updateOutput(input)
end

function Module:backward(input, gradOutput, scale)
   self:updateGradInput(input, gradOutput)
   self:accGradParameters(input, gradOutput, scale or 1)
   return self.gradInput
end

function Module:backwardUpdate(input, gradOutput, lr)
   self:updateGradInput(input, gradOutput)
   self:accUpdateGradParameters(input, gradOutput, lr)
   return self.gradInput
end

function Module:updateGradInput(input, gradOutput)
   return self.gradInput
end

function Module:accGradParameters(input, gradOutput, scale)
end

function Module:accUpdateGradParameters(input, gradOutput, lr)
   if self.shared then
      self:sharedAccUpdateGradParameters(input, gradOutput, lr)
   else
      self:defaultAccUpdateGradParameters(input, gradOutput, lr)
   end
end

-- Accumulating with scale -lr straight into the weights is the update itself.
function Module:defaultAccUpdateGradParameters(input, gradOutput, lr)
   local savedW, savedB = self.gradWeight, self.gradBias
   self.gradWeight, self.gradBias = self.weight, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradBias = savedW, savedB
end

-- Shared weights would be updated twice by the trick above: use the gradients.
function Module:sharedAccUpdateGradParameters(input, gradOutput, lr)
   if self:parameters() then
      self:zeroGradParameters()
      self:accGradParameters(input, gradOutput, 1)
      self:updateParameters(lr)
   end
end

-- (one call for all the tensors when they allow it: the loops below)
function Module:zeroGradParameters()
   local _, grads = self:parameters()
   if grads then
      local hs = #grads <= 200 and F.any(grads)   -- (unpack's limit)
      if hs then
         F.call(F.C.nnp_zero_each, unpack(hs, 1, #grads))
         return
      end
      for i = 1, #grads do grads[i]:zero() end
   end
end

function Module:updateParameters(learningRate)
   local params, grads = self:parameters()
   if params then
      local v = -learningRate
      local args = #params <= 200 and {} or nil   -- (unpack's limit)
      for i = 1, args and #params or 0 do
         local hp, hg = F.h(params[i], grads[i])
         if not hp then args = nil; break end
         args[2 * i - 1], args[2 * i] = hp, hg
      end
      if args then
         F.call(F.C.nnp_add_scaled_each, v, unpack(args, 1, 2 * #params))
         return
      end
      for i = 1, #params do params[i]:add(-learningRate, grads[i]) end
   end
end

function Module:training()
   self.train = true
end

function Module:evaluate()
   self.train = false
end

function Module:share(other, ...)
   for _, name in ipairs({...}) do
      if self[name] ~= nil then
         self[name]:set(other[name])
         self.shared = true
         other.shared = true
      end
   end
   return self
end

------------------------------------------------------------------------
-- clone: a serialisation round trip through a MemoryFile, so the copy keeps
-- the original's internal sharing.  The fields named in clone(...) are
-- written as empty tensors, then shared with the original.
local function writer_with_empty(names)
   local skip = {}
   for _, n in ipairs(names) do skip[n] = true end
   return function(self, file)
      local object = {}
      for k, v in pairs(self) do
         if skip[k] then
            assert(torch.isTensor(v), 'Shared parameters have to be Tensors')
            object[k] = v.new()
         else
            object[k] = v
         end
      end
      file:writeObject(object)
   end
end

function Module:clone(...)
   local savedWrite = nn.Module.write
   nn.Module.write = writer_with_empty({...})
   local ok, copy = pcall(private.memoryCopy, self)
   nn.Module.write = savedWrite
   if not ok then error(copy, 0) end
   if select('#', ...) > 0 then copy:share(self, ...) end
   return copy
end

------------------------------------------------------------------------
function Module:type(typename, tensorCache)
   if not typename then return self._type end
   tensorCache = tensorCache or {}
   for key, v in pairs(self) do
      self[key] = nn.utils.recursiveType(v, typename, tensorCache)
   end
   self._type = typename
   return self
end

function Module:float(...)
   return self:type('torch.FloatTensor', ...)
end

function Module:double(...)
   return self:type('torch.DoubleTensor', ...)
end

-- No GPU here: without cutorch a :cuda() call leaves the module on the CPU.
function Module:cuda(...)
   if torch.CudaTensor then return self:type('torch.CudaTensor', ...) end
   return self
end

function Module:reset()
end

function Module:write(file)
   local object = {}
   for k, v in pairs(self) do object[k] = v end
   file:writeObject(object)
end

function Module:read(file)
   local object = file:readObject()
   for k, v in pairs(object) do self[k] = v end
end

------------------------------------------------------------------------
-- flatten: lay every distinct storage the tensors use end to end in one
-- new storage and re-point the tensors into it (sharing is kept because
-- tensors on one storage land on the same copy).
Module._flattenTensorBuffer = {}

-- True when the tensor covers a region without holes (any dimension order).
local function isCompact(t)
   local dims = {}
   for d = 1, t:dim() do
      if t:stride(d) > 0 then dims[#dims + 1] = {t:size(d), t:stride(d)} end
   end
   table.sort(dims, function(a, b) return a[2] > b[2] end)
   local expected = 1
   for i = #dims, 1, -1 do
      local size, stride = dims[i][1], dims[i][2]
      if size ~= 1 then
         if stride ~= expected then return false end
         expected = expected * size
      end
   end
   return true
end

function Module.flatten(parameters)
   if not parameters or #parameters == 0 then
      return torch.Tensor()
   end
   local Tensor = parameters[1].new
   local Tmp = Module._flattenTensorBuffer[torch.type(parameters[1])] or Tensor

   -- where each distinct storage goes in the flat buffer
   local placed, order, total = {}, {}, 0
   local meta = {}
   for k, p in ipairs(parameters) do
      local s = p:storage()
      local key = torch.pointer(s)
      local entry = placed[key]
      if not entry then
         entry = {s, total}
         placed[key] = entry
         order[#order + 1] = entry
         total = total + s:size()
      end
      meta[k] = {offset = p:storageOffset() + entry[2], size = p:size(), stride = p:stride()}
   end

   local flat = Tmp(total):zero()

   -- mark the elements some tensor uses
   local compact = true
   for k = 1, #parameters do
      local m = meta[k]
      local view = Tmp():set(flat:storage(), m.offset, m.size, m.stride)
      view:fill(1)
      compact = compact and isCompact(view)
   end
   local used = flat:byte():clone()
   local newIndex = flat:long():cumsum(1)
   local nUsed = total > 0 and newIndex[total] or 0

   for _, entry in ipairs(order) do
      local s, off = entry[1], entry[2]
      if s:size() > 0 then
         flat:narrow(1, off + 1, s:size()):copy(Tensor():set(s))
      end
   end

   for k = 1, #parameters do parameters[k]:set(Tensor()) end

   if nUsed ~= total then
      assert(compact, 'Cannot gather tensors that are not compact')
      flat = Tmp(nUsed):copy(flat:maskedSelect(used))
      for k = 1, #parameters do
         meta[k].offset = newIndex[meta[k].offset]
      end
   end

   if Tmp ~= Tensor then
      flat = Tensor(flat:nElement()):copy(flat)
   end

   for k = 1, #parameters do
      parameters[k]:set(flat:storage(), meta[k].offset, meta[k].size, meta[k].stride)
   end
   return flat
end

function Module:getParameters()
   local params, grads = self:parameters()
   local p, g = Module.flatten(params), Module.flatten(grads)
   assert(p:nElement() == g:nElement(),
      'check that you are sharing parameters and gradParameters')
   if params then
      for i = 1, #params do
         assert(params[i]:storageOffset() == grads[i]:storageOffset(),
            'misaligned parameter at ' .. tostring(i))
      end
   end
   return p, g
end

-- module(input[, gradOutput]): forward, and backward when a gradient is given
function Module:__call__(input, gradOutput)
   self:forward(input)
   if gradOutput then
      self:backward(input, gradOutput)
      return self.output, self.gradInput
   end
   return self.output
end

------------------------------------------------------------------------
-- traversal helpers
function Module:apply(callback)
   callback(self)
   if self.modules then
      for _, m in ipairs(self.modules) do m:apply(callback) end
   end
end

function Module:findModules(typename, container)
   container = container or self
   local found, owners = {}, {}
   if torch.typename(self) == typename then
      found[1], owners[1] = self, container
   end
   if self.modules ~= nil and torch.type(self.modules) == 'table' then
      for i = 1, #self.modules do
         local f, o = self.modules[i]:findModules(typename, self)
         assert(#f == #o, 'Internal error: incorrect return length')
         for j = 1, #f do
            found[#found + 1] = f[j]
            owners[#owners + 1] = o[j]
         end
      end
   end
   return found, owners
end

local function append_flat(dst, src)
   if torch.type(src) == 'table' then
      for i = 1, #src do append_flat(dst, src[i]) end
   else
      dst[#dst + 1] = src
   end
end

function Module:listModules()
   local list = {self}
   if self.modules then
      for i = 1, #self.modules do
         local sub = self.modules[i]:listModules()
         if sub then append_flat(list, sub) end
      end
   end
   return list
end

function Module:clearState()
   return nn.utils.clear(self, 'output', 'gradInput')
end

function Module:replace(callback)
   local result = callback(self)
   if self.modules then
      for i, m in ipairs(self.modules) do
         self.modules[i] = m:replace(callback)
      end
   end
   return result
end

return Module
