-- nn.TemporalConvolution(inputFrameSize, outputFrameSize, kW[, dW=1]): 1-D
-- convolution over a sequence of frames (nFrame x inputFrameSize, or a batch
-- of them); weight is outputFrameSize x (kW*inputFrameSize).
local K = require 'nn.THNN_kernels'
local Conv, parent = torch.class('nn.TemporalConvolution', 'nn.Module')

function Conv:__init(inputFrameSize, outputFrameSize, kW, dW)
   parent.__init(self)
   self.inputFrameSize, self.outputFrameSize = inputFrameSize, outputFrameSize
   self.kW, self.dW = kW, dW or 1
   self.weight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.gradWeight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.bias = torch.Tensor(outputFrameSize)
   self.gradBias = torch.Tensor(outputFrameSize)
   self:reset()
end

function Conv:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW * self.inputFrameSize)
   require('nn._private').uniformParameters(self, stdv)
end

function Conv:updateOutput(input)
   K.TemporalConvolution_updateOutput(input, self.output, self.weight, self.bias,
      self.kW, self.dW, self.inputFrameSize, self.outputFrameSize)
   return self.output
end

function Conv:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   K.TemporalConvolution_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.kW, self.dW)
   return self.gradInput
end

function Conv:accGradParameters(input, gradOutput, scale)
   K.TemporalConvolution_accGradParameters(input, gradOutput, self.gradWeight, self.gradBias,
      self.kW, self.dW, scale or 1)
end

-- shared weights are updated in place by the accumulation itself
function Conv:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

return Conv
