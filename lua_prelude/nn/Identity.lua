-- nn.Identity: output is the input itself, gradInput the gradOutput itself.
local Identity = torch.class('nn.Identity', 'nn.Module')

function Identity:updateOutput(input)
   self.output = input
   return self.output
end

function Identity:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput
   return self.gradInput
end

Identity.clearState = require('nn._private').dropOutputs

return Identity
