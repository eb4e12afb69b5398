-- nn.CMul(sizes...): multiplies the input element-wise by a learnable tensor,
-- broadcast over the batch dimension and over the weight's size-1 dims.
local CMul, parent = torch.class('nn.CMul', 'nn.Module')

function CMul:__init(...)
   parent.__init(self)
   self.size = require('nn._private').sizeStorage(...)
   self.weight = torch.Tensor(self.size)
   self.gradWeight = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CMul:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:nElement())
   end
   self.weight:uniform(-stdv, stdv)
end

function CMul:updateOutput(input)
   self._output = self._output or input.new()
   self._weight = self._weight or input.new()
   self._expand = self._expand or input.new()
   self._repeat = self._repeat or input.new()
   self.output:resizeAs(input):copy(input)
   if input:nElement() == self.weight:nElement() then
      self._output:set(self.output:view(-1))
      self._weight:set(self.weight:view(-1))
      self._output:cmul(self._weight)
   else
      if self.weight:dim() == input:dim() then
         self._output:set(self.output)
         self._weight:set(self.weight)
      else
         -- a batch: B x (sample), weight broadcast over B
         self._output:set(self.output:view(input:size(1), -1))
         self._weight:set(self.weight:view(1, -1))
      end
      self._expand:set(self._weight:expandAs(self._output))
      self._output:cmul(self._expand)
   end
   return self.output
end

function CMul:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self._gradOutput = self._gradOutput or input.new()
   self._gradInput = self._gradInput or input.new()
   self.gradInput:resizeAs(input):zero()
   if self.weight:nElement() == gradOutput:nElement() then
      self.gradInput:addcmul(1, self.weight, gradOutput)
   else
      if self.weight:dim() == input:dim() then
         nn.utils.contiguousView(self._gradOutput, gradOutput, gradOutput:size())
         nn.utils.contiguousView(self._gradInput, self.gradInput, self.gradInput:size())
         self._weight:set(self.weight)
      else
         local batchSize = input:size(1)
         nn.utils.contiguousView(self._gradOutput, gradOutput, batchSize, -1)
         nn.utils.contiguousView(self._gradInput, self.gradInput, batchSize, -1)
         self._weight:set(self.weight:view(1, -1))
      end
      self._expand:set(self._weight:expandAs(self._gradOutput))
      self._gradInput:addcmul(1, self._expand, self._gradOutput)
   end
   return self.gradInput
end

function CMul:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self._input = self._input or input.new()
   self._gradWeight = self._gradWeight or input.new()
   self._sum = self._sum or input.new()
   if self.weight:nElement() == gradOutput:nElement() then
      self.gradWeight:addcmul(scale, input, gradOutput)
   elseif self.weight:dim() == input:dim() then
      nn.utils.contiguousView(self._input, input, input:size())
      nn.utils.contiguousView(self._gradOutput, gradOutput, gradOutput:size())
      self._gradWeight:set(self.gradWeight)
      self._repeat:cmul(self._input, self._gradOutput)
      -- sum over every dimension where the weight is broadcast, ping-ponging
      -- between the two buffers
      local into, from = self._sum, self._repeat
      for i = 1, self.weight:dim() do
         if self.weight:size(i) ~= input:size(i) then
            into:sum(from, i)
            into, from = from, into
         end
      end
      self._gradWeight:add(scale, from)
   else
      local batchSize = input:size(1)
      nn.utils.contiguousView(self._input, input, batchSize, -1)
      nn.utils.contiguousView(self._gradOutput, gradOutput, batchSize, -1)
      self._gradWeight:set(self.gradWeight:view(1, -1))
      self._repeat:cmul(self._input, self._gradOutput)
      self._sum:sum(self._repeat, 1)
      self._gradWeight:add(scale, self._sum)
   end
end

function CMul:type(typename, tensorCache)
   if typename then self:clearState() end
   return parent.type(self, typename, tensorCache)
end

function CMul:clearState()
   nn.utils.clear(self, {'_input', '_output', '_weight', '_gradWeight', '_expand', '_repeat', '_sum'})
   return parent.clearState(self)
end

return CMul
