-- nn.CAdd(sizes...): adds a learnable tensor, broadcast over the batch
-- dimension and over the bias's size-1 dims.
local CAdd, parent = torch.class('nn.CAdd', 'nn.Module')

function CAdd:__init(...)
   parent.__init(self)
   self.size = require('nn._private').sizeStorage(...)
   self.bias = torch.Tensor(self.size)
   self.gradBias = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CAdd:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)   -- a uniform on [-a, a] has std a/sqrt(3)
   else
      stdv = 1 / math.sqrt(self.bias:nElement())
   end
   self.bias:uniform(-stdv, stdv)
end

function CAdd:updateOutput(input)
   self._output = self._output or input.new()
   self._bias = self._bias or input.new()
   self._expand = self._expand or input.new()
   self._repeat = self._repeat or input.new()
   self.output:resizeAs(input):copy(input)
   if input:nElement() == self.bias:nElement() then
      self.output:add(self.bias)
   else
      if self.bias:dim() == input:dim() then
         self._output:set(self.output)
         self._bias:set(self.bias)
      else
         self._output:set(self.output:view(input:size(1), -1))
         self._bias:set(self.bias:view(1, -1))
      end
      self._expand:set(self._bias:expandAs(self._output))
      self._output:add(self._expand)
   end
   return self.output
end

function CAdd:updateGradInput(input, gradOutput)
   self.gradInput = self.gradInput or input.new()
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

-- Each bias element gets the sum of the gradients at the positions it was
-- added to.  Torch7 accumulates them one after the other into the bias; for a
-- batch the rows are added in that order (same rounding), otherwise the sum
-- over the broadcast dims is added at once.
function CAdd:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self._gradBias = self._gradBias or gradOutput.new()
   self._gradOutput = self._gradOutput or gradOutput.new()
   self._repeat = self._repeat or gradOutput.new()
   if self.bias:nElement() == gradOutput:nElement() then
      self.gradBias:add(scale, gradOutput)
   elseif self.bias:dim() == gradOutput:dim() then
      local sum = gradOutput
      for d = 1, self.bias:dim() do
         if self.bias:size(d) ~= sum:size(d) then sum = sum:sum(d) end
      end
      self.gradBias:add(scale, sum)
   else
      self._gradBias:set(self.gradBias:view(-1))
      self._gradOutput:set(gradOutput:contiguous():view(input:size(1), -1))
      for b = 1, self._gradOutput:size(1) do
         self._gradBias:add(scale, self._gradOutput:select(1, b))
      end
   end
end

function CAdd:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function CAdd:clearState()
   nn.utils.clear(self, {'_gradBias', '_expand', '_output', '_bias', '_repeat'})
   return parent.clearState(self)
end

return CAdd
