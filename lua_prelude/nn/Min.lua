-- nn.Min(dim=1, nInputDims): the minimum over dim; see nn.Max.
require "nn.Max"
local Min, parent = torch.class('nn.Min', 'nn.Module')

function Min:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension or 1
   self.nInputDims = nInputDims
end

-- the same machinery as nn.Max, reducing with torch.min
Min._getPositiveDimension = nn.Max._getPositiveDimension
Min._lazyInit = nn.Max._lazyInit
Min.updateOutput = nn.Max.updateOutput
Min.updateGradInput = nn.Max.updateGradInput
Min.type = nn.Max.type
Min.clearState = nn.Max.clearState

function Min:_reduce(values, indices, input, dim)
   torch.min(values, indices, input, dim)
end

return Min
