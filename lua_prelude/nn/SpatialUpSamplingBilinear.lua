-- nn.SpatialUpSamplingBilinear(scale) or ({oheight=, owidth=}): bilinear
-- up-sampling of the last two dimensions with corners aligned; with an
-- integer scale the output is (H-1)*(scale-1)+H ... as THNN computes it.
local K = require 'nn.THNN_kernels'
local Up, parent = torch.class('nn.SpatialUpSamplingBilinear', 'nn.Module')

function Up:__init(params)
   parent.__init(self)
   if torch.type(params) == 'table' then
      self.owidth, self.oheight = params.owidth, params.oheight
   else
      self.scale_factor = params
      if params < 1 then error('scale_factor must be greater than 1') end
      if math.floor(params) ~= params then error('scale_factor must be integer') end
   end
   self.inputSize = torch.LongStorage(4)
   self.outputSize = torch.LongStorage(4)
end

local function contiguous(self, field, x)
   if x:isContiguous() then return x end
   self[field] = self[field] or x.new()
   return self[field]:resizeAs(x):copy(x)
end

function Up:setSize(input)
   local nd = input:dim()
   for d = 1, nd do
      self.inputSize[d] = input:size(d)
      self.outputSize[d] = input:size(d)
   end
   if self.scale_factor ~= nil then
      self.outputSize[nd - 1] = self.outputSize[nd - 1] * self.scale_factor
      self.outputSize[nd] = self.outputSize[nd] * self.scale_factor
   else
      self.outputSize[nd - 1] = self.oheight
      self.outputSize[nd] = self.owidth
   end
end

-- 3-D input is handled as a batch of one
local function as4d(x)
   return x:view(1, x:size(1), x:size(2), x:size(3))
end

function Up:updateOutput(input)
   assert(input:dim() == 4 or input:dim() == 3,
      'SpatialUpSamplingBilinear only supports 3D or 4D tensors')
   input = contiguous(self, '_input', input)
   local was3d = input:dim() == 3
   if was3d then input = as4d(input) end
   self:setSize(input)
   K.SpatialUpSamplingBilinear_updateOutput(input, self.output,
      self.outputSize[3], self.outputSize[4])
   if was3d then self.output = self.output:squeeze(1) end
   return self.output
end

function Up:updateGradInput(input, gradOutput)
   assert(input:dim() == 4 or input:dim() == 3,
      'SpatialUpSamplingBilinear only support 3D or 4D tensors')
   assert(input:dim() == gradOutput:dim(), 'Input and gradOutput should be of same dimension')
   input = contiguous(self, '_input', input)
   gradOutput = contiguous(self, '_gradOutput', gradOutput)
   local was3d = input:dim() == 3
   if was3d then
      input, gradOutput = as4d(input), as4d(gradOutput)
   end
   self.gradInput:resizeAs(input)
   K.SpatialUpSamplingBilinear_updateGradInput(gradOutput, self.gradInput,
      input:size(1), input:size(2), input:size(3), input:size(4),
      self.outputSize[3], self.outputSize[4])
   if was3d then self.gradInput = self.gradInput:squeeze(1) end
   return self.gradInput
end

function Up:__tostring__()
   if self.scale_factor ~= nil then
      return string.format('%s(%d)', torch.type(self), self.scale_factor)
   end
   return string.format('%s(%d, %d)', torch.type(self), self.oheight, self.owidth)
end

return Up
