-- nn.DepthConcat(dim): like Concat, but outputs whose other dimensions are
-- smaller are centred in a zero-padded window of the largest size.
local DepthConcat = torch.class('nn.DepthConcat', 'nn.Concat')

-- the part of `output` where `currentOutput` goes (offset along self.dimension)
function DepthConcat:windowNarrow(output, currentOutput, offset)
   local dim = self.dimension
   local window = output:narrow(dim, offset, currentOutput:size(dim))
   for d = 1, self.outputSize:size(1) do
      local size = currentOutput:size(d)
      if d ~= dim and self.outputSize[d] ~= size then
         -- centred; an odd difference puts the extra padding after
         local first = math.floor((self.outputSize[d] - size) / 2 + 1)
         window = window:narrow(d, first, size)
      end
   end
   return window
end

function DepthConcat:updateOutput(input)
   self.outputSize = self.outputSize or torch.LongStorage()
   local dim = self.dimension
   local outs = {}
   for i = 1, #self.modules do
      local out = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
      outs[i] = out
      if i == 1 then
         self.outputSize:resize(out:dim()):copy(out:size())
      else
         self.outputSize[dim] = self.outputSize[dim] + out:size(dim)
         for d = 1, self.outputSize:size(1) do
            if d ~= dim then
               self.outputSize[d] = math.max(self.outputSize[d], out:size(d))
            end
         end
      end
   end
   self.output:resize(self.outputSize):zero()
   local offset = 1
   for i = 1, #self.modules do
      self:windowNarrow(self.output, outs[i], offset):copy(outs[i])
      offset = offset + outs[i]:size(dim)
   end
   return self.output
end

-- method: 'updateGradInput' or 'backward' (backward passes no scale, as upstream)
local function gradients(self, method, input, gradOutput)
   self.gradInput:resizeAs(input)
   local offset = 1
   for i, module in ipairs(self.modules) do
      local window = self:windowNarrow(gradOutput, module.output, offset)
      local g = self:rethrowErrors(module, i, method, input, window)
      if i == 1 then self.gradInput:copy(g) else self.gradInput:add(g) end
      offset = offset + module.output:size(self.dimension)
   end
   return self.gradInput
end

function DepthConcat:updateGradInput(input, gradOutput)
   return gradients(self, 'updateGradInput', input, gradOutput)
end

function DepthConcat:backward(input, gradOutput, scale)
   return gradients(self, 'backward', input, gradOutput)
end

local function each_child(self, method, input, gradOutput, arg)
   local offset = 1
   for i, module in ipairs(self.modules) do
      local window = self:windowNarrow(gradOutput, module.output, offset)
      self:rethrowErrors(module, i, method, input, window, arg)
      offset = offset + module.output:size(self.dimension)
   end
end

function DepthConcat:accGradParameters(input, gradOutput, scale)
   each_child(self, 'accGradParameters', input, gradOutput, scale or 1)
end

function DepthConcat:accUpdateGradParameters(input, gradOutput, lr)
   each_child(self, 'accUpdateGradParameters', input, gradOutput, lr)
end

return DepthConcat
