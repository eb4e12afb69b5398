-- nngraph.nest(x): one node standing for a node or a nested list of nodes.
local function isNode(x)
   return torch.typename(x) == 'nngraph.Node'
end

local function nest(input)
   if isNode(input) then return input end
   if type(input) ~= 'table' or #input == 0 then
      error('what is this in the nest input? ' .. tostring(input))
   end
   if #input == 1 then
      return nngraph.JustTable()(input)
   end
   local children = {}
   for i, child in ipairs(input) do children[i] = nest(child) end
   return nn.Identity()(children)
end

function nngraph.nest(...)
   local n = select('#', ...)
   assert(n <= 1, 'Use {input1, input2} to pass multiple inputs.')
   local input = ...
   assert(n > 0 and input ~= nil, 'Pass an input.')
   return nest(input)
end
