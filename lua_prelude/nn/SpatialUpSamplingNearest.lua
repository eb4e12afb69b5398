-- nn.SpatialUpSamplingNearest(scale): each pixel of the last two dimensions
-- becomes a scale x scale block (integer scale >= 1).
local K = require 'nn.THNN_kernels'
local Up, parent = torch.class('nn.SpatialUpSamplingNearest', 'nn.Module')

function Up:__init(scale)
   parent.__init(self)
   self.scale_factor = scale
   if scale < 1 then error('scale_factor must be greater than 1') end
   if math.floor(scale) ~= scale then error('scale_factor must be integer') end
   self.inputSize = torch.LongStorage(4)
   self.outputSize = torch.LongStorage(4)
end

function Up:updateOutput(input)
   local nd = input:dim()
   if nd ~= 3 and nd ~= 4 then
      error('SpatialUpSamplingNearest only support 3D or 4D tensors')
   end
   for d = 1, nd do
      self.inputSize[d] = input:size(d)
      self.outputSize[d] = input:size(d)
   end
   self.outputSize[nd - 1] = self.outputSize[nd - 1] * self.scale_factor
   self.outputSize[nd] = self.outputSize[nd] * self.scale_factor
   K.SpatialUpSamplingNearest_updateOutput(input, self.output, self.scale_factor)
   return self.output
end

function Up:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input)
   K.SpatialUpSamplingNearest_updateGradInput(input, gradOutput, self.gradInput,
      self.scale_factor)
   return self.gradInput
end

return Up
