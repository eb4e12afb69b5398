-- nn.VolumetricAveragePooling(kT, kW, kH[, dT=kT, dW=kW, dH=kH]): mean over
-- kT x kH x kW windows (no padding).
local K = require 'nn.THNN_kernels'
local Pool, parent = torch.class('nn.VolumetricAveragePooling', 'nn.Module')

function Pool:__init(kT, kW, kH, dT, dW, dH)
   parent.__init(self)
   self.kT, self.kH, self.kW = kT, kH, kW
   self.dT, self.dW, self.dH = dT or kT, dW or kW, dH or kH
end

function Pool:updateOutput(input)
   K.VolumetricAveragePooling_updateOutput(input, self.output, self.kT, self.kW, self.kH,
      self.dT, self.dW, self.dH, 0, 0, 0, false, true)
   return self.output
end

function Pool:updateGradInput(input, gradOutput)
   K.VolumetricAveragePooling_updateGradInput(input, gradOutput, self.gradInput,
      self.kT, self.kW, self.kH, self.dT, self.dW, self.dH, 0, 0, 0, false, true)
   return self.gradInput
end

function Pool:empty()
   return parent.clearState(self)
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
