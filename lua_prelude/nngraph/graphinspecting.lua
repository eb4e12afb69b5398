-- Debugging and display: nngraph.setDebug, nngraph.annotateNodes, nngraph.display.

-- The node being evaluated when an error is raised: the `node` argument of
-- the innermost `neteval` frame (see gmodule_run.lua).
local function findCurrentNode()
   local level = 2
   while true do
      local info = debug.getinfo(level, 'n')
      if not info then return nil end
      if info.name == 'neteval' then
         local name, value = debug.getlocal(level, 1)
         if name == 'node' then return value end
      end
      level = level + 1
   end
end

-- Runs func; on error calls onError(failedNode, ...) and re-raises.
local function runChecked(func, onError, ...)
   local failed
   local function handler(msg)
      msg = tostring(msg)
      if not msg:find('stack traceback:\n', 1, true) then
         msg = debug.traceback(msg, 2)
      end
      failed = findCurrentNode()  -- before the stack unwinds
      return msg
   end
   local ok, result = xpcall(func, handler)
   if ok then return result end
   onError(failed, ...)
   error(result, 0)
end

-- g:todot(title) with the failed node filled red.
local function failedToDot(g, title, failed)
   local text = g:todot(title)
   if not failed then return text end
   for _, node in ipairs(g.nodes) do
      if node.data == failed.data then
         text = text:gsub('}%s*$', '')
         return text .. string.format('n%s[style=filled, fillcolor=red];\n}', node.id)
      end
   end
   return text
end

local function exists(path)
   local f = io.open(path, 'r')
   if f then f:close() end
   return f ~= nil
end

local function saveSvg(prefix, text)
   io.stderr:write(string.format('saving %s.svg\n', prefix))
   local f = assert(io.open(prefix .. '.dot', 'w'))
   f:write(text)
   f:close()
   if graph._hasDot() then
      os.execute(string.format("dot -Tsvg -o '%s.svg' '%s.dot'", prefix, prefix))
   else
      io.stderr:write(string.format(
         "nngraph: Graphviz's dot program is not on PATH; wrote %s.dot only\n", prefix))
   end
end

local function onError(failed, gmodule)
   local nInputs = gmodule.nInputs or #gmodule.innode.children
   local prefix = gmodule.name or string.format('nngraph_%sin_%sout',
      nInputs, #gmodule.outnode.children)
   if exists(prefix .. '.svg') then
      prefix = prefix .. '_' .. os.tmpname():match('([^/]*)$')
   end
   saveSvg(prefix, failedToDot(gmodule.fg, prefix, failed))
end

local original = {
   runForwardFunction = nn.gModule.runForwardFunction,
   updateGradInput = nn.gModule.updateGradInput,
   accGradParameters = nn.gModule.accGradParameters,
}

-- With debug on, an error inside a gModule saves <name>.svg (or
-- nngraph_<n>in_<m>out.svg) with the failing node in red.
function nngraph.setDebug(enable)
   for name, f in pairs(original) do
      if enable then
         nn.gModule[name] = function(...)
            local args = {n = select('#', ...), ...}
            return runChecked(function() return f(unpack(args, 1, args.n)) end,
                              onError, args[1])
         end
      else
         nn.gModule[name] = f
      end
   end
end

-- Names nodes after the local variables holding them at the given stack
-- level (1 = the caller of annotateNodes); explicit names are kept.
function nngraph.annotateNodes(stackLevel)
   stackLevel = stackLevel or 1
   local index = 1
   while true do
      local name, value = debug.getlocal(stackLevel + 1, index)
      if not name then break end
      if torch.typename(value) == 'nngraph.Node' and not value.data.annotations.name then
         value:annotate({name = name})
      end
      index = index + 1
   end
end

-- Torch7 opened the forward graph's svg in a viewer (xdg-open / Safari).
function nngraph.display(gmodule)
   local fname = os.tmpname()
   graph.dot(gmodule.fg, fname, fname)
   if not graph._hasDot() then return end
   local viewer = jit and jit.os == 'OSX' and 'open -a Safari' or 'xdg-open'
   local found = os.execute('command -v ' .. viewer:match('^%S+') .. ' >/dev/null 2>&1')
   if found == 0 or found == true then
      os.execute(viewer .. " '" .. fname .. ".svg'")
   else
      io.stderr:write('nngraph.display: no viewer found; the graph is in ' .. fname .. '.svg\n')
   end
end
