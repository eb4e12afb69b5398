-- gModule evaluation. Each node keeps its inputs in data.input (ordered by
-- the consumer's mapindex) and its incoming gradients in data.gradOutput.
-- As in Torch7, the backward passes ignore their `input` argument and use
-- the node inputs stored by the last forward.
local nesting = require 'nngraph.nesting'
local utils = require 'nngraph.utils'
local istable = utils.istable
local F = require 'nn._fused'

local gModule = nn.gModule

-- An all-zero tensor backed by a one-element storage: what a module hands
-- out when it does not depend on its input (cheap expanded zeros).
local function isZeroGrad(g)
   return torch.isTensor(g) and g:storage() ~= nil
      and g:storage():size() == 1 and g:storage()[1] == 0
end

-- Sum of the gradients a node received from its consumers. If at most one
-- is non-zero it is returned as is (until a real sum forced a buffer).
local function getTotalGradOutput(node)
   local grads = node.data.gradOutput
   assert(istable(grads), 'expecting gradients to sum')
   if #grads <= 1 then return grads[1] end
   if not node.data.gradOutputBuffer then
      local nonzero, idx = 0, 1
      for i = 1, #grads do
         if not isZeroGrad(grads[i]) then idx = i; nonzero = nonzero + 1 end
      end
      if nonzero < 2 then return grads[idx] end
   end
   node.data.gradOutputBuffer = node.data.gradOutputBuffer or nesting.cloneNested(grads[1])
   local sum = node.data.gradOutputBuffer
   local hs = F.list(sum, grads)
   if hs then   -- the resize, copy and sums below in one call
      F.call(F.C.nnp_sum_into, unpack(hs))
      return sum
   end
   nesting.resizeNestedAs(sum, grads[1])
   nesting.copyNested(sum, grads[1])
   for i = 2, #grads do nesting.addNestedTo(sum, grads[i]) end
   return sum
end

-- A module's input: its single input, or the list of them. Nodes nobody
-- feeds (parameter nodes) get an empty list.
local function moduleInput(node)
   local input = node.data.input
   if input == nil and node.data.module ~= nil then input = {} end
   if #input == 1 then input = input[1] end
   return input
end

-- func(module, input) for each node in forward order; func may be a method name.
function gModule:runForwardFunction(func, input)
   if type(func) == 'string' then
      local name = func
      func = function(module, x) return module[name](module, x) end
   end
   local nInputs = self.nInputs or #self.innode.children  -- old files lack nInputs
   if nInputs <= 1 then
      input = {input}
   elseif type(input) ~= 'table' then
      error(string.format('expecting table of %s inputs', nInputs))
   end
   local function neteval(node)
      local function propagate(node, x)
         for _, child in ipairs(node.children) do
            child.data.input = child.data.input or {}
            local slot = child.data.mapindex[node.data]
            assert(not child.data.input[slot], 'each input should have one source')
            child.data.input[slot] = x
         end
      end
      if node.data.selectindex then
         assert(not node.data.module, 'the selectindex-handling nodes should have no module')
         local x = node.data.input
         assert(#x == 1, 'only the splitted node should be the input')
         assert(istable(x[1]), 'the input for a split should be a table')
         propagate(node, x[1][node.data.selectindex])
      else
         local x = moduleInput(node)
         local output = x  -- a node without module acts as nn.Identity
         if node.data.module then output = func(node.data.module, x) end
         if node.data.nSplitOutputs and node.data.nSplitOutputs ~= #output then
            error(string.format('split(%s) cannot split %s outputs',
                                node.data.nSplitOutputs, #output))
         end
         propagate(node, output)
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end

   if #input ~= nInputs then
      error(string.format('Got %s inputs instead of %s', #input, nInputs))
   end
   for _, node in ipairs(self.forwardnodes) do
      local x = node.data.input
      while x and #x > 0 do table.remove(x) end
   end
   -- the caller's table is copied, never modified
   local innode = self.innode
   innode.data.input = innode.data.input or {}
   for i, item in ipairs(input) do innode.data.input[i] = item end

   for _, node in ipairs(self.forwardnodes) do neteval(node) end

   self.output = self.outnode.data.input
   if #self.outnode.children == 1 then self.output = self.output[1] end
   return self.output
end

function gModule:updateOutput(input)
   return self:runForwardFunction('updateOutput', input)
end

local function checkGradOutputs(self, gradOutput)
   local n = #self.outnode.children
   if n > 1 and #gradOutput ~= n then
      error(string.format('Got %s gradOutputs instead of %s', #gradOutput, n))
   end
end

function gModule:updateGradInput(input, gradOutput)
   local function neteval(node)
      if node.data.selectindex then
         assert(not node.data.module, 'the selectindex-handling nodes should have no module')
         assert(#node.children == 1, 'only the splitted node should be the input')
         local child = node.children[1]
         local go = getTotalGradOutput(node)
         child.data.gradOutput = child.data.gradOutput or {}
         assert(#child.data.gradOutput <= 1, 'the splitted node should be used only once')
         -- the split node receives one table, filled slot by slot
         child.data.gradOutput[1] = child.data.gradOutput[1] or {}
         assert(not child.data.gradOutput[1][node.data.selectindex], 'no gradOutput should be assigned yet')
         child.data.gradOutput[1][node.data.selectindex] = go
      else
         local go = getTotalGradOutput(node)
         local gradInput = go
         if node.data.module then
            gradInput = node.data.module:updateGradInput(moduleInput(node), go)
         end
         for _, child in ipairs(node.children) do
            child.data.gradOutput = child.data.gradOutput or {}
            local gi = gradInput
            if #node.children ~= 1 then gi = gradInput[node.data.mapindex[child.data]] end
            table.insert(child.data.gradOutput, gi)
         end
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end

   checkGradOutputs(self, gradOutput)
   for _, node in ipairs(self.backwardnodes) do
      local g = node.data.gradOutput
      while g and #g > 0 do table.remove(g) end
   end
   local outnode = self.outnode
   outnode.data.gradOutput = outnode.data.gradOutput or {}
   outnode.data.gradOutput[1] = gradOutput

   for _, node in ipairs(self.backwardnodes) do neteval(node) end

   assert(#self.innode.data.gradOutput == 1, 'expecting the innode to be used only once')
   self.gradInput = self.innode.data.gradOutput[1]
   return self.gradInput
end

function gModule:accGradParameters(input, gradOutput, lr)
   local function neteval(node)
      local module = node.data.module
      if module then
         -- a summed gradient is in the buffer (nil if the zero shortcut was
         -- taken, as in Torch7)
         local go = node.data.gradOutput[1]
         if #node.data.gradOutput > 1 then go = node.data.gradOutputBuffer end
         module:accGradParameters(moduleInput(node), go, lr)
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end
   checkGradOutputs(self, gradOutput)
   for _, node in ipairs(self.backwardnodes) do neteval(node) end
end

function gModule:clearState()
   local ret = nn.Container.clearState(self)
   for _, node in ipairs(self.backwardnodes) do
      node.data.gradOutput = nil
      node.data.gradOutputBuffer = nil
   end
   for _, node in ipairs(self.forwardnodes) do node.data.input = nil end
   return ret
end
