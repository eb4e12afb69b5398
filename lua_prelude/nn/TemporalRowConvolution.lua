-- nn.TemporalRowConvolution(inputFrameSize, kW[, dW=1, featFirst=false]): a
-- separate 1-D convolution for each feature row (weight F x 1 x kW).  Input is
-- (nFrame x F) / (batch x nFrame x F), or feature-first (F x nFrame) /
-- (batch x F x nFrame) with featFirst.
local K = require 'nn.THNN_kernels'
local Conv, parent = torch.class('nn.TemporalRowConvolution', 'nn.Module')

function Conv:__init(inputFrameSize, kW, dW, featFirst)
   parent.__init(self)
   self.inputFrameSize = inputFrameSize
   self.kW, self.dW = kW, dW or 1
   self.weight = torch.Tensor(inputFrameSize, 1, kW)
   self.bias = torch.Tensor(inputFrameSize)
   self.gradWeight = torch.Tensor(inputFrameSize, 1, kW)
   self.gradBias = torch.Tensor(inputFrameSize)
   self.featFirst = featFirst and true or false
   self:reset()
end

function Conv:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

function Conv:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW * self.inputFrameSize)
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

local function buffers(self, input)
   K.check(input)
   self.finput = self.finput or input.new()
   self.fgradInput = self.fgradInput or input.new()
end

-- (no padding: THNN's padW argument is always 0 here)
function Conv:updateOutput(input)
   buffers(self, input)
   K.TemporalRowConvolution_updateOutput(input, self.output, self.weight, self.bias,
      self.kW, self.dW, 0, self.featFirst)
   return self.output
end

function Conv:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   buffers(self, input)
   K.TemporalRowConvolution_updateGradInput(input, gradOutput, self.gradInput, self.weight,
      self.kW, self.dW, 0, self.featFirst)
   return self.gradInput
end

function Conv:accGradParameters(input, gradOutput, scale)
   buffers(self, input)
   K.TemporalRowConvolution_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, self.kW, self.dW, 0, self.featFirst, scale or 1)
end

function Conv:type(type, tensorCache)
   if self.finput then self.finput:set() end
   if self.fgradInput then self.fgradInput:set() end
   return parent.type(self, type, tensorCache)
end

-- nn.TemporalRowConvolution(F, kW[, dW])[ without bias]
function Conv:__tostring__()
   local s = string.format('%s(%d, %d', torch.type(self), self.inputFrameSize, self.kW)
   if self.dW ~= 1 then s = s .. string.format(', %d', self.dW) end
   if self.padW and self.padW ~= 0 then s = s .. ', ' .. self.padW end
   return s .. (self.bias and ')' or ') without bias')
end

function Conv:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

return Conv
