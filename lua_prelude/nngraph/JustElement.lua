-- {x} -> x: what node:split(1) inserts.
local JustElement = torch.class('nngraph.JustElement', 'nn.Module')

-- (no nn.Module.__init: Torch7's JustElement has no output tensor either)
function JustElement:__init()
   self.gradInput = {}
end

function JustElement:updateOutput(input)
   assert(#input == 1, 'expecting one element')
   self.output = input[1]
   return self.output
end

function JustElement:updateGradInput(input, gradOutput)
   self.gradInput[1] = gradOutput
   return self.gradInput
end
