-- Graph:todot(title): Graphviz text for a graph, as torch/graph writes it.

-- Quote anything that is not a plain word; escape newlines and quotes.
function graph._dotEscape(str)
   if str:find('[^a-zA-Z]') then
      str = '"' .. str:gsub('\n', '\\n'):gsub('"', '\\"') .. '"'
   end
   return str
end

-- ' k1=v1 k2=v2' with keys sorted, so the text is deterministic.
local function attributeString(attributes)
   local keys = {}
   for k in pairs(attributes) do keys[#keys + 1] = k end
   table.sort(keys)
   local parts = {}
   for i, k in ipairs(keys) do
      parts[i] = tostring(k) .. '=' .. graph._dotEscape(tostring(attributes[k]))
   end
   return ' ' .. table.concat(parts, ' ')
end

function graph.Graph:todot(title)
   local out = {'digraph G {\n'}
   if title then
      out[#out + 1] = 'labelloc="t";\nlabel="' .. title .. '";\n'
   end
   out[#out + 1] = 'node [shape = oval]; '
   local names = {}
   for _, node in ipairs(self.nodes) do
      local name = node.graphNodeName and node:graphNodeName() or ('Node' .. node.id)
      local attrs = node.graphNodeAttributes
         and attributeString(node:graphNodeAttributes()) or ''
      names[node] = 'n' .. node.id
      out[#out + 1] = '\n' .. names[node] .. '[label='
         .. graph._dotEscape(name .. '\n' .. node:label()) .. attrs .. '];'
   end
   out[#out + 1] = '\n'
   for _, e in ipairs(self.edges) do
      out[#out + 1] = names[e.from] .. ' -> ' .. names[e.to] .. ';\n'
   end
   out[#out + 1] = '}'
   return table.concat(out)
end
