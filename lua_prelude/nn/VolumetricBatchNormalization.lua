-- nn.VolumetricBatchNormalization(nFeature[, eps, momentum, affine]): batch
-- normalisation of (batch x nFeature x T x H x W) input per feature volume.
local VBN = torch.class('nn.VolumetricBatchNormalization', 'nn.BatchNormalization')

VBN.nDim = 5

return VBN
