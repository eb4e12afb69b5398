-- nn.GatedLinearUnit(dim=last): splits the input in halves a, b along dim and
-- outputs a .* sigmoid(b).
local GatedLinearUnit, parent = torch.class('nn.GatedLinearUnit', 'nn.Module')

function GatedLinearUnit:__init(dim)
   parent.__init(self)
   self.dim = dim
end

local function halves(input, dim)
   local n = input:size(dim)
   if n % 2 ~= 0 then
      error(string.format("bad argument #2 to 'v' (Halving dimension must be even. Dim %d is size %d)", dim, n))
   end
   return input:narrow(dim, 1, n / 2), input:narrow(dim, n / 2 + 1, n / 2)
end

function GatedLinearUnit:updateOutput(input)
   local dim = self.dim or input:dim()
   local a, b = halves(input, dim)
   self.output:resizeAs(a)
   self.output:sigmoid(b):cmul(a)
   return self.output
end

-- d/da = sigmoid(b), d/db = a .* sigmoid(b) .* (1 - sigmoid(b))
function GatedLinearUnit:updateGradInput(input, gradOutput)
   local dim = self.dim or input:dim()
   local a, b = halves(input, dim)
   self.gradInput:resizeAs(input)
   local ga, gb = halves(self.gradInput, dim)
   ga:sigmoid(b)
   if require('nn._private').isFloat(ga) then
      -- THNN (float): (1 - z) z in double, rounded once
      local z = ga:double()
      gb:copy(z:clone():mul(-1):add(1):cmul(z))
   else
      gb:copy(ga):mul(-1):add(1):cmul(ga)
   end
   ga:cmul(gradOutput)
   gb:cmul(gradOutput):cmul(a)
   return self.gradInput
end

return GatedLinearUnit
