-- nn.SpatialMaxPooling(kW, kH[, dW=kW, dH=kH, padW=0, padH=0]): max over
-- kW x kH windows of each plane; :ceil()/:floor() choose the output size
-- rounding.  self.indices (LongTensor) holds the 1-based position of each
-- maximum in its input plane.
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.SpatialMaxPooling', 'nn.Module')

function Pool:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or kW, dH or kH
   self.padW, self.padH = padW or 0, padH or 0
   self.ceil_mode = false
   self.indices = torch.LongTensor()
end

function Pool:ceil()
   self.ceil_mode = true
   return self
end

function Pool:floor()
   self.ceil_mode = false
   return self
end

-- fields a model saved by an older nn may lack; dilation for the subclass
function Pool:_geometry(input)
   self.indices = (self.indices or torch.LongTensor()):long()
   local nd = input:dim()
   self.iheight, self.iwidth = input:size(nd - 1), input:size(nd)
   self.ceil_mode = self.ceil_mode or false
   self.padW, self.padH = self.padW or 0, self.padH or 0
   return self.dilationW or 1, self.dilationH or 1
end

function Pool:updateOutput(input)
   local dilW, dilH = self:_geometry(input)
   K.SpatialMaxPooling_updateOutput(input, self.output, self.indices, self.kW, self.kH,
      self.dW, self.dH, self.padW, self.padH, dilW, dilH, self.ceil_mode)
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   K.SpatialMaxPooling_updateGradInput(input, gradOutput, self.gradInput, self.indices,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      self.dilationW or 1, self.dilationH or 1, self.ceil_mode)
   return self.gradInput
end

function Pool:empty()
   self:clearState()
end

-- nn.SpatialMaxPooling(2x2, 2,2[, padW,padH])
function Pool:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH,
      self.dW, self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end

function Pool:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

return Pool
