-- nn.Unsqueeze(pos[, numInputDims]): inserts a size-1 dimension at pos
-- (after the batch dimensions when numInputDims says how many dimensions a
-- sample has).
local Unsqueeze, parent = torch.class('nn.Unsqueeze', 'nn.Module')

local function assertTensor(t)
   assert(torch.isTensor(t), "This module only works on tensor")
end

function Unsqueeze:__init(pos, numInputDims)
   parent.__init(self)
   self.pos = pos or error('the position to insert singleton dim not specified')
   self:setNumInputDims(numInputDims)
end

function Unsqueeze:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

function Unsqueeze:updateOutput(input)
   assertTensor(input)
   nn.utils.addSingletonDimension(self.output, input, self:_getActualPosition(input))
   return self.output
end

function Unsqueeze:updateGradInput(input, gradOutput)
   assertTensor(input)
   assertTensor(gradOutput)
   assert(input:nElement() == gradOutput:nElement())
   self.gradInput:set(gradOutput:view(input:size()))
   return self.gradInput
end

function Unsqueeze:__tostring__()
   return torch.type(self) .. '(dim ' .. self.pos .. ')'
end

function Unsqueeze:_getActualPosition(input)
   local inputDim = input:dim()
   self.numInputDims = self.numInputDims or inputDim
   local batchDims = inputDim - self.numInputDims
   assert(batchDims >= 0, "input feature map dim (numInputDims) must be <= input:dim()")
   local pos = self.pos + batchDims
   assert(pos >= 1 and pos <= inputDim + 1,
          ("Invalid position: %d. input:dim() is %d, input feature map dim (numInputDims) is %d.")
          :format(self.pos, inputDim, self.numInputDims))
   return pos
end

return Unsqueeze
