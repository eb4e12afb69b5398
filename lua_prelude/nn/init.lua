-- require 'nn': Torch7's neural network package, one file per module as
-- upstream, loaded in upstream's order.
require 'torch'

nn = {}

local modules = {
   'utils', 'ErrorMessages', 'Module',

   'Container', 'Concat', 'Parallel', 'Sequential', 'DepthConcat',
   'Decorator', 'Bottle', 'WeightNorm', 'DontCast', 'NaN', 'Profile',

   'Linear', 'LinearWeightNorm', 'Bilinear', 'PartialLinear', 'SparseLinear', 'IndexLinear',
   'Reshape', 'View', 'Contiguous', 'Select', 'Narrow', 'Index', 'Squeeze', 'Unsqueeze',
   'Replicate', 'Transpose', 'BatchNormalization', 'LayerNormalization', 'Padding',
   'GradientReversal', 'MaskedSelect',

   'Copy', 'Max', 'Min', 'Sum', 'Mean', 'CMul', 'Mul', 'MulConstant', 'CAdd', 'Add',
   'AddConstant', 'Constant', 'Dropout', 'WhiteNoise', 'OneHot', 'PrintSize', 'ZeroGrad',

   'CAddTable', 'CDivTable', 'CMulTable', 'CSubTable', 'CMaxTable', 'CMinTable',
   'CAddTensorTable',

   'Euclidean', 'WeightedEuclidean', 'PairwiseDistance', 'CosineDistance', 'DotProduct',
   'Normalize', 'Cosine', 'Kmeans',

   'Exp', 'Log', 'HardTanh', 'Clamp', 'LogSigmoid', 'LogSoftMax', 'Sigmoid', 'SoftMax',
   'SoftMin', 'SoftPlus', 'SoftSign', 'Tanh', 'TanhShrink', 'Abs', 'Power', 'Square',
   'Sqrt', 'HardShrink', 'SoftShrink', 'Threshold', 'Maxout', 'ReLU', 'ReLU6', 'PReLU',
   'CReLU', 'LeakyReLU', 'RReLU', 'ELU', 'GatedLinearUnit',

   'LookupTable',

   'GPU',

   'ParallelTable', 'Identity', 'ConcatTable', 'SplitTable', 'JoinTable', 'SelectTable',
   'MixtureTable', 'CriterionTable', 'FlattenTable', 'NarrowTable', 'MapTable', 'ZipTable',
   'ZipTableOneToMany', 'Collapse', 'Convert',

   'Criterion', 'MSECriterion', 'SmoothL1Criterion', 'MarginCriterion',
   'SoftMarginCriterion', 'AbsCriterion', 'ClassNLLCriterion', 'ClassSimplexCriterion',
   'DistKLDivCriterion', 'MultiCriterion', 'L1HingeEmbeddingCriterion',
   'HingeEmbeddingCriterion', 'CosineEmbeddingCriterion', 'MarginRankingCriterion',
   'MultiMarginCriterion', 'MultiLabelMarginCriterion', 'MultiLabelSoftMarginCriterion',
   'L1Cost', 'L1Penalty', 'WeightedMSECriterion', 'BCECriterion', 'CrossEntropyCriterion',
   'ParallelCriterion', 'DistanceRatioCriterion', 'ModuleCriterion',

   'PixelShuffle', 'StochasticGradient', 'MM', 'MV', 'Jacobian', 'SparseJacobian', 'hessian',
}

for _, name in ipairs(modules) do
   require('nn.' .. name)
end

require 'nn.init_spatial'

-- Upstream's `require 'nn'` also loads nn/test.lua, whose file level builds an
-- nn.Linear(1, 2) (besides a Reshape and a SpatialZeroPadding, which draw nothing):
-- four uniform draws from the default generator.  A script that seeds before
-- requiring nn sees the stream after them in Torch7, so it does here too.
nn.Linear(1, 2)
return nn
