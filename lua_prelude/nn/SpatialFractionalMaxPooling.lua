-- nn.SpatialFractionalMaxPooling(poolW, poolH, outW, outH) or
-- (poolW, poolH, ratioW, ratioH) with ratios in (0, 1): max pooling over
-- pseudo-random overlapping poolW x poolH regions (Graham 2014).  New regions
-- (uniform samples, one pair per sample and plane) are drawn at every forward
-- unless :fixPoolingRegions() was called.
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.SpatialFractionalMaxPooling', 'nn.Module')

function Pool:__init(poolSizeW, poolSizeH, arg1, arg2)
   parent.__init(self)
   assert(poolSizeW >= 2)
   assert(poolSizeH >= 2)
   self.poolSizeW, self.poolSizeH = poolSizeW, poolSizeH
   self.randomSamples = nil
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 then
      self.outW, self.outH = arg1, arg2
   else
      self.ratioW, self.ratioH = arg1, arg2
      assert(self.ratioW > 0 and self.ratioW < 1)
      assert(self.ratioH > 0 and self.ratioH < 1)
   end
end

function Pool:getBufferSize_(input)
   local nd = input:nDimension()
   if nd == 3 then return torch.LongStorage({1, input:size(1), 2}) end
   if nd == 4 then return torch.LongStorage({input:size(1), input:size(2), 2}) end
   error('input must be dim 3 or 4')
end

function Pool:initSampleBuffer_(input)
   local size = self:getBufferSize_(input)
   local s = self.randomSamples
   if s == nil then
      self.randomSamples = input.new():resize(size):uniform()
   elseif s:size(1) ~= size[1] or s:size(2) ~= size[2] then
      s:resize(size):uniform()
   elseif not self.newRandomPool then
      s:uniform()
   end
end

function Pool:getOutputSizes_(input)
   if self.ratioW == nil or self.ratioH == nil then
      assert(self.outW ~= nil and self.outH ~= nil)
      return self.outW, self.outH
   end
   local nd = input:nDimension()
   if nd ~= 3 and nd ~= 4 then error('input must be dim 3 or 4') end
   local outW = math.floor(input:size(nd) * self.ratioW)
   local outH = math.floor(input:size(nd - 1) * self.ratioH)
   assert(outW > 0, 'reduction ratio or input width too small')
   assert(outH > 0, 'reduction ratio or input height too small')
   return outW, outH
end

function Pool:fixPoolingRegions(val)
   if val == nil then val = true end
   self.newRandomPool = val
   return self
end

-- THNN takes the samples as (batch x plane x 2) for 4-D input, (plane x 2) for 3-D
local function samplesFor(self, input)
   if input:dim() == 3 then return self.randomSamples:select(1, 1) end
   return self.randomSamples
end

function Pool:updateOutput(input)
   self.indices = (self.indices or torch.LongTensor()):long()
   self:initSampleBuffer_(input)
   local outW, outH = self:getOutputSizes_(input)
   K.SpatialFractionalMaxPooling_updateOutput(input, self.output, outW, outH,
      self.poolSizeW, self.poolSizeH, self.indices, samplesFor(self, input))
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   assert(self.randomSamples ~= nil, 'must call updateOutput/forward first')
   local outW, outH = self:getOutputSizes_(input)
   K.SpatialFractionalMaxPooling_updateGradInput(input, gradOutput, self.gradInput,
      outW, outH, self.poolSizeW, self.poolSizeH, self.indices)
   return self.gradInput
end

function Pool:empty()
   self:clearState()
end

function Pool:clearState()
   self.indices = nil
   self.randomSamples = nil
   return parent.clearState(self)
end

function Pool:__tostring__()
   return string.format('%s(%dx%d, %d,%d)', torch.type(self),
      self.outW and self.outW or self.ratioW, self.outH and self.outH or self.ratioH,
      self.poolSizeW, self.poolSizeH)
end

return Pool
