-- nn.Transpose({d1, d2}, {d3, d4}, ...): applies the transpositions in turn
-- (a contiguous copy); setNumInputDims makes the dims count from the sample's
-- first dimension in a batch.
local Transpose, parent = torch.class('nn.Transpose', 'nn.Module')

function Transpose:__init(...)
   parent.__init(self)
   self.permutations = {...}
   self.numInputDims = nil
end

function Transpose:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

local function offset(self, input)
   return self.numInputDims and input:nDimension() - self.numInputDims or 0
end

function Transpose:updateOutput(input)
   local off = offset(self, input)
   for _, p in ipairs(self.permutations) do
      input = input:transpose(p[1] + off, p[2] + off)
   end
   self.output:resizeAs(input):copy(input)
   return self.output
end

-- undo the transpositions in reverse order
function Transpose:updateGradInput(input, gradOutput)
   local off = offset(self, input)
   for i = #self.permutations, 1, -1 do
      local p = self.permutations[i]
      gradOutput = gradOutput:transpose(p[1] + off, p[2] + off)
   end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

return Transpose
