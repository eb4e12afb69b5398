-- nn.PixelShuffle(r): [B x] C*r^2 x H x W -> [B x] C x H*r x W*r, moving
-- each group of r^2 channels into an r x r block of pixels.
local PixelShuffle, parent = torch.class('nn.PixelShuffle', 'nn.Module')

function PixelShuffle:__init(upscaleFactor)
   parent.__init(self)
   self.upscaleFactor = upscaleFactor
   self.upscaleFactorSquared = upscaleFactor * upscaleFactor
end

function PixelShuffle:updateOutput(input)
   local r = self.upscaleFactor
   self._intermediateShape = self._intermediateShape or torch.LongStorage(6)
   self._outShape = self.outShape or torch.LongStorage()
   self._shuffleOut = self._shuffleOut or input.new()
   local batchSize, first = 1, 1
   if input:nDimension() == 4 then
      batchSize, first = input:size(1), 2
      self._outShape:resize(4)
      self._outShape[1] = batchSize
   else
      self._outShape:resize(3)
   end
   local channels = input:size(first) / self.upscaleFactorSquared
   local h, w = input:size(first + 1), input:size(first + 2)
   local shape = self._intermediateShape
   shape[1], shape[2], shape[3], shape[4], shape[5], shape[6] = batchSize, channels, r, r, h, w
   self._outShape[first] = channels
   self._outShape[first + 1] = h * r
   self._outShape[first + 2] = w * r
   -- B x C x r x r x H x W  ->  B x C x H x r x W x r
   local v = input:view(shape)
   self._shuffleOut:resize(batchSize, channels, h, r, w, r)
   self._shuffleOut:copy(v:permute(1, 2, 5, 3, 6, 4))
   self.output = self._shuffleOut:view(self._outShape)
   return self.output
end

function PixelShuffle:updateGradInput(input, gradOutput)
   local r = self.upscaleFactor
   self._intermediateShape = self._intermediateShape or torch.LongStorage(6)
   self._shuffleIn = self._shuffleIn or input.new()
   local batchSize, first = 1, 1
   if input:nDimension() == 4 then batchSize, first = input:size(1), 2 end
   local channels = input:size(first) / self.upscaleFactorSquared
   local h, w = input:size(first + 1), input:size(first + 2)
   local shape = self._intermediateShape
   shape[1], shape[2], shape[3], shape[4], shape[5], shape[6] = batchSize, channels, h, r, w, r
   -- the inverse permutation
   local v = gradOutput:view(shape)
   self._shuffleIn:resize(batchSize, channels, r, r, h, w)
   self._shuffleIn:copy(v:permute(1, 2, 4, 6, 3, 5))
   self.gradInput = self._shuffleIn:view(input:size())
   return self.gradInput
end

function PixelShuffle:clearState()
   nn.utils.clear(self, {"_intermediateShape", "_outShape", "_shuffleIn", "_shuffleOut"})
   return parent.clearState(self)
end

return PixelShuffle
