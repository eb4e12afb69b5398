-- nn.VolumetricFractionalMaxPooling(poolT, poolW, poolH, outT, outW, outH) or
-- (poolT, poolW, poolH, ratioT, ratioW, ratioH): fractional max pooling of
-- volumes (see nn.SpatialFractionalMaxPooling); three uniform samples per
-- sample and plane, redrawn at every forward unless :fixPoolingRegions().
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.VolumetricFractionalMaxPooling', 'nn.Module')

function Pool:__init(poolSizeT, poolSizeW, poolSizeH, arg1, arg2, arg3)
   parent.__init(self)
   assert(poolSizeT >= 2)
   assert(poolSizeW >= 2)
   assert(poolSizeH >= 2)
   self.poolSizeT, self.poolSizeW, self.poolSizeH = poolSizeT, poolSizeW, poolSizeH
   self.randomSamples = nil
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 and arg3 >= 1 then
      self.outT, self.outW, self.outH = arg1, arg2, arg3
   else
      self.ratioT, self.ratioW, self.ratioH = arg1, arg2, arg3
      assert(self.ratioT > 0 and self.ratioT < 1)
      assert(self.ratioW > 0 and self.ratioW < 1)
      assert(self.ratioH > 0 and self.ratioH < 1)
   end
end

function Pool:getBufferSize_(input)
   local nd = input:nDimension()
   if nd == 4 then return torch.LongStorage({1, input:size(1), 3}) end
   if nd == 5 then return torch.LongStorage({input:size(1), input:size(2), 3}) end
   error('input must be dim 4 or 5')
end

Pool.initSampleBuffer_ = nn.SpatialFractionalMaxPooling.initSampleBuffer_
Pool.fixPoolingRegions = nn.SpatialFractionalMaxPooling.fixPoolingRegions
Pool.empty = nn.SpatialFractionalMaxPooling.empty
Pool.clearState = nn.SpatialFractionalMaxPooling.clearState

-- THNN's dimension names: the last dimension is "time", then width, then height
function Pool:getOutputSizes_(input)
   if self.ratioT == nil or self.ratioW == nil or self.ratioH == nil then
      assert(self.outT ~= nil and self.outW ~= nil and self.outH ~= nil)
      return self.outT, self.outW, self.outH
   end
   local nd = input:nDimension()
   if nd ~= 4 and nd ~= 5 then error('input must be dim 4 or 5') end
   local outT = math.floor(input:size(nd) * self.ratioT)
   local outW = math.floor(input:size(nd - 1) * self.ratioW)
   local outH = math.floor(input:size(nd - 2) * self.ratioH)
   assert(outT > 0, 'reduction ratio or input time too small')
   assert(outW > 0, 'reduction ratio or input width too small')
   assert(outH > 0, 'reduction ratio or input height too small')
   return outT, outW, outH
end

local function samplesFor(self, input)
   if input:dim() == 4 then return self.randomSamples:select(1, 1) end
   return self.randomSamples
end

function Pool:updateOutput(input)
   self.indices = (self.indices or torch.LongTensor()):long()
   self:initSampleBuffer_(input)
   local outT, outW, outH = self:getOutputSizes_(input)
   K.VolumetricFractionalMaxPooling_updateOutput(input, self.output, outT, outW, outH,
      self.poolSizeT, self.poolSizeW, self.poolSizeH, self.indices, samplesFor(self, input))
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   assert(self.randomSamples ~= nil, 'must call updateOutput/forward first')
   local outT, outW, outH = self:getOutputSizes_(input)
   K.VolumetricFractionalMaxPooling_updateGradInput(input, gradOutput, self.gradInput,
      outT, outW, outH, self.poolSizeT, self.poolSizeW, self.poolSizeH, self.indices)
   return self.gradInput
end

function Pool:__tostring__()
   return string.format('%s(%dx%dx%d, %d,%d,%d)', torch.type(self),
      self.outT and self.outT or self.ratioT, self.outW and self.outW or self.ratioW,
      self.outH and self.outH or self.ratioH, self.poolSizeT, self.poolSizeW, self.poolSizeH)
end

return Pool
