-- nn.Constant(value[, nInputDim]): outputs `value` whatever the input; with
-- nInputDim, an input with more dimensions is a batch and the value is
-- repeated for each of its samples.
local Constant, parent = torch.class('nn.Constant', 'nn.Module')

function Constant:__init(value, nInputDim)
   self.value = value
   if torch.type(value) == 'number' then self.value = torch.Tensor{value} end
   assert(torch.isTensor(self.value), "Expecting number or tensor at arg 1")
   self.nInputDim = nInputDim
   parent.__init(self)
end

function Constant:updateOutput(input)
   if self.nInputDim and input:dim() > self.nInputDim then
      local vsize = self.value:size():totable()
      self.output:resize(input:size(1), table.unpack(vsize))
      self.output:copy(self.value:view(1, table.unpack(vsize)):expand(self.output:size()))
   else
      self.output:resize(self.value:size()):copy(self.value)
   end
   return self.output
end

function Constant:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   return self.gradInput
end

return Constant
