-- nn.SpatialFullConvolution(nIn, nOut, kW, kH[, dW=1, dH=1, padW=0, padH=0,
-- adjW=0, adjH=0]): the transpose of a convolution ("deconvolution"), weight
-- nIn x nOut x kH x kW; output size (H-1)*dH - 2*padH + kH + adjH.  The input
-- may be a table {input, target}: adj is then chosen so the output matches the
-- target's last two sizes.
local K = require 'nn.THNN_kernels'
local Full, parent = torch.class('nn.SpatialFullConvolution', 'nn.Module')

function Full:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH, adjW, adjH)
   parent.__init(self)
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW, self.padH = padW or 0, padH or 0
   self.adjW, self.adjH = adjW or 0, adjH or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 then
      error('adjW and adjH must be smaller than self.dW - 1' ..
            ' and self.dH - 1 respectively')
   end
   self.weight = torch.Tensor(nInputPlane, nOutputPlane, kH, kW)
   self.gradWeight = torch.Tensor(nInputPlane, nOutputPlane, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self.ones = torch.Tensor()
   self:reset()
end

function Full:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

function Full:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3) or 1 / math.sqrt(self.kW * self.kH * self.nInputPlane)
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
end

function Full:backCompatibility()
   self.adjW = self.adjW or 0
   self.adjH = self.adjH or 0
end

-- the tensor to convolve and the adj to use (from the target when given)
function Full:_split(input)
   self:backCompatibility()
   if torch.type(input) ~= 'table' then return input, self.adjW, self.adjH end
   local target = input[2]
   local nd = target:dim()
   local adjW = (target:size(nd) + 2 * self.padW - self.kW) % self.dW
   local adjH = (target:size(nd - 1) + 2 * self.padH - self.kH) % self.dH
   return input[1], adjW, adjH
end

function Full:_dilation() return 1, 1 end

function Full:updateOutput(input)
   local x, adjW, adjH = self:_split(input)
   self.finput = self.finput or x.new()
   self.fgradInput = self.fgradInput or x.new()
   local dilW, dilH = self:_dilation()
   K.SpatialFullConvolution_updateOutput(x, self.output, self.weight, self.bias,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, adjW, adjH, dilW, dilH)
   return self.output
end

function Full:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local x, adjW, adjH = self:_split(input)
   if torch.type(self.gradInput) == 'table' then
      self.gradInput = self.gradInput[1] or x.new()
   end
   local dilW, dilH = self:_dilation()
   K.SpatialFullConvolution_updateGradInput(x, gradOutput, self.gradInput, self.weight,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, adjW, adjH, dilW, dilH)
   if torch.type(input) == 'table' then
      -- the target gets a zero gradient: one zero viewed with its shape
      local target = input[2]
      self.zeroScalar = self.zeroScalar or target.new(1):zero()
      self.ones:resize(target:dim()):fill(1)
      local zeros = self.zeroScalar:view(table.unpack(self.ones:totable())):expandAs(target)
      self.gradInput = {self.gradInput, zeros}
   end
   return self.gradInput
end

function Full:accGradParameters(input, gradOutput, scale)
   local x, adjW, adjH = self:_split(input)
   local dilW, dilH = self:_dilation()
   K.SpatialFullConvolution_accGradParameters(x, gradOutput, self.gradWeight, self.gradBias,
      self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, adjW, adjH, dilW, dilH,
      scale or 1)
end

Full.type = nn.SpatialConvolution.type

-- nn.SpatialFullConvolution(3 -> 16, 5x5[, dW,dH[, padW,padH]][, adjW,adjH])
function Full:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   local padded = (self.padW or self.padH) and (self.padW ~= 0 or self.padH ~= 0)
   if self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   if (self.adjW or self.adjH) and (self.adjW ~= 0 or self.adjH ~= 0) then
      s = s .. ', ' .. self.adjW .. ',' .. self.adjH
   end
   return s .. (self.bias and ')' or ') without bias')
end

Full.clearState = nn.SpatialConvolution.clearState

return Full
