-- nn.MaskedSelect: {input, mask} -> the elements of input where mask is 1
-- (a vector); the gradient is scattered back to those positions.
local MaskedSelect, parent = torch.class('nn.MaskedSelect', 'nn.Module')

function MaskedSelect:__init()
   parent.__init(self)
   self._maskIndices = torch.LongTensor()
   self._maskIndexBuffer = torch.LongTensor()
   self._maskIndexBufferCPU = torch.FloatTensor()
   self._gradBuffer = torch.Tensor()
   self._gradMask = torch.ByteTensor()
end

function MaskedSelect:updateOutput(input)
   self.output:maskedSelect(input[1], input[2])
   return self.output
end

function MaskedSelect:updateGradInput(input, gradOutput)
   local x, mask = input[1], input[2]
   -- the flat positions the mask selects, in order
   self._maskIndexBuffer:range(1, mask:nElement()):resize(mask:size())
   self._maskIndices:maskedSelect(self._maskIndexBuffer, mask)
   self._gradBuffer:resize(x:nElement()):zero()
   self._gradBuffer:scatter(1, self._maskIndices, gradOutput)
   self._gradBuffer:resize(x:size())
   self.gradInput = {self._gradBuffer, self._gradMask:resize(mask:size()):fill(0)}
   return self.gradInput
end

function MaskedSelect:type(typename, tensorCache)
   if not typename then return self._type end
   self._gradBuffer = self._gradBuffer:type(typename)
   self.output = self.output:type(typename)
   self._maskIndexBuffer = self._maskIndexBuffer:long()
   self._maskIndices = self._maskIndices:long()
   self._gradMask = self._gradMask:byte()
   if torch.isTensor(self.gradInput) then
      self.gradInput = self.gradInput:type(typename)
   else   -- after a backward: the pair built from the buffers
      self.gradInput = {self._gradBuffer, self._gradMask}
   end
   self._type = typename
   return self
end

function MaskedSelect:clearState()
   return nn.utils.clear(self, {'output', 'gradInput', '_maskIndexBuffer', '_maskIndexBufferCPU',
                                '_maskIndices', '_gradBuffer', '_gradMask'})
end

return MaskedSelect
