-- nn.SpatialLogSoftMax: log-softmax across the feature planes at every pixel
-- (THNN's LogSoftMax on 3-D/4-D input).
local SLSM = torch.class('nn.SpatialLogSoftMax', 'nn.Module')

function SLSM:updateOutput(input)
   return nn.LogSoftMax.updateOutput(self, input)
end

function SLSM:updateGradInput(input, gradOutput)
   return nn.LogSoftMax.updateGradInput(self, input, gradOutput)
end

return SLSM
