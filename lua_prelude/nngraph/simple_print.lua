-- nngraph.simple_print: dot output of a graph with every node that is not a
-- real module (Identity, split helpers, dummy in/out nodes) bridged over.
local M = {}

local function keep(node)
   local m = node.data and node.data.module
   return m and torch.typename(m) ~= 'nn.Identity'
end

-- Removes node `id` from the edge list, linking each predecessor to each
-- successor instead.
local function bypass(id, edges)
   local from, to = {}, {}
   local i = 1
   while i <= #edges do
      local e = edges[i]
      if e.source == id then
         to[#to + 1] = e.target
         table.remove(edges, i)
      elseif e.target == id then
         from[#from + 1] = e.source
         table.remove(edges, i)
      else
         i = i + 1
      end
   end
   for _, f in ipairs(from) do
      for _, t in ipairs(to) do edges[#edges + 1] = {source = f, target = t} end
   end
end

-- Kept nodes renumbered 1..n for the edge list; dot names keep graph ids.
local function simplify(g)
   local nodes, edges = {}, {}
   for _, node in ipairs(g.nodes) do
      nodes[#nodes + 1] = {id = node.id, orig = node}
      for _, child in ipairs(node.children) do
         edges[#edges + 1] = {source = node.id, target = child.id}
      end
   end
   local i = 1
   while i <= #nodes do
      if keep(nodes[i].orig) then
         i = i + 1
      else
         bypass(nodes[i].id, edges)
         table.remove(nodes, i)
      end
   end
   local renumber = {}
   for k, n in ipairs(nodes) do
      renumber[n.id] = k
      n.id = k
   end
   for _, e in ipairs(edges) do
      e.source, e.target = renumber[e.source], renumber[e.target]
   end
   return nodes, edges
end

function M.todot(g, title)
   local nodes, edges = simplify(g)
   local out = {'digraph G {\n'}
   if title then
      out[#out + 1] = 'labelloc="t";\nlabel="' .. title .. '";\n'
   end
   out[#out + 1] = 'node [shape = oval]; '
   local names = {}
   for i, n in ipairs(nodes) do
      local node = n.orig
      names[i] = 'n' .. node.id
      out[#out + 1] = '\n' .. names[i] .. '[label="Node' .. node.id .. '\\n'
         .. node:label() .. '"];'
   end
   out[#out + 1] = '\n'
   for _, e in ipairs(edges) do
      out[#out + 1] = names[e.source] .. ' -> ' .. names[e.target] .. ';\n'
   end
   out[#out + 1] = '}'
   return table.concat(out)
end

-- Writes fname.dot, then fname.svg through the dot program.
function M.dot(g, title, fname)
   local text = M.todot(g, title)
   local base = fname or os.tmpname()
   local f = assert(io.open(base .. '.dot', 'w'))
   f:write(text)
   f:close()
   if not graph._hasDot() then
      io.stderr:write(string.format(
         "nngraph.simple_print.dot: Graphviz's dot program is not on PATH; wrote %s.dot only\n", base))
      return
   end
   os.execute(string.format("dot -Tsvg -o '%s.svg' '%s.dot'", base, base))
   if not fname then
      io.stderr:write(string.format('nngraph.simple_print.dot: no Qt display in torchlua; wrote %s.svg\n', base))
   end
end

return M
