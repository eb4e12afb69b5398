-- nn.SpatialAveragePooling(kW, kH[, dW=1, dH=1, padW=0, padH=0]): mean over
-- kW x kH windows.  :ceil()/:floor() pick the output size rounding;
-- :setCountIncludePad()/:setCountExcludePad() whether padded cells count in
-- the divisor (they do by default).
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.SpatialAveragePooling', 'nn.Module')

function Pool:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW, self.padH = padW or 0, padH or 0
   self.ceil_mode = false
   self.count_include_pad = true
   self.divide = true
end

function Pool:ceil() self.ceil_mode = true return self end
function Pool:floor() self.ceil_mode = false return self end
function Pool:setCountIncludePad() self.count_include_pad = true return self end
function Pool:setCountExcludePad() self.count_include_pad = false return self end

-- models saved before padding and ceil mode existed
local function upgrade(self)
   if self.ceil_mode == nil then
      self.ceil_mode, self.count_include_pad = false, true
      self.padW, self.padH = 0, 0
   end
end

function Pool:updateOutput(input)
   upgrade(self)
   K.SpatialAveragePooling_updateOutput(input, self.output, self.kW, self.kH, self.dW, self.dH,
      self.padW, self.padH, self.ceil_mode, self.count_include_pad)
   -- very old models summed instead of averaging (no `divide` field)
   if not self.divide then self.output:mul(self.kW * self.kH) end
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   K.SpatialAveragePooling_updateGradInput(input, gradOutput, self.gradInput, self.kW, self.kH,
      self.dW, self.dH, self.padW, self.padH, self.ceil_mode, self.count_include_pad)
   if not self.divide then self.gradInput:mul(self.kW * self.kH) end
   return self.gradInput
end

-- nn.SpatialAveragePooling(2x2, 2,2[, padW,padH])
function Pool:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH,
      self.dW, self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end

return Pool
