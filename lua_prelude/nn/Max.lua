-- nn.Max(dim=1, nInputDims): the maximum over dim (squeezed); the gradient
-- goes to the arg-max.  Negative dim counts from the end; with nInputDims an
-- input with one more dimension is a batch.
local Max, parent = torch.class('nn.Max', 'nn.Module')

function Max:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension or 1
   self.nInputDims = nInputDims   -- no default: older saved modules lack it
end

function Max:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then
      d = input:dim() + d + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then
      d = d + 1
   end
   return d
end

function Max:_lazyInit()
   self._output = self._output or self.output.new()
   self._indices = self._indices or torch.LongTensor()
end

-- Max and Min differ only in the reduction
function Max:_reduce(values, indices, input, dim)
   torch.max(values, indices, input, dim)
end

function Max:updateOutput(input)
   self:_lazyInit()
   local d = self:_getPositiveDimension(input)
   self:_reduce(self._output, self._indices, input, d)
   if input:dim() > 1 then
      self.output:set(self._output:select(d, 1))
   else
      self.output:set(self._output)
   end
   return self.output
end

function Max:updateGradInput(input, gradOutput)
   self:_lazyInit()
   local d = self:_getPositiveDimension(input)
   local g = gradOutput
   if input:dim() > 1 then g = nn.utils.addSingletonDimension(gradOutput, d) end
   self.gradInput:resizeAs(input):zero():scatter(d, self._indices, g)
   return self.gradInput
end

function Max:type(typename, tensorCache)
   self._indices = nil
   parent.type(self, typename, tensorCache)
   return self
end

function Max:clearState()
   nn.utils.clear(self, '_indices', '_output')
   return parent.clearState(self)
end

return Max
