-- Registers nn's spatial, temporal and volumetric modules (required at the
-- end of nn/init.lua, after nn.Module, nn.Sequential, nn.BatchNormalization,
-- nn.SoftMax, nn.MSECriterion... exist).  Order matters: some modules reuse
-- methods of ones listed before them.
for _, name in ipairs{
   'SpatialConvolution', 'SpatialConvolutionMM', 'SpatialDilatedConvolution',
   'SpatialFullConvolution', 'SpatialConvolutionLocal', 'SpatialConvolutionMap',
   'SpatialFullConvolutionMap', 'SpatialDepthWiseConvolution', 'SpatialSubSampling',
   'SpatialMaxPooling', 'SpatialDilatedMaxPooling', 'SpatialMaxUnpooling',
   'SpatialAveragePooling', 'SpatialAdaptiveMaxPooling', 'SpatialAdaptiveAveragePooling',
   'SpatialFractionalMaxPooling', 'SpatialLPPooling',
   'SpatialBatchNormalization', 'SpatialCrossMapLRN',
   'SpatialSubtractiveNormalization', 'SpatialDivisiveNormalization',
   'SpatialContrastiveNormalization',
   'SpatialZeroPadding', 'SpatialReflectionPadding', 'SpatialReplicationPadding',
   'SpatialUpSamplingNearest', 'SpatialUpSamplingBilinear', 'UpSampling',
   'SpatialSoftMax', 'SpatialLogSoftMax', 'SpatialDropout',
   'SpatialClassNLLCriterion', 'SpatialAutoCropMSECriterion',
   'TemporalConvolution', 'TemporalSubSampling', 'TemporalMaxPooling',
   'TemporalDynamicKMaxPooling', 'TemporalRowConvolution',
   'VolumetricConvolution', 'VolumetricDilatedConvolution', 'VolumetricFullConvolution',
   'VolumetricMaxPooling', 'VolumetricDilatedMaxPooling', 'VolumetricMaxUnpooling',
   'VolumetricAveragePooling', 'VolumetricFractionalMaxPooling',
   'VolumetricBatchNormalization', 'VolumetricReplicationPadding', 'VolumetricDropout',
   'FeatureLPPooling',
} do
   require('nn.' .. name)
end
