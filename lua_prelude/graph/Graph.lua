-- graph.Graph: an edge list plus a node list. Both tables are also reverse
-- indexes (nodes[node] = position), which fixes node ids and sort orders.
local Graph = torch.class('graph.Graph')

function Graph:__init()
   self.nodes = {}
   self.edges = {}
end

local function insertOnce(list, item)
   if not list[item] then
      list[#list + 1] = item
      list[item] = #list
   end
end

-- Accepts one graph.Edge or a plain list of them.
function Graph:add(edge)
   if type(edge) ~= 'table' then
      error('graph.Edge or {graph.Edges} expected')
   end
   if not torch.typename(edge) then
      for _, e in ipairs(edge) do self:add(e) end
      return
   end
   insertOnce(self.edges, edge)
   insertOnce(self.nodes, edge.from)
   insertOnce(self.nodes, edge.to)
   edge.from:add(edge.to)
   edge.from.id = self.nodes[edge.from]
   edge.to.id = self.nodes[edge.to]
end

-- New nodes (of the same classes) sharing each node's data.
function Graph:clone()
   local g = graph.Graph()
   local copies = {}
   for i, n in ipairs(self.nodes) do copies[i] = n.new(n.data) end
   for _, e in ipairs(self.edges) do
      g:add(e.new(copies[self.nodes[e.from]], copies[self.nodes[e.to]]))
   end
   return g
end

-- Same nodes' data, every edge flipped. Also returns old node -> new node.
function Graph:reverse()
   local rg, map = graph.Graph(), {}
   for _, e in ipairs(self.edges) do
      map[e.from] = map[e.from] or e.from.new(e.from.data)
      map[e.to] = map[e.to] or e.to.new(e.to.data)
      rg:add(e.new(map[e.to], map[e.from]))
   end
   return rg, map
end

function Graph:hasCycle()
   local roots = self:roots()
   if #roots == 0 then return true end
   for _, root in ipairs(roots) do
      if root:hasCycle() then return true end
   end
   return false
end

-- Nodes that appear on one end of some edge and never on the other,
-- in the order they entered the graph.
local function ends(self, keep, drop)
   local candidates = {}
   for _, e in ipairs(self.edges) do candidates[e[keep]] = true end
   for _, e in ipairs(self.edges) do candidates[e[drop]] = nil end
   local list = {}
   for node in pairs(candidates) do list[#list + 1] = node end
   table.sort(list, function(a, b) return self.nodes[a] < self.nodes[b] end)
   return list
end

function Graph:roots() return ends(self, 'from', 'to') end
function Graph:leaves() return ends(self, 'to', 'from') end

-- Post-order DFS of the reversed graph from its roots: every node comes
-- after all of its parents. Returns sorted nodes, reversed graph, its roots.
function Graph:topsort()
   local rg, map = self:reverse()
   local original = {}
   for old, new in pairs(map) do original[new] = old end
   local roots = rg:roots()
   if #roots == 0 then error('Graph has cycles') end
   local start = roots[1]
   if #roots > 1 then
      -- a throwaway root unknown to `original`, so it is never emitted
      start = graph.Node('dummy_root')
      for _, r in ipairs(roots) do start:add(r) end
   end
   local sorted = {}
   start:dfs(function(node)
      local n = original[node]
      if n then sorted[#sorted + 1] = n end
   end)
   if #sorted ~= #self.nodes then error('Graph has cycles') end
   return sorted, rg, roots
end
