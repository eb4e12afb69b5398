-- nn.OneHot(outputSize): indices (a number or a tensor of any shape) to
-- one-hot vectors along a new last dimension.
local OneHot, parent = torch.class('nn.OneHot', 'nn.Module')

function OneHot:__init(outputSize)
   parent.__init(self)
   self.outputSize = outputSize
end

function OneHot:updateOutput(input)
   local size
   if type(input) == 'number' then
      self._single = self._single or torch.LongTensor():resize(1)
      self._single[1] = input
      input = self._single
      size = {}
   else
      size = input:size():totable()
   end
   size[#size + 1] = self.outputSize
   self.output:resize(table.unpack(size)):zero()
   size[#size] = 1
   local index = input:view(table.unpack(size))
   -- scatter wants LongTensor indices
   if torch.type(input) ~= 'torch.LongTensor' then
      self._input = self._input or torch.LongTensor()
      self._input:resize(index:size()):copy(index)
      index = self._input
   end
   self.output:scatter(self.output:dim(), index, 1)
   return self.output
end

function OneHot:updateGradInput(input, gradOutput)
   if type(input) == 'number' then return 0 end
   self.gradInput:resize(input:size()):zero()
   return self.gradInput
end

function OneHot:clearState()
   self._single = nil
   self._input = nil
end

function OneHot:type(typename, typecache)
   self:clearState()
   return parent.type(self, typename, typecache)
end

return OneHot
