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

-- dst gets (first) or adds (later) the nested table of gradients src: the
-- input gradient of containers whose children all see a table input
function M.accumulateTable(dst, src, first)
   if first then
      return M.retable(dst, src, function(t, k, v)
         t[k] = t[k] or v:clone()
         t[k]:resizeAs(v):copy(v)
      end)
   end
   return M.retable(dst, src, function(t, k, v)
      if t[k] then t[k]:add(v) else t[k] = v:clone() end
   end)
end

-- replaces output/gradInput by empty ones (not :set(): they may be other
-- modules' or the caller's tensors)
function M.dropOutputs(self)
   for _, f in ipairs({'output', 'gradInput'}) do
      local v = self[f]
      if v then
         if torch.isTensor(v) then
            self[f] = v.new()
         elseif torch.type(v) == 'table' then
            self[f] = {}
         else
            self[f] = nil
         end
      end
   end
   return self
end

-- sizes given as numbers or as one LongStorage, as a LongStorage
function M.sizeStorage(...)
   local args = {...}
   if #args == 1 and torch.type(args[1]) == 'torch.LongStorage' then
      return torch.LongStorage(#args[1]):copy(args[1])
   end
   local s = torch.LongStorage(#args)
   for i = 1, #args do s[i] = args[i] end
   return s
end

-- per-column criterion weights, expanded over the rows of a batch target
function M.columnWeights(weights, target)
   if weights ~= nil and target:dim() ~= 1 then
      return weights:view(1, target:size(2)):expandAs(target)
   end
   return weights
end

-- Row-wise cosine of a and b (B x n) into out (B x 1), keeping in self
-- w1 = a.b, w22 = 1/|a|^2, w32 = 1/|b|^2, w = 1/(|a||b|) (an epsilon of
-- 1e-12 added to the squared norms); `ones` is scratch space.
function M.cosineForward(self, a, b, ones, out)
   local epsilon = 1e-12
   for _, k in ipairs({'buffer', 'w1', 'w22', 'w', 'w32'}) do self[k] = self[k] or a.new() end
   self.buffer:cmul(a, b)
   self.w1:sum(self.buffer, 2)
   self.buffer:cmul(a, a)
   self.w22:sum(self.buffer, 2):add(epsilon)
   ones:resizeAs(self.w22):fill(1)
   self.w22:cdiv(ones, self.w22)
   self.w:resizeAs(self.w22):copy(self.w22)
   self.buffer:cmul(b, b)
   self.w32:sum(self.buffer, 2):add(epsilon)
   self.w32:cdiv(ones, self.w32)
   self.w:cmul(self.w32)
   self.w:sqrt()
   out:cmul(self.w1, self.w)
   return out
end

-- d cos/d a = (b - (a.b)/|a|^2 a) / (|a||b|) into ga, and symmetrically gb
function M.cosineBackward(self, a, b, ga, gb)
   ga:resizeAs(a):copy(b)
   gb:resizeAs(a):copy(a)
   self.buffer:cmul(self.w1, self.w22)
   ga:addcmul(-1, self.buffer:expandAs(a), a)
   ga:cmul(self.w:expandAs(a))
   self.buffer:cmul(self.w1, self.w32)
   gb:addcmul(-1, self.buffer:expandAs(a), b)
   gb:cmul(self.w:expandAs(a))
end

-- nn.Jacobian helpers: a zeroed gradOutput shaped like the module's output,
-- with a flat view of it
function M.unitGradOutput(module, input)
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output)
   local flat = module.output.new(dout:storage(), 1, dout:nElement())
   return dout, flat
end

-- the parameter values after one accUpdateGradParameters(lr = 1) per output
-- (parameters restored between outputs; zeroGrads: zero the gradients first)
function M.backwardUpdate(module, input, param, zeroGrads)
   local dout, flat = M.unitGradOutput(module, input)
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   local params = module:parameters()
   local saved = {}
   for j = 1, #params do saved[j] = params[j]:clone() end
   for i = 1, flat:nElement() do
      for j = 1, #params do params[j]:copy(saved[j]) end
      dout:zero()
      flat[i] = 1
      if zeroGrads then module:zeroGradParameters() end
      module:updateGradInput(input, dout)
      module:accUpdateGradParameters(input, dout, 1)
      jacobian:select(2, i):copy(param)
   end
   for j = 1, #params do params[j]:copy(saved[j]) end
   return jacobian
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
   error(what or "bad argument #2 to 'v' (1D, 2D, 3D or 4D tensor expected)")
end

-- TH's size description: [2 x 3]
local function sizeDesc(t)
   return '[' .. table.concat(t:size():totable(), ' x ') .. ']'
end

-- THNN_CHECK_SHAPE / THNN_CHECK_NELEMENT on a module's backward arguments
function M.checkShape(a, aname, g)
   if not a:isSameSizeAs(g) then
      error(string.format('%s and gradOutput shapes do not match: %s %s, gradOutput %s',
                          aname, aname, sizeDesc(a), sizeDesc(g)))
   end
end

function M.checkNElement(a, aname, g)
   if a:nElement() ~= g:nElement() then
      error(string.format('%s and gradOutput have different number of elements: %s%s has %d elements, while gradOutput%s has %d elements',
                          aname, aname, sizeDesc(a), a:nElement(), sizeDesc(g), g:nElement()))
   end
end

-- THNN criterions check element counts, not shapes (THNN_CHECK_NELEMENT's
-- wording: "input and target have different number of elements: input[2 x 3]
-- has 6 elements, while target[7] has 7 elements"), and walk both tensors in
-- their own row-major order: give the target the input's shape.
function M.likeInput(target, input, what, tname)
   if not tname then M.checkTypes(input, 1, target) end
   if target:nElement() ~= input:nElement() then
      tname = tname or 'target'
      error(string.format('input and %s have different number of elements: input%s has %d elements, while %s%s has %d elements',
                          tname, sizeDesc(input), input:nElement(), tname, sizeDesc(target), target:nElement()))
   end
   if target:isSameSizeAs(input) then return target end
   return target:contiguous():view(input:size())
end

-- THNN functions are typed through the FFI: a Float/Double tensor argument
-- of the other type than the input fails with the FFI's conversion error.
-- `tensors` are the arguments from THNN's argument #3 on (nil entries count).
local REAL_TYPES = {['torch.FloatTensor'] = 'Float', ['torch.DoubleTensor'] = 'Double'}
function M.checkTypes(input, n, ...)
   local want = REAL_TYPES[torch.type(input)]
   if not want then return end
   local args = {...}
   for i = 1, n do
      local got = args[i] ~= nil and REAL_TYPES[torch.type(args[i])]
      if got and got ~= want then
         -- raised like the kernels' own errors (at the caller's line)
         require('torch._core').error(string.format(
            "bad argument #%d to 'v' (cannot convert 'struct TH%sTensor *' to 'struct TH%sTensor *')",
            i + 2, got, want))
      end
   end
end

-- tensors whose THNN `real` is float: FloatTensor, and CudaTensor (the CPU
-- fallback computes it as float)
local FLOAT_REAL = {['torch.FloatTensor'] = true, ['torch.CudaTensor'] = true}
function M.isFloat(t)
   return FLOAT_REAL[torch.type(t)] == true
end

-- THNN's `real sum` loss of a FloatTensor input: the terms (double or float)
-- summed in element order with the sum rounded to float at every step, the
-- mean divided in float.  nil for other tensor types.
function M.floatLoss(input, terms, sizeAverage)
   if not M.isFloat(input) then return nil end
   local sum = require('nn.THNN_kernels').RealSum_updateOutput(terms:double(), input)
   if sizeAverage then sum = torch.FloatTensor{sum}:div(input:nElement())[1] end
   return sum
end

-- A criterion's loss passes through a 1-element tensor of the input's type
-- (self.output_tensor) as in THNN, so a FloatTensor loss is float-rounded.
function M.setLoss(self, input, value)
   self.output_tensor = self.output_tensor or input.new(1)
   self.output_tensor[1] = value
   self.output = self.output_tensor[1]
   return self.output
end

-- obj written to and read back from memory (a copy with its inner sharing)
-- weight, then bias (when there is one), drawn from U(-stdv, stdv): with nn.oldSeed
-- element by element through torch.uniform, as old nn did (same stream order)
function M.uniformParameters(self, stdv)
   if nn.oldSeed then
      local draw = function() return torch.uniform(-stdv, stdv) end
      self.weight:apply(draw)
      if self.bias then self.bias:apply(draw) end
   else
      self.weight:uniform(-stdv, stdv)
      if self.bias then self.bias:uniform(-stdv, stdv) end
   end
end

function M.memoryCopy(obj)
   local f = torch.MemoryFile('rw'):binary()
   f:writeObject(obj)
   f:seek(1)
   local copy = f:readObject()
   f:close()
   return copy
end

return M
