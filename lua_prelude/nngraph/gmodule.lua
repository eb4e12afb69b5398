-- nn.gModule(inputs, outputs): a container running an acyclic graph of
-- nngraph.Nodes. Construction, type conversion and structure helpers live
-- here; forward/backward in gmodule_run.lua.
local utils = require 'nngraph.utils'

local gModule, parent = torch.class('nn.gModule', 'nn.Container')

local function checkNodes(list, what)
   for i = 1, utils.tableMaxN(list) do
      if torch.typename(list[i]) ~= 'nngraph.Node' then
         error(utils.expectingNodeErrorMessage(list[i], what, i))
      end
   end
end

-- Extra roots of the forward graph may only be parameter nodes (nnop).
local function findInputRoot(roots, innode)
   local found
   for _, root in ipairs(roots) do
      if root.data == innode.data then
         assert(found == nil, 'more than one matching input node found in leaves')
         found = root
      else
         assert(root.data.module, 'Expected nnop.Parameters node, module not found in node')
         assert(torch.typename(root.data.module) == 'nnop.Parameters',
            'Expected nnop.Parameters node, found : ' .. torch.typename(root.data.module))
      end
   end
   assert(found ~= nil, 'input node not found among roots')
   return found
end

-- Errors for split() outputs nobody uses and for nodes built on `node`
-- that never reach the output (absent from the rest of forwardnodes).
local function checkConnected(self, i, node)
   local n = node.data.nSplitOutputs
   if n and n ~= #node.children then
      error(string.format('%s of split(%s) outputs from the node declared at %s are unused',
         n - #node.children, n, node.data.annotations._debugLabel))
   end
   for consumer in pairs(node.data.reverseMap) do
      local reached = false
      for j = i + 1, #self.forwardnodes do
         if self.forwardnodes[j].data == consumer.data then reached = true; break end
      end
      assert(reached, string.format('node declared on %s does not connect to gmodule output',
         consumer.data.annotations._debugLabel))
   end
end

function gModule:__init(inputs, outputs)
   parent.__init(self)
   -- A dummy output node gathers the outputs: it starts the backward graph.
   local outnode = nngraph.Node({input = {}})
   for i = 1, utils.tableMaxN(outputs) do
      local node = outputs[i]
      if torch.typename(node) ~= 'nngraph.Node' then
         error(utils.expectingNodeErrorMessage(node, 'outputs', i))
      end
      outnode:add(node, true)
   end
   checkNodes(inputs, 'inputs')
   -- A dummy input node feeds the inputs (through a split if several).
   local innode = nngraph.Node({input = {}})
   assert(#inputs > 0, 'no inputs are not supported')
   if #inputs == 1 then
      inputs[1]:add(innode, true)
   else
      local splits = {innode:split(#inputs)}
      for i = 1, #inputs do
         assert(#inputs[i].children == 0, 'an input should have no inputs')
      end
      for i = 1, #inputs do inputs[i]:add(splits[i], true) end
   end

   -- bg runs gradients (output to inputs), fg evaluates (inputs to output)
   self.bg = outnode:graph()
   self.fg = self.bg:reverse()
   local roots = self.fg:roots()
   if #roots > 1 then
      self.innode = findInputRoot(roots, innode)
   else
      assert(#self.fg:roots() == 1, 'expecting only one start')
      self.innode = roots[1]
   end
   assert(self.innode.data == innode.data, 'expecting the forward innode')
   self.outnode = outnode
   self.verbose = false
   self.nInputs = #inputs
   self.forwardnodes = self.fg:topsort()
   self.backwardnodes = self.bg:topsort()

   for i, node in ipairs(self.forwardnodes) do
      checkConnected(self, i, node)
      node.data.forwardNodeId = node.id  -- shown by Node:label()
      if node.data.module then self:add(node.data.module) end
   end

   self.output = nil
   self.gradInput = nil
   if #self.outnode.children > 1 then
      self.output = self.outnode.data.input
   end
end

function gModule:replace(callback)
   local out = callback(self)
   local position = {}
   for i, m in ipairs(self.modules) do position[m] = i end
   for _, node in ipairs(self.forwardnodes) do
      local m = node.data.module
      if m then
         node.data.module = m:replace(callback)
         self.modules[position[m]] = node.data.module
      end
   end
   return out
end

-- func(module, otherModule) for the modules of two gModules of the same shape.
function gModule:map(gm, func)
   for i, node in ipairs(self.forwardnodes) do
      local other = gm.forwardnodes[i]
      assert(other, 'trying to map another gModule with a different structure')
      if node.data.module then
         assert(other.data.module, 'trying to map another gModule with a different structure')
         func(node.data.module, other.data.module)
      end
   end
end

-- Converts tensors, recursing into plain lists only (not torch objects).
local function convert(value, typename)
   if torch.type(value) == 'table' then
      for i = 1, #value do value[i] = convert(value[i], typename) end
   elseif torch.typename(value) and torch.typename(value):find('torch%..+Tensor') then
      value = value:type(typename)
   end
   return value
end

local function convertFields(t, typename)
   for k in pairs(t) do t[k] = convert(t[k], typename) end
end

function gModule:type(typename, tensorCache)
   if not typename then return self._type end
   tensorCache = tensorCache or {}
   convertFields(self, typename)
   if self.innode then convertFields(self.innode.data, typename) end
   if self.outnode then convertFields(self.outnode.data, typename) end
   for _, m in ipairs(self.modules) do m:type(typename, tensorCache) end
   for _, node in ipairs(self.backwardnodes) do
      if node.data.gradOutputBuffer ~= nil then
         node.data.gradOutputBuffer = convert(node.data.gradOutputBuffer, typename)
      end
      for _, child in ipairs(node.children) do convertFields(child.data, typename) end
   end
   for _, node in ipairs(self.forwardnodes) do
      if node.data.input ~= nil then node.data.input = convert(node.data.input, typename) end
      for _, child in ipairs(node.children) do convertFields(child.data, typename) end
   end
   self._type = typename
   return self
end

-- Deserialization: fields as saved; files from old nngraph lack `modules`.
function gModule:read(file)
   local saved = file:readObject()
   for k, v in pairs(saved) do self[k] = v end
   if not self.modules then
      self.modules = {}
      for _, node in ipairs(self.forwardnodes) do
         if node.data.module then table.insert(self.modules, node.data.module) end
      end
   end
end

function gModule:__tostring__()
   return self.name or torch.type(self)
end
