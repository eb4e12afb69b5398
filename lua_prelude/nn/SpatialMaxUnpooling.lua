-- nn.SpatialMaxUnpooling(poolingModule): the inverse of a (non-overlapping)
-- nn.SpatialMaxPooling: each value goes back where its maximum came from,
-- using the pooling module's indices and input size; zeros elsewhere.
local K = require 'nn.THNN_kernels'
local Unpool, parent = torch.class('nn.SpatialMaxUnpooling', 'nn.Module')

function Unpool:__init(poolingModule)
   parent.__init(self)
   assert(torch.type(poolingModule) == 'nn.SpatialMaxPooling',
      'Argument must be a nn.SpatialMaxPooling module')
   assert(poolingModule.kH == poolingModule.dH and poolingModule.kW == poolingModule.dW,
      "The size of pooling module's kernel must be equal to its stride")
   self.pooling = poolingModule
end

function Unpool:setParams()
   self.indices = self.pooling.indices
   self.oheight = self.pooling.iheight
   self.owidth = self.pooling.iwidth
end

function Unpool:updateOutput(input)
   self:setParams()
   K.SpatialMaxUnpooling_updateOutput(input, self.output, self.indices,
      self.owidth, self.oheight)
   return self.output
end

function Unpool:updateGradInput(input, gradOutput)
   self:setParams()
   K.SpatialMaxUnpooling_updateGradInput(input, gradOutput, self.gradInput, self.indices,
      self.owidth, self.oheight)
   return self.gradInput
end

function Unpool:empty()
   self:clearState()
end

function Unpool:__tostring__()
   return 'nn.SpatialMaxUnpooling associated to ' .. tostring(self.pooling)
end

return Unpool
