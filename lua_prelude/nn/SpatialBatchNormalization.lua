-- nn.SpatialBatchNormalization(nFeature[, eps, momentum, affine]): batch
-- normalisation of a (batch x nFeature x H x W) input, per feature plane, over
-- the batch and both spatial dimensions; all the work is nn.BatchNormalization's.
local SBN = torch.class('nn.SpatialBatchNormalization', 'nn.BatchNormalization')

SBN.__version = 2
SBN.nDim = 4

return SBN
