-- nn.SpatialSubSampling(nInputPlane, kW, kH[, dW=1, dH=1]): per plane, the sum
-- of each kW x kH window times a trainable weight plus a bias (LeNet's
-- sub-sampling layer).
local K = require 'nn.THNN_kernels'
local Sub, parent = torch.class('nn.SpatialSubSampling', 'nn.Module')

function Sub:__init(nInputPlane, kW, kH, dW, dH)
   parent.__init(self)
   self.nInputPlane = nInputPlane
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.weight = torch.Tensor(nInputPlane)
   self.bias = torch.Tensor(nInputPlane)
   self.gradWeight = torch.Tensor(nInputPlane)
   self.gradBias = torch.Tensor(nInputPlane)
   self:reset()
end

function Sub:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW * self.kH)
   require('nn._private').uniformParameters(self, stdv)
end

function Sub:updateOutput(input)
   K.SpatialSubSampling_updateOutput(input, self.output, self.weight, self.bias,
      self.kW, self.kH, self.dW, self.dH)
   return self.output
end

function Sub:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   K.SpatialSubSampling_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.kW, self.kH, self.dW, self.dH)
   return self.gradInput
end

function Sub:accGradParameters(input, gradOutput, scale)
   K.SpatialSubSampling_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.kW, self.kH, self.dW, self.dH, scale or 1)
end

return Sub
