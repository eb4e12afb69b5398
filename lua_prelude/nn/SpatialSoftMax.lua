-- nn.SpatialSoftMax: softmax across the feature planes at every pixel
-- ((C x H x W) or (N x C x H x W) input), i.e. THNN's SoftMax on 3-D/4-D input.
local SSM = torch.class('nn.SpatialSoftMax', 'nn.Module')

function SSM:updateOutput(input)
   return nn.SoftMax.updateOutput(self, input)
end

function SSM:updateGradInput(input, gradOutput)
   return nn.SoftMax.updateGradInput(self, input, gradOutput)
end

return SSM
