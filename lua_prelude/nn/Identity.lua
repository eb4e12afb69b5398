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

-- Replace rather than :set() the fields: they are the caller's tensors.
function Identity:clearState()
   for _, f in ipairs({'output', 'gradInput'}) do
      local v = self[f]
      if v then
         if torch.isTensor(v) then
            self[f] = v.new()
         elseif torch.type(v) == 'table' then
            self[f] = {}
         else
            self[f] = nil
         end
      end
   end
   return self
end

return Identity
