-- nn.VolumetricDilatedConvolution(nIn, nOut, kT, kW, kH[, dT, dW, dH, padT,
-- padW, padH, dilationT=1, dilationW=1, dilationH=1]): nn.VolumetricConvolution
-- with dilated kernel taps.
local Conv, parent = torch.class('nn.VolumetricDilatedConvolution', 'nn.VolumetricConvolution')

function Conv:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH,
                     dilationT, dilationW, dilationH)
   parent.__init(self, nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   self.dilationT = dilationT or 1
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end
Conv._variant = 'dilated'

function Conv:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH)
   local padded = (self.padT or self.padW or self.padH)
      and (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0)
   if self.dT ~= 1 or self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d,%d', self.dT, self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH end
   s = s .. ', ' .. self.dilationT .. ',' .. self.dilationW .. ',' .. self.dilationH
   return s .. (self.bias and ')' or ') without bias')
end

return Conv
