-- nn.SpatialConvolutionMap(connTable, kW, kH[, dW=1, dH=1]): a convolution in
-- which only the (input plane, output plane) pairs listed in connTable (a
-- K x 2 tensor, 1-based) are connected, each with its own kH x kW kernel.
-- nn.tables.full/oneToOne/random build the usual connection tables.
local K = require 'nn.THNN_kernels'
local Map, parent = torch.class('nn.SpatialConvolutionMap', 'nn.Module')

nn.tables = nn.tables or {}

-- every input plane to every output plane
function nn.tables.full(nin, nout)
   local t = torch.Tensor(nin * nout, 2)
   local row = 1
   for o = 1, nout do
      for i = 1, nin do
         t[row][1], t[row][2] = i, o
         row = row + 1
      end
   end
   return t
end

-- plane i to plane i
function nn.tables.oneToOne(nfeat)
   local t = torch.Tensor(nfeat, 2)
   for i = 1, nfeat do t[i][1], t[i][2] = i, i end
   return t
end

-- each output plane fed by nto input planes, taken in turn from random
-- permutations of the inputs (a new permutation once one is used up)
function nn.tables.random(nin, nout, nto)
   local t = torch.Tensor(nto * nout, 2)
   local perm = torch.randperm(nin)
   local chunks = math.floor(nin / nto)   -- whole groups of nto in a permutation
   local groups = perm:narrow(1, 1, chunks * nto):unfold(1, nto, nto)
   local from = t:select(2, 1):unfold(1, nto, nto)
   local to = t:select(2, 2):unfold(1, nto, nto)
   local g = 1
   for o = 1, nout do
      from:select(1, o):copy(groups:select(1, g))
      g = g + 1
      if g - 1 == chunks then
         perm:copy(torch.randperm(nin))
         g = 1
      end
   end
   for o = 1, to:size(1) do to:select(1, o):fill(o) end
   return t
end

function Map:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.connTable = conMatrix
   self.nInputPlane = self.connTable:select(2, 1):max()
   self.nOutputPlane = self.connTable:select(2, 2):max()
   self.weight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self:reset()
end

-- the fan-in of each output plane: how many connections reach it
function Map:_fanIn()
   local n = torch.Tensor(self.nOutputPlane):zero()
   for k = 1, self.connTable:size(1) do
      local o = self.connTable[k][2]
      n[o] = n[o] + 1
   end
   return n
end

-- without stdv: each kernel and each bias drawn with 1/sqrt(kW*kH*fan-in of
-- its output plane), kernels in table order, then the biases one by one
function Map:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      require('nn._private').uniformParameters(self, stdv)
      return
   end
   local fan = self:_fanIn()
   for k = 1, self.connTable:size(1) do
      local s = 1 / math.sqrt(self.kW * self.kH * fan[self.connTable[k][2]])
      if nn.oldSeed then
         self.weight:select(1, k):apply(function() return torch.uniform(-s, s) end)
      else
         self.weight:select(1, k):uniform(-s, s)
      end
   end
   for o = 1, self.bias:size(1) do
      local s = 1 / math.sqrt(self.kW * self.kH * fan[o])
      self.bias[o] = torch.uniform(-s, s)
   end
end

function Map:updateOutput(input)
   K.SpatialConvolutionMap_updateOutput(input, self.output, self.weight, self.bias,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.output
end

function Map:updateGradInput(input, gradOutput)
   K.SpatialConvolutionMap_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.bias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.gradInput
end

function Map:accGradParameters(input, gradOutput, scale)
   K.SpatialConvolutionMap_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH,
      scale or 1)
end

function Map:decayParameters(decay)
   self.weight:add(-decay, self.weight)
   self.bias:add(-decay, self.bias)
end

return Map
