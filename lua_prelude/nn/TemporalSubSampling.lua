-- nn.TemporalSubSampling(inputFrameSize, kW[, dW=1]): per feature, the sum of
-- each window of kW frames times a trainable weight plus a bias.
local K = require 'nn.THNN_kernels'
local Sub, parent = torch.class('nn.TemporalSubSampling', 'nn.Module')

function Sub:__init(inputFrameSize, kW, dW)
   parent.__init(self)
   self.inputFrameSize = inputFrameSize
   self.kW, self.dW = kW, dW or 1
   self.weight = torch.Tensor(inputFrameSize)
   self.bias = torch.Tensor(inputFrameSize)
   self.gradWeight = torch.Tensor(inputFrameSize)
   self.gradBias = torch.Tensor(inputFrameSize)
   self:reset()
end

function Sub:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW)
   require('nn._private').uniformParameters(self, stdv)
end

function Sub:updateOutput(input)
   K.TemporalSubSampling_updateOutput(input, self.output, self.weight, self.bias,
      self.kW, self.dW, self.inputFrameSize)
   return self.output
end

function Sub:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   K.TemporalSubSampling_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.kW, self.dW)
   return self.gradInput
end

function Sub:accGradParameters(input, gradOutput, scale)
   K.TemporalSubSampling_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.kW, self.dW, scale or 1)
end

return Sub
