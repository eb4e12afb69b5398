-- nn.SpatialDilatedMaxPooling(kW, kH[, dW=kW, dH=kH, padW=0, padH=0,
-- dilationW=1, dilationH=1]): max pooling whose window taps are dilation apart.
local Pool, parent = torch.class('nn.SpatialDilatedMaxPooling', 'nn.SpatialMaxPooling')

function Pool:__init(kW, kH, dW, dH, padW, padH, dilationW, dilationH)
   parent.__init(self, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

-- nn.SpatialDilatedMaxPooling(2x2, 2,2, 1,1, 2,2)
function Pool:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH,
      self.dW, self.dH)
   if (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0) then
      s = s .. ', ' .. self.padW .. ',' .. self.padH
   end
   return s .. ', ' .. self.dilationW .. ',' .. self.dilationH .. ')'
end

return Pool
