-- nn.VolumetricMaxPooling(kT, kW, kH[, dT=kT, dW=kW, dH=kH, padT=0, padW=0,
-- padH=0]): max over kT x kH x kW windows of (C x T x H x W) volumes or a batch.
-- self.indices packs the position of each maximum inside its window, as THNN.
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.VolumetricMaxPooling', 'nn.Module')

Pool.__version = 2

function Pool:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH)
   parent.__init(self)
   self.kT, self.kH, self.kW = kT, kH, kW
   self.dT, self.dW, self.dH = dT or kT, dW or kW, dH or kH
   self.padT, self.padW, self.padH = padT or 0, padW or 0, padH or 0
   self.ceil_mode = false
   self.indices = torch.LongTensor()
end

function Pool:ceil() self.ceil_mode = true return self end
function Pool:floor() self.ceil_mode = false return self end

function Pool:_geometry()
   return self.kT, self.kW, self.kH, self.dT, self.dW, self.dH,
      self.padT, self.padW, self.padH,
      self.dilationT or 1, self.dilationW or 1, self.dilationH or 1, self.ceil_mode
end

function Pool:updateOutput(input)
   local nd = input:dim()
   self.itime, self.iheight, self.iwidth = input:size(nd - 2), input:size(nd - 1), input:size(nd)
   self.indices = (self.indices or torch.LongTensor()):long()
   K.VolumetricMaxPooling_updateOutput(input, self.output, self.indices, self:_geometry())
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   K.VolumetricMaxPooling_updateGradInput(input, gradOutput, self.gradInput, self.indices,
      self:_geometry())
   return self.gradInput
end

function Pool:empty()
   self:clearState()
end

function Pool:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

function Pool:read(file, version)
   parent.read(self, file)
   if version < 2 then self.ceil_mode = false end
end

function Pool:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self),
      self.kT, self.kW, self.kH, self.dT, self.dW, self.dH)
   if (self.padT or self.padW or self.padH)
      and (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end

return Pool
