-- nn.SpatialDilatedConvolution(nIn, nOut, kW, kH[, dW, dH, padW, padH,
-- dilationW=1, dilationH=1]): nn.SpatialConvolution whose kernel taps are
-- dilation pixels apart.
local K = require 'nn.THNN_kernels'
local Conv, parent = torch.class('nn.SpatialDilatedConvolution', 'nn.SpatialConvolution')

function Conv:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH,
                     dilationW, dilationH)
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

local function geometry(self)
   self.finput = self.finput or self.weight.new()
   self.fgradInput = self.fgradInput or self.weight.new()
   return self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      self.dilationW, self.dilationH
end

function Conv:updateOutput(input)
   K.SpatialDilatedConvolution_updateOutput(input, self.output, self.weight, self.bias,
      geometry(self))
   return self.output
end

function Conv:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   K.SpatialDilatedConvolution_updateGradInput(input, gradOutput, self.gradInput,
      self.weight, geometry(self))
   return self.gradInput
end

function Conv:accGradParameters(input, gradOutput, scale)
   local kW, kH, dW, dH, padW, padH, dilW, dilH = geometry(self)
   K.SpatialDilatedConvolution_accGradParameters(input, gradOutput, self.gradWeight,
      self.gradBias, kW, kH, dW, dH, padW, padH, dilW, dilH, scale or 1)
end

-- as nn.SpatialConvolution's, then ', dilationW,dilationH'
function Conv:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   local padded = (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0)
   if self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   s = s .. ', ' .. self.dilationW .. ',' .. self.dilationH
   return s .. (self.bias and ')' or ') without bias')
end

return Conv
