-- nn.Sum(dim=1, nInputDims, sizeAverage=false, squeeze=true): the sum (or
-- mean) over dim.
local Sum, parent = torch.class('nn.Sum', 'nn.Module')

function Sum:__init(dimension, nInputDims, sizeAverage, squeeze)
   parent.__init(self)
   self.dimension = dimension or 1
   self.nInputDims = nInputDims   -- no default: older saved modules lack it
   self.sizeAverage = sizeAverage or false
   if squeeze ~= nil then
      assert(type(squeeze) == 'boolean', 'squeeze has to be true/false')
      self.squeeze = squeeze
   else
      self.squeeze = true
   end
end

function Sum:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then
      d = input:dim() + d + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then
      d = d + 1
   end
   assert(input:dim() >= d, "dimension exceeds input dimensions")
   return d
end

function Sum:updateOutput(input)
   local d = self:_getPositiveDimension(input)
   if type(self.output) == 'number' then self.output = input.new() end
   self.output:sum(input, d)
   if self.sizeAverage then self.output:div(input:size(d)) end
   if (self.squeeze == nil or self.squeeze) and self.output:nDimension() > 1 then
      self.output:set(self.output:select(d, 1))
   end
   return self.output
end

-- a real copy of the broadcast gradient: zero strides upset BLAS later on
function Sum:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   local size = input:size()
   size[d] = 1
   if not gradOutput:isContiguous() then
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      gradOutput = self._gradOutput
   end
   self.gradInput:resizeAs(input)
   self.gradInput:copy(gradOutput:view(size):expandAs(input))
   if self.sizeAverage then self.gradInput:div(input:size(d)) end
   return self.gradInput
end

function Sum:clearState()
   nn.utils.clear(self, '_gradOutput')
   return parent.clearState(self)
end

return Sum
