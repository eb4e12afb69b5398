-- nn.SpatialFullConvolutionMap(connTable, kW, kH[, dW=1, dH=1]): the full
-- (transposed) convolution counterpart of nn.SpatialConvolutionMap, for 3-D
-- input; output (H-1)*dH + kH by (W-1)*dW + kW.
local K = require 'nn.THNN_kernels'
local FMap, parent = torch.class('nn.SpatialFullConvolutionMap', 'nn.Module')

function FMap:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.connTable = conMatrix
   self.nInputPlane = self.connTable:select(2, 1):max()
   self.nOutputPlane = self.connTable:select(2, 2):max()
   self.weight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.gradWeight = torch.Tensor(self.connTable:size(1), kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradBias = torch.Tensor(self.nOutputPlane)
   self:reset()
end

-- as nn.SpatialConvolutionMap's, always drawing element by element
function FMap:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      local draw = function() return torch.uniform(-stdv, stdv) end
      self.weight:apply(draw)
      self.bias:apply(draw)
      return
   end
   local fan = nn.SpatialConvolutionMap._fanIn(self)
   for k = 1, self.connTable:size(1) do
      local s = 1 / math.sqrt(self.kW * self.kH * fan[self.connTable[k][2]])
      self.weight:select(1, k):apply(function() return torch.uniform(-s, s) end)
   end
   for o = 1, self.bias:size(1) do
      local s = 1 / math.sqrt(self.kW * self.kH * fan[o])
      self.bias[o] = torch.uniform(-s, s)
   end
end

function FMap:updateOutput(input)
   K.SpatialFullConvolutionMap_updateOutput(input, self.output, self.weight, self.bias,
      self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH)
   return self.output
end

function FMap:updateGradInput(input, gradOutput)
   K.SpatialFullConvolutionMap_updateGradInput(input, gradOutput, self.gradInput,
      self.weight, self.bias, self.connTable, self.nInputPlane, self.nOutputPlane,
      self.dW, self.dH)
   return self.gradInput
end

function FMap:accGradParameters(input, gradOutput, scale)
   K.SpatialFullConvolutionMap_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.connTable, self.nInputPlane, self.nOutputPlane, self.dW, self.dH,
      scale or 1)
end

return FMap
