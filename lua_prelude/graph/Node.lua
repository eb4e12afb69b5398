-- A graph node: data plus an ordered children list that doubles as a set
-- (children[child] = position), so traversals follow insertion order.
local Node = torch.class('graph.Node')

function Node:__init(data)
   self.data = data
   self.id = 0
   self.children = {}
   self.visited = false
   self.marked = false
end

-- A plain (non-torch) table is taken as a list of children.
function Node:add(child)
   if type(child) == 'table' and not torch.typename(child) then
      for _, c in ipairs(child) do self:add(c) end
      return
   end
   local children = self.children
   if not children[child] then
      children[#children + 1] = child
      children[child] = #children
   end
end

-- Depth-first walk; pre/post callbacks decide what "visited" means.
function Node:visit(pre, post)
   if self.visited then return end
   if pre then pre(self) end
   for _, child in ipairs(self.children) do
      child:visit(pre, post)
   end
   if post then post(self) end
end

function Node:label()
   return tostring(self.data)
end

-- The graph reachable from this node, edges added breadth first.
function Node:graph()
   local g = graph.Graph()
   self:bfs(function(node)
      for _, child in ipairs(node.children) do
         g:add(graph.Edge(node, child))
      end
   end)
   return g
end

-- Post-order DFS; leaves the visited flags set (callers reset them).
function Node:dfs_dirty(func)
   local seen = {}
   self:visit(function(node) node.visited = true end,
              function(node) func(node); seen[#seen + 1] = node end)
   return seen
end

function Node:dfs(func)
   for _, node in ipairs(self:dfs_dirty(func)) do node.visited = false end
end

-- BFS; leaves the marked flags set (callers reset them).
function Node:bfs_dirty(func)
   local seen, queue = {}, {self}
   self.marked = true
   while #queue > 0 do
      local node = table.remove(queue, 1)
      seen[#seen + 1] = node
      func(node)
      for _, child in ipairs(node.children) do
         if not child.marked then
            child.marked = true
            queue[#queue + 1] = child
         end
      end
   end
   return seen
end

function Node:bfs(func)
   for _, node in ipairs(self:bfs_dirty(func)) do node.marked = false end
end

-- DFS with "marked" meaning "on the current path": meeting a marked node is a
-- back edge, i.e. a cycle.
function Node:hasCycle()
   local found = false
   local done = {}
   local function pre(node)
      if found then return end
      if node.marked then
         node.visited = true  -- stop visit() from descending again
         found = true
         return
      end
      node.marked = true
   end
   local function post(node)
      node.marked = false
      node.visited = true
      done[node] = true
   end
   self:visit(pre, post)
   for node in pairs(done) do node.visited = false end
   return found
end
