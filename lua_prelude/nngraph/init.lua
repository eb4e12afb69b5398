-- require 'nngraph': graphs of nn modules. Calling a module on nodes
-- creates a node; nn.gModule turns a graph of nodes into a module.
require 'nn'
require 'graph'

nngraph = rawget(_G, 'nngraph') or {}
package.loaded.nngraph = nngraph

require 'nngraph.nest'
require 'nngraph.node'
require 'nngraph.gmodule'
require 'nngraph.gmodule_run'
require 'nngraph.graphinspecting'
require 'nngraph.JustElement'
require 'nngraph.JustTable'
require 'nngraph.ModuleFromCriterion'

local utils = require 'nngraph.utils'
local debuglabel = require 'nngraph.debuglabel'
nngraph.simple_print = require 'nngraph.simple_print'

-- nngraph replaces nn's forward-calling __call__: module(x) makes a node
-- taking node x, module({x, y}) one taking x and y, module() an input node.
local Module = torch.getmetatable('nn.Module')
function Module:__call__(...)
   local n = select('#', ...)
   assert(n <= 1, 'Use {input1, input2} to pass multiple inputs.')
   local input = ...
   if n == 1 and input == nil then
      error(utils.expectingNodeErrorMessage(input, 'inputs', 1))
   end
   -- an empty table is most likely a typo'd variable inside {}
   if type(input) == 'table' and next(input) == nil then
      error('cannot pass an empty table of inputs. To indicate no incoming '
         .. 'connections, leave the second set of parens blank.')
   end
   if not utils.istable(input) then input = {input} end
   local mnode = nngraph.Node({module = self})
   for i = 1, utils.tableMaxN(input) do
      local dnode = input[i]
      if torch.typename(dnode) ~= 'nngraph.Node' then
         error(utils.expectingNodeErrorMessage(dnode, 'inputs', i))
      end
      mnode:add(dnode, true)
   end
   return mnode
end

local Criterion = torch.getmetatable('nn.Criterion')
function Criterion:__call__(...)
   return nn.ModuleFromCriterion(self)(...)
end

-- -m is m(); a - b is b(a), so chains read left to right.
function Module.__unm__(m) return m() end
function Module.__sub__(prev, nxt) return nxt(prev) end
torch.getmetatable('nngraph.Node').__sub__ = function(prev, nxt) return nxt(prev) end

debuglabel.metacalls[Module.__call__] = true
debuglabel.metacalls[Criterion.__call__] = true

return nngraph
