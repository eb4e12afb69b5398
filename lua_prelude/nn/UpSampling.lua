-- nn.UpSampling(scale[, mode='nearest']) or ({[odepth=,] oheight=, owidth=},
-- 'linear'): nearest-neighbour or (bi/tri)linear up-sampling of 4-D
-- (N x C x H x W) or 5-D (N x C x D x H x W) input.
local K = require 'nn.THNN_kernels'
local Up, parent = torch.class('nn.UpSampling', 'nn.Module')

function Up:__init(params, mode)
   parent.__init(self)
   if mode == 'linear' or mode == 'bilinear' or mode == 'trilinear' then
      self.mode = 'linear'
   else
      self.mode = 'nearest'
   end
   if torch.type(params) == 'table' then
      if self.mode == 'nearest' then error('Nearest neighbour upsampling requires a scale_factor') end
      self.odepth, self.owidth, self.oheight = params.odepth, params.owidth, params.oheight
      if self.owidth == nil or self.oheight == nil then
         error('Output height and width parameters are required')
      end
   else
      self.scale_factor = params
      if params < 1 then error('scale_factor must be greater than 1') end
      if math.floor(params) ~= params then error('scale_factor must be integer') end
   end
   self.inputSize = torch.LongStorage(5):fill(0)
   self.outputSize = torch.LongStorage(5):fill(0)
end

function Up:setSize(input)
   local nd = input:dim()
   for d = 1, nd do
      self.inputSize[d] = input:size(d)
      self.outputSize[d] = input:size(d)
   end
   local spatial = nd > 4 and {nd - 2, nd - 1, nd} or {nd - 1, nd}
   if self.scale_factor ~= nil then
      for _, d in ipairs(spatial) do self.outputSize[d] = self.outputSize[d] * self.scale_factor end
   else
      if nd > 4 then
         if self.odepth == nil then
            error('No output depth dimension was supplied for volumetric upsampling')
         end
         self.outputSize[nd - 2] = self.odepth
      end
      self.outputSize[nd - 1] = self.oheight
      self.outputSize[nd] = self.owidth
   end
end

function Up:updateOutput(input)
   local nd = input:dim()
   if nd < 4 or nd > 5 then error('UpSampling only supports 4D or 5D tensors') end
   self:setSize(input)
   local o = self.outputSize
   if nd == 4 then
      if self.mode == 'nearest' then
         K.SpatialUpSamplingNearest_updateOutput(input, self.output, self.scale_factor)
      else
         K.SpatialUpSamplingBilinear_updateOutput(input, self.output, o[3], o[4])
      end
   elseif self.mode == 'nearest' then
      K.VolumetricUpSamplingNearest_updateOutput(input, self.output, self.scale_factor)
   else
      K.VolumetricUpSamplingTrilinear_updateOutput(input, self.output, o[3], o[4], o[5])
   end
   return self.output
end

function Up:updateGradInput(input, gradOutput)
   local nd = input:dim()
   if nd < 4 or nd > 5 then error('UpSampling only supports 4D or 5D tensors') end
   if nd ~= gradOutput:dim() then error('Input and gradOutput should be of same dimension') end
   self.gradInput:resizeAs(input)
   local o = self.outputSize
   if nd == 4 then
      if self.mode == 'nearest' then
         K.SpatialUpSamplingNearest_updateGradInput(input, gradOutput, self.gradInput,
            self.scale_factor)
      else
         K.SpatialUpSamplingBilinear_updateGradInput(gradOutput, self.gradInput,
            input:size(1), input:size(2), input:size(3), input:size(4), o[3], o[4])
      end
   elseif self.mode == 'nearest' then
      K.VolumetricUpSamplingNearest_updateGradInput(input, gradOutput, self.gradInput,
         self.scale_factor)
   else
      K.VolumetricUpSamplingTrilinear_updateGradInput(gradOutput, self.gradInput,
         input:size(1), input:size(2), input:size(3), input:size(4), input:size(5),
         o[3], o[4], o[5])
   end
   return self.gradInput
end

function Up:__tostring__()
   if self.scale_factor ~= nil then
      return string.format('%s(%dx, %s)', torch.type(self), self.scale_factor, self.mode)
   elseif self.odepth ~= nil then
      return string.format('%s(%dx%dx%d, %s)', torch.type(self), self.odepth, self.oheight,
         self.owidth, self.mode)
   end
   return string.format('%s(%dx%d, %s)', torch.type(self), self.oheight, self.owidth, self.mode)
end

return Up
