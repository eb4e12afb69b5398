-- Helpers shared by the nngraph files.
local utils = {}

function utils.istorchclass(x)
   return type(x) == 'table' and torch.typename(x)
end

-- a plain Lua table, as opposed to a torch object
function utils.istable(x)
   return type(x) == 'table' and not torch.typename(x)
end

-- The message for something that should have been an nngraph.Node;
-- `array` names the argument ('inputs' / 'outputs'), idx the position.
function utils.expectingNodeErrorMessage(bad, array, idx)
   if bad == nil then
      return string.format('%s[%d] is nil (typo / bad index?)', array, idx)
   end
   if torch.isTypeOf(bad, 'nn.Module') then
      return string.format('%s[%d] is an nn.Module, specifically a %s, but the '
         .. 'only valid thing to pass is an instance of nngraph.Node. Did you '
         .. 'forget a second set of parens, which convert a nn.Module to a '
         .. 'nngraph.Node?', array, idx, torch.typename(bad))
   end
   return string.format('%s[%d] should be an nngraph.Node but is of type %s',
                        array, idx, torch.typename(bad) or type(bad))
end

-- Largest positive integer key: counts holes, so {nil, b} reports the nil.
function utils.tableMaxN(t)
   if table.maxn then return table.maxn(t) end
   local max = 0
   for k in pairs(t) do
      if type(k) == 'number' and k > max then max = k end
   end
   return max
end

return utils
