-- nn.Parallel(inputDim, outputDim): child i gets slice i of the input along
-- inputDim; the outputs are joined along outputDim.
local Parallel, parent = torch.class('nn.Parallel', 'nn.Container')
local private = require 'nn._private'

function Parallel:__init(inputDimension, outputDimension)
   parent.__init(self)
   self.modules = {}
   self.inputDimension = inputDimension
   self.outputDimension = outputDimension
end

function Parallel:updateOutput(input)
   local inDim, outDim = self.inputDimension, self.outputDimension
   local n = input:size(inDim)
   self.totalOutputSize = self.totalOutputSize or torch.LongStorage()
   local total = self.totalOutputSize
   local outs = {}
   for i = 1, n do
      local out = self:rethrowErrors(self.modules[i], i, 'updateOutput', input:select(inDim, i))
      outs[i] = out
      if i == 1 then
         total:resize(out:dim()):copy(out:size())
      else
         total[outDim] = total[outDim] + out:size(outDim)
      end
   end
   self.output:resize(total)
   local offset = 1
   for i = 1, n do
      local k = outs[i]:size(outDim)
      self.output:narrow(outDim, offset, k):copy(outs[i])
      offset = offset + k
   end
   return self.output
end

function Parallel:updateGradInput(input, gradOutput)
   local inDim, outDim = self.inputDimension, self.outputDimension
   self.gradInput:resizeAs(input)
   local offset = 1
   for i = 1, input:size(inDim) do
      local module = self.modules[i]
      local k = module.output:size(outDim)
      local g = self:rethrowErrors(module, i, 'updateGradInput', input:select(inDim, i),
                                   gradOutput:narrow(outDim, offset, k))
      self.gradInput:select(inDim, i):copy(g)
      offset = offset + k
   end
   return self.gradInput
end

local function each_child(self, method, input, gradOutput, arg)
   local inDim, outDim = self.inputDimension, self.outputDimension
   local offset = 1
   for i = 1, input:size(inDim) do
      local module = self.modules[i]
      local k = module.output:size(outDim)
      self:rethrowErrors(module, i, method, input:select(inDim, i),
                         gradOutput:narrow(outDim, offset, k), arg)
      offset = offset + k
   end
end

function Parallel:accGradParameters(input, gradOutput, scale)
   each_child(self, 'accGradParameters', input, gradOutput, scale)
end

function Parallel:accUpdateGradParameters(input, gradOutput, lr)
   each_child(self, 'accUpdateGradParameters', input, gradOutput, lr)
end

Parallel.__tostring__ = private.branches

return Parallel
