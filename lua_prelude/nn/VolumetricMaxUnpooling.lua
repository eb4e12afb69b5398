-- nn.VolumetricMaxUnpooling(poolingModule): inverse of a non-overlapping
-- nn.VolumetricMaxPooling, using its indices and input size.
local K = require 'nn.THNN_kernels'
local Unpool, parent = torch.class('nn.VolumetricMaxUnpooling', 'nn.Module')

function Unpool:__init(poolingModule)
   parent.__init(self)
   assert(torch.type(poolingModule) == 'nn.VolumetricMaxPooling',
      'Argument must be a nn.VolumetricMaxPooling module')
   local p = poolingModule
   assert(p.kT == p.dT and p.kH == p.dH and p.kW == p.dW,
      "The size of pooling module's kernel must be equal to its stride")
   self.pooling = poolingModule
end

function Unpool:setParams()
   local p = self.pooling
   self.indices = p.indices
   self.otime, self.oheight, self.owidth = p.itime, p.iheight, p.iwidth
   self.dT, self.dH, self.dW = p.dT, p.dH, p.dW
   self.padT, self.padH, self.padW = p.padT, p.padH, p.padW
end

function Unpool:updateOutput(input)
   self:setParams()
   K.VolumetricMaxUnpooling_updateOutput(input, self.output, self.indices,
      self.otime, self.owidth, self.oheight, self.dT, self.dW, self.dH,
      self.padT, self.padW, self.padH)
   return self.output
end

function Unpool:updateGradInput(input, gradOutput)
   self:setParams()
   K.VolumetricMaxUnpooling_updateGradInput(input, gradOutput, self.gradInput, self.indices,
      self.otime, self.owidth, self.oheight, self.dT, self.dW, self.dH,
      self.padT, self.padW, self.padH)
   return self.gradInput
end

function Unpool:empty()
   self:clearState()
end

function Unpool:__tostring__()
   return 'nn.VolumetricMaxUnpooling associated to ' .. tostring(self.pooling)
end

return Unpool
