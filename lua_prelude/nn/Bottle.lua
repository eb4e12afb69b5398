-- nn.Bottle(module, nInputDim=2, nOutputDim=nInputDim): applies a module made
-- for nInputDim-D inputs to inputs with more leading (batch) dimensions, by
-- folding those into the first one and unfolding the output.
local Bottle, parent = torch.class('nn.Bottle', 'nn.Decorator')
local unpack = table.unpack

function Bottle:__init(module, nInputDim, nOutputDim)
   parent.__init(self, module)
   self.nInputDim = nInputDim or 2
   self.nOutputDim = nOutputDim or self.nInputDim
   self.dimDelta = self.nInputDim - self.nOutputDim
   -- the folded shapes, kept for the backward pass
   self.inShape = torch.Tensor(self.nInputDim)
   self.outShape = torch.Tensor(self.nOutputDim)
end

function Bottle:updateOutput(input)
   local nBatch = input:dim() - self.nInputDim + 1   -- dims 1..nBatch are folded
   if nBatch > 1 then
      local sizes = input:size():totable()
      local folded = 1
      for d = 1, nBatch - 1 do folded = folded * sizes[d] end
      for d = nBatch, #sizes do self.inShape[d - nBatch + 1] = sizes[d] end
      self.inShape[1] = self.inShape[1] * folded
      local out = self.modules[1]:updateOutput(input:view(unpack(self.inShape:totable())))
      assert(out:dim() == self.nOutputDim,
             "Wrong number of output dims on module. Expected: " ..
             self.nOutputDim .. ' but got ' .. tostring(out and out:dim()))
      for d = 1, out:dim() do self.outShape[d] = out:size(d) end
      -- leading batch sizes, then the module's output sizes with the fold undone
      local outSizes = {}
      for d = 1, nBatch - 1 do outSizes[d] = sizes[d] end
      for d = 1, out:dim() do outSizes[nBatch - 1 + d] = out:size(d) end
      outSizes[nBatch] = outSizes[nBatch] / folded
      self.output:set(out:view(unpack(outSizes)))
   else
      self.output:set(self.modules[1]:updateOutput(input))
   end
   return self.output
end

function Bottle:updateGradInput(input, gradOutput)
   local inner = self.modules[1]
   if input:dim() > self.nInputDim then
      inner:updateGradInput(input:view(unpack(self.inShape:totable())),
                            gradOutput:view(unpack(self.outShape:totable())))
      if inner.gradInput then
         self.gradInput:set(inner.gradInput:viewAs(input))
      else
         self.gradInput = nil
      end
   else
      if inner.gradInput then
         self.gradInput:set(inner:updateGradInput(input, gradOutput))
      else
         self.gradInput = nil
      end
   end
   return self.gradInput
end

function Bottle:accGradParameters(input, gradOutput, scale)
   if input:dim() > self.nInputDim then
      input = input:view(unpack(self.inShape:totable()))
      gradOutput = gradOutput:view(unpack(self.outShape:totable()))
   end
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

return Bottle
