-- nngraph.Node: a graph.Node whose data table describes one step of a
-- gModule: {module=..., input=..., mapindex=..., reverseMap=..., annotations=...}.
local utils = require 'nngraph.utils'
local debuglabel = require 'nngraph.debuglabel'
local istensor = torch.isTensor
local istable = utils.istable

local Node, parent = torch.class('nngraph.Node', 'graph.Node')

function Node:__init(data)
   parent.__init(self, data)
   data.annotations = data.annotations or {}
   data.mapindex = data.mapindex or {}      -- inputs in call order, and data -> position
   data.reverseMap = data.reverseMap or {}  -- consumers, to detect dangling nodes
   if not data.annotations._debugLabel then
      data.annotations._debugLabel = debuglabel.make(1)
   end
end

function Node:_makeDebugLabel(dinfo)
   if dinfo then
      self.data.annotations._debugLabel = string.format('[%s]:%d_%s',
         dinfo.short_src, dinfo.currentline, dinfo.name or '')
   end
end

-- In nngraph a child is an input of this node; domap records its position
-- in the input list and tells the child who consumes it.
function Node:add(child, domap)
   parent.add(self, child)
   if not domap then return end
   local mapindex = self.data.mapindex
   local data = child.data
   assert(not mapindex[data], "Don't pass the same input twice.")
   mapindex[#mapindex + 1] = data
   mapindex[data] = #mapindex
   local consumers = child.data.reverseMap
   assert(not consumers[self], 'this connection has already been made!')
   consumers[self] = true
end

-- n nodes, each taking one element of this node's (table) output.
function Node:split(noutput)
   if noutput == 1 then
      return nngraph.JustElement()(self)
   end
   local label = self.data.annotations._debugLabel
   local caller = debug.getinfo(2, 'Sl')
   local where = string.format(' split at [%s]:%d', caller.short_src, caller.currentline)
   local splitter = nngraph.Node({nSplitOutputs = noutput,
      annotations = {_debugLabel = label .. where .. '-mnode'}})
   splitter:add(self, true)
   local outputs = {}
   for i = 1, noutput do
      local node = nngraph.Node({selectindex = i, input = {},
         annotations = {_debugLabel = label .. '-' .. i}})
      node:add(splitter, true)
      outputs[i] = node
   end
   return unpack(outputs)
end

function Node:annotate(annotations)
   for k, v in pairs(annotations) do
      self.data.annotations[k] = v
   end
   return self
end

function Node:graphNodeName()
   local name = self.data.annotations.name
   if name then return name .. ' (' .. self.id .. ')' end
   return 'Node' .. self.id
end

-- dot attributes; the tooltip defaults to where the node was declared
function Node:graphNodeAttributes()
   local a = self.data.annotations
   a.graphAttributes = a.graphAttributes or {}
   if not a.graphAttributes.tooltip then
      a.graphAttributes.tooltip = a._debugLabel
   end
   return a.graphAttributes
end

local function badValueFlag(t)
   if t:nElement() == 0 then return '' end
   if t:ne(t):sum() > 0 then return 'NaN' end
   if t:max() == math.huge then return 'inf' end
   if t:min() == -math.huge then return '-inf' end
   return ''
end

local function describe(v)
   if not v then return '' end
   if istensor(v) then
      local kind = v:type() == torch.Tensor():type() and 'Tensor' or v:type()
      return kind .. '[' .. table.concat(v:size():totable(), 'x') .. ']' .. badValueFlag(v)
   end
   if istable(v) then
      local parts = {}
      for i, x in ipairs(v) do parts[i] = describe(x) end
      return '{' .. table.concat(parts, ',') .. '}'
   end
   return (tostring(v):gsub('\n', '\\l'))
end

-- One 'key = value' line per data field (dot left-justified lines).
function Node:label()
   local lines = {}
   for k, v in pairs(self.data) do
      if k == 'mapindex' then
         if #v > 1 then
            local ids = {}
            for i, d in ipairs(v) do ids[i] = 'Node' .. (d.forwardNodeId or '') end
            lines[#lines + 1] = k .. ' = {' .. table.concat(ids, ',') .. '}'
         end
      elseif k ~= 'forwardNodeId' and k ~= 'annotations' then
         lines[#lines + 1] = k .. ' = ' .. describe(v)
      end
   end
   local desc = self.data.annotations.description
   desc = desc and ('desc = ' .. desc .. '\\n') or ''
   return desc .. table.concat(lines, '\\l')
end
