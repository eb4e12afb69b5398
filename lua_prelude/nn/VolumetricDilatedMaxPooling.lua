-- nn.VolumetricDilatedMaxPooling(kT, kW, kH[, dT, dW, dH, padT, padW, padH,
-- dilationT=1, dilationW=1, dilationH=1]): volumetric max pooling with dilated
-- windows.
local Pool, parent = torch.class('nn.VolumetricDilatedMaxPooling', 'nn.VolumetricMaxPooling')

function Pool:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH, dilationT, dilationW, dilationH)
   parent.__init(self, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   self.dilationT = dilationT or 1
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function Pool:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self),
      self.kT, self.kW, self.kH, self.dT, self.dW, self.dH)
   if (self.padT or self.padW or self.padH)
      and (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   s = s .. ', ' .. self.dilationT .. ',' .. self.dilationW .. ',' .. self.dilationH
   return s .. ')'
end

return Pool
