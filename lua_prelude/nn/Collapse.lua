-- nn.Collapse(nInputDim): flattens each sample (inputs with more than
-- nInputDim dimensions are batches: B x everything-else).
local Collapse, parent = torch.class('nn.Collapse', 'nn.Module')

function Collapse:__init(nInputDim)
   parent.__init(self)
   self.nInputDim = nInputDim
end

function Collapse:updateOutput(input)
   if not input:isContiguous() then
      self._input = self._input or input.new()
      self._input:resize(input:size()):copy(input)
      input = self._input
   end
   if input:dim() > self.nInputDim then
      self.output:set(input:view(input:size(1), -1))
   else
      self.output:set(input:view(-1))
   end
   return self.output
end

function Collapse:updateGradInput(input, gradOutput)
   self.gradInput:set(gradOutput:view(input:size()))
   return self.gradInput
end

function Collapse:clearState()
   self._input = nil
end

return Collapse
