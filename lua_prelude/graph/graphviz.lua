-- Rendering through Graphviz. Torch7 bound libgvc with FFI; we run the `dot`
-- program instead (same layouts and output formats), found on PATH.
local function quote(s)
   return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- os.execute returns 0 on LuaJIT and true under Lua 5.2 rules.
local function run(cmd)
   local r = os.execute(cmd)
   return r == 0 or r == true
end

function graph._hasDot()
   return run('command -v dot >/dev/null 2>&1')
end

local function requireDot()
   if not graph._hasDot() then
      error("graphviz library could not be loaded. (Graphviz's dot program is not on PATH)", 3)
   end
end

local function withDotFile(g, fn)
   local tmp = os.tmpname()
   local f = assert(io.open(tmp, 'w'))
   f:write(g:todot())
   f:close()
   local ok, err = pcall(fn, tmp)
   os.remove(tmp)
   if not ok then error(err, 0) end
   return err
end

-- Renders g with `algorithm` into fname; the format is fname's extension.
function graph.graphvizFile(g, algorithm, fname)
   requireDot()
   algorithm = algorithm or 'dot'
   local rendertype = fname:match('%.(%a+)%w*$')
   assert(rendertype, 'graphvizFile: ' .. fname .. ' has no extension naming a format')
   withDotFile(g, function(src)
      local cmd = string.format('dot -K%s -T%s -o %s %s', quote(algorithm),
                                quote(rendertype), quote(fname), quote(src))
      assert(run(cmd), 'graphviz render failed')
   end)
end

-- Node positions in the unit square: row id holds the (x, y) of node id.
function graph.graphvizLayout(g, algorithm)
   requireDot()
   algorithm = algorithm or 'dot'
   local text = withDotFile(g, function(src)
      local p = io.popen(string.format('dot -K%s -Tplain %s', quote(algorithm), quote(src)))
      local out = p:read('*a')
      p:close()
      return out
   end)
   local w, h = text:match('^graph%s+%S+%s+(%S+)%s+(%S+)')
   assert(w, 'graphviz layout failed')
   w, h = tonumber(w), tonumber(h)
   local positions = torch.zeros(#g.nodes, 2)
   for id, x, y in text:gmatch('\nnode%s+n(%d+)%s+(%S+)%s+(%S+)') do
      positions[tonumber(id)][1] = tonumber(x) / w
      positions[tonumber(id)][2] = tonumber(y) / h
   end
   return positions
end

-- Writes fname.dot and fname.svg. Without `dot` on PATH only the plain
-- fname.dot is written, with a one-line notice. No fname: Torch7 opened a Qt
-- window (qlua); we write temporary files and say where they are.
-- As in torch/graph, `title` does not reach the rendered files.
function graph.dot(g, title, fname)
   local shown = fname == nil
   fname = fname or os.tmpname()
   if not graph._hasDot() then
      local f = assert(io.open(fname .. '.dot', 'w'))
      f:write(g:todot())
      f:close()
      io.stderr:write(string.format(
         "graph.dot: Graphviz's dot program is not on PATH; wrote %s.dot only, no %s.svg\n",
         fname, fname))
      return
   end
   graph.graphvizFile(g, 'dot', fname .. '.svg')
   graph.graphvizFile(g, 'dot', fname .. '.dot')
   if shown then
      io.stderr:write(string.format('graph.dot: no Qt display in torchlua; wrote %s.svg\n', fname))
   end
end
