-- nn.VolumetricFullConvolution(nIn, nOut, kT, kW, kH[, dT=1, dW=1, dH=1, padT=0,
-- padW=0, padH=0, adjT=0, adjW=0, adjH=0]): transposed 3-D convolution, weight
-- nIn x nOut x kT x kH x kW.  A table input {input, target} picks adj so the
-- output matches the target's last three sizes.
local K = require 'nn.THNN_kernels'
local Full, parent = torch.class('nn.VolumetricFullConvolution', 'nn.Module')

function Full:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH,
                     adjT, adjW, adjH)
   parent.__init(self)
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH, self.kT = kW, kH, kT
   self.dW, self.dH, self.dT = dW or 1, dH or 1, dT or 1
   self.padW, self.padH, self.padT = padW or 0, padH or 0, padT or 0
   self.adjW, self.adjH, self.adjT = adjW or 0, adjH or 0, adjT or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 or self.adjT > self.dT - 1 then
      error('adjW, adjH and adjT must be smaller than self.dW - 1,' ..
            ' self.dH - 1 and self.dT - 1 respectively')
   end
   self.weight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.gradWeight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self.ones = torch.Tensor()
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   self:reset()
end

function Full:reset(stdv)
   stdv = stdv and stdv * math.sqrt(3)
      or 1 / math.sqrt(self.kW * self.kH * self.kT * self.nInputPlane)
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

-- older models: nOut x nIn weights, pT/pW/pH names
function Full:backCompatibility()
   if not self.adjW then self.weight = self.weight:transpose(1, 2):contiguous() end
   self.padW = self.padW or self.pW
   self.padH = self.padH or self.pH
   self.padT = self.padT or self.pT
   self.adjW, self.adjH, self.adjT = self.adjW or 0, self.adjH or 0, self.adjT or 0
end

function Full:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

function Full:_split(input)
   self:backCompatibility()
   if torch.type(input) ~= 'table' then return input, self.adjT, self.adjW, self.adjH end
   local target = input[2]
   local nd = target:dim()
   local function adj(size, k, pad, stride) return (size + 2 * pad - k) % stride end
   return input[1], adj(target:size(nd - 2), self.kT, self.padT, self.dT),
      adj(target:size(nd), self.kW, self.padW, self.dW),
      adj(target:size(nd - 1), self.kH, self.padH, self.dH)
end

function Full:updateOutput(input)
   local x, aT, aW, aH = self:_split(input)
   K.VolumetricFullConvolution_updateOutput(x, self.output, self.weight, self.bias,
      self.dT, self.dW, self.dH, self.padT, self.padW, self.padH, aT, aW, aH, 1, 1, 1)
   return self.output
end

function Full:updateGradInput(input, gradOutput)
   local x, aT, aW, aH = self:_split(input)
   if torch.type(input) == 'table' and torch.type(self.gradInput) == 'table' then
      self.gradInput = self.gradInput[1]
   end
   K.VolumetricFullConvolution_updateGradInput(x, gradOutput, self.gradInput, self.weight,
      self.dT, self.dW, self.dH, self.padT, self.padW, self.padH, aT, aW, aH, 1, 1, 1)
   if torch.type(input) == 'table' then
      local target = input[2]
      self.zeroScalar = self.zeroScalar or target.new(1):zero()
      self.ones:resize(target:dim()):fill(1)
      local zeros = self.zeroScalar:view(table.unpack(self.ones:totable())):expandAs(target)
      self.gradInput = {self.gradInput, zeros}
   end
   return self.gradInput
end

function Full:accGradParameters(input, gradOutput, scale)
   local x, aT, aW, aH = self:_split(input)
   K.VolumetricFullConvolution_accGradParameters(x, gradOutput, self.gradWeight,
      self.gradBias, self.dT, self.dW, self.dH, self.padT, self.padW, self.padH,
      aT, aW, aH, 1, 1, 1, scale or 1)
end

function Full:type(type, tensorCache)
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   return parent.type(self, type, tensorCache)
end

function Full:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%dx%d', torch.type(self),
      self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH)
   local padded = (self.padT or self.padW or self.padH)
      and (self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0)
   if self.dT ~= 1 or self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d,%d', self.dT, self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH end
   if (self.adjT or self.adjW or self.adjH)
      and (self.adjT ~= 0 or self.adjW ~= 0 or self.adjH ~= 0) then
      s = s .. ', ' .. self.adjT .. ',' .. self.adjW .. ',' .. self.adjH
   end
   return s .. ')'
end

return Full
