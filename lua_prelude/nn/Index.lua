-- nn.Index(dim): {t, indices} -> t:index(dim, indices); the indices get a
-- zero gradient.
local Index, parent = torch.class('nn.Index', 'nn.Module')

function Index:__init(dimension)
   parent.__init(self)
   self.dimension = dimension
   self.gradInput = {self.gradInput, self.gradInput.new()}
end

function Index:updateOutput(input)
   self.output:index(input[1], self.dimension, input[2])
   return self.output
end

function Index:updateGradInput(input, gradOutput)
   local t, index = input[1], input[2]
   self.gradInput[2]:resize(index:size()):zero()
   self.gradInput[1]:resizeAs(t):zero()
   self.gradInput[1]:indexAdd(self.dimension, index, gradOutput)
   return self.gradInput
end

function Index:clearState()
   self.gradInput[1]:set()
   self.gradInput[2]:set()
   self.output:set()
   return self
end

return Index
