-- nn.Convert(inputShape, outputShape): converts between data layouts named by
-- letters ('bchw' -> 'bf', 'chw' -> 'f', ...; 'b' is the batch axis, added
-- when missing), and converts the input to the module's tensor type.
-- nn.Convert() only converts the type.  The converter module is built on the
-- first forward.
local Convert, parent = torch.class('nn.Convert', 'nn.Container')

function Convert:__init(inputShape, outputShape)
   if outputShape and not inputShape then
      error"Expecting non-nil arg 1 when arg 2 is provided"
   end
   inputShape = inputShape or 'b*'
   outputShape = outputShape or inputShape
   self.inputShape = inputShape:find('b') and inputShape or ('b' .. inputShape)
   self.outputShape = outputShape:find('b') and outputShape or ('b' .. outputShape)
   self.inputBatchDim = self.inputShape:find('b')
   self.outputBatchDim = self.outputShape:find('b')
   if self.inputShape == 'b*' or self.outputShape == 'b*' then
      assert(self.inputShape == 'b*' and self.outputShape == 'b*', 'Both or neither shapes must be b*')
      self.nInputDim = -1
      self.nOutputDim = -1
      self.transposition = true
   else
      self.nInputDim = #self.inputShape
      self.nOutputDim = #self.outputShape
      -- same letters in another order: a transposition suffices
      if self.nInputDim == self.nOutputDim then
         self.transposition = true
         for i = 1, self.nInputDim do
            if not self.outputShape:find(self.inputShape:sub(i, i)) then
               self.transposition = false
               break
            end
         end
      end
   end
   parent.__init(self)
end

function Convert:buildConverter(input)
   if self.transposition then
      self.converter = self:transpose(self.outputShape)
   else
      if torch.type(self[self.outputShape]) ~= 'function' then
         error(string.format("Unrecognized conversion of shape %s to %s", self.inputShape, self.outputShape))
      end
      self.converter = self[self.outputShape](self, input)
   end
   assert(torch.isTensor(self.output), "Expecting Tensor output")
   self.converter:type(torch.type(self.output))
   self.modules[1] = self.converter
end

function Convert:updateOutput(input)
   assert(torch.isTensor(input), "expecting Tensor")
   if not torch.isTypeOf(input, torch.type(self.output)) then
      self._input = self._input or self.output.new()
      self._input:resize(input:size()):copy(input)
      input = self._input
   end
   self.batchMode = true
   if input:dim() < self.nInputDim then
      -- a single sample: give it a batch axis of size 1
      local sizes = input:size():totable()
      table.insert(sizes, self.inputBatchDim, 1)
      self.__input = self.__input or input.new()
      self.__input:set(input):resize(table.unpack(sizes))
      input = self.__input
      self.batchMode = false
   end
   if not self.converter then self:buildConverter(input) end
   self.output = self.converter:updateOutput(input)
   if not self.batchMode then
      local sizes = self.output:size():totable()
      table.remove(sizes, self.outputBatchDim)
      self.__output = self.__output or self.output.new()
      self.__output:set(self.output):resize(table.unpack(sizes))
      self.output = self.__output
   end
   return self.output
end

function Convert:updateGradInput(input, gradOutput)
   local original = input
   input = self._input or input
   if not self.batchMode then
      input = self.__input
      self.__gradOutput = self.__gradOutput or gradOutput.new()
      self.__gradOutput:set(gradOutput):resize(self.converter.output:size())
      gradOutput = self.__gradOutput
   end
   local gradInput = self.converter:updateGradInput(input, gradOutput)
   if not self.batchMode then
      self.__gradInput = self.__gradInput or gradInput.new()
      self.__gradInput:set(gradInput):resize(original:size())
      gradInput = self.__gradInput
   end
   if self._input then
      self._gradInput = self._gradInput or input.new()
      self._gradInput:resize(input:size()):copy(gradInput)
      self.gradInput = self._gradInput
   else
      self.gradInput = gradInput
   end
   return self.gradInput
end

function Convert:accGradParameters(input, gradOutput, scale)
   input = self.batchMode and self.__input or self._input or input
   gradOutput = self.batchMode and self.__gradOutput or gradOutput
   self.converter:accGradParameters(input, gradOutput, scale)
end

function Convert:accUpdateGradParameters(input, gradOutput, lr)
   input = self.batchMode and self.__input or self._input or input
   gradOutput = self.batchMode and self.__gradOutput or gradOutput
   self.converter:accUpdateGradParameters(input, gradOutput, lr)
end

-- to 'bf': batch x features
function Convert:bf(input)
   local b_pos = self:findAxis('b', self.inputShape)
   local dim = #self.inputShape
   if self.inputShape == 'bt' then
      error"Conversion of shape bt to bf not supported: open an issue on github"
   end
   if dim == 1 then return nn.Reshape(1) end
   local m
   if b_pos ~= 1 then m = nn.Transpose({1, b_pos}) end
   if dim > 2 then
      local sampleSize = input:select(self:findAxis('b'), 1):nElement()
      local reshape = nn.Reshape(sampleSize)
      if m then
         m = nn.Sequential():add(m):add(reshape)
      else
         m = reshape
      end
   end
   return m or nn.Identity()
end

-- to 'b': one scalar per example
function Convert:b(input)
   if self.inputShape == 'bt' or self.inputShape == 'tb' then
      return nn.Select(self:findAxis('t'), 1)
   elseif self.inputShape == 'bf' or self.inputShape == 'fb' then
      local f_pos = self:findAxis('f')
      if input:size(f_pos) > 1 then
         error("Cannot convert shape " .. self.inputShape .. " to b when feature > 1")
      end
      return nn.Select(f_pos, 1)
   end
   error("Cannot convert shape " .. self.inputShape .. " to shape b")
end

function Convert:default()
   return nn.Identity()
end

-- to 'bt' (a batch of targets)
function Convert:bt()
   if self.inputShape == 'b' then return nn.Reshape(1) end
   error("cannot convert shape '" .. self.inputShape .. "' to bt")
end

-- the transpositions that reorder inputShape's axes into newShape
function Convert:transpose(newShape)
   if newShape == self.inputShape then return nn.Identity() end
   local axes = {}
   for i = 1, #self.inputShape do axes[i] = self.inputShape:sub(i, i) end
   local swaps = {}
   for i = 1, #newShape do
      local want = newShape:sub(i, i)
      local j
      for k, a in ipairs(axes) do
         if a == want then j = k; break end
      end
      if i ~= j then
         axes[i], axes[j] = axes[j], axes[i]
         swaps[#swaps + 1] = {j, i}
      end
   end
   return nn.Transpose(table.unpack(swaps))
end

function Convert:findAxis(axis_char, shape, silent)
   shape = shape or self.inputShape
   local pos = shape:find(axis_char)
   if not silent and not pos then
      error("Provided shape '" .. shape .. "' has no axis '" .. axis_char .. "'", 2)
   end
   return pos
end

function Convert:clearState()
   self._input = nil
   self._gradInput = nil
   self.__input = nil
   self.__output = nil
   self.__gradInput = nil
   self.__gradOutput = nil
end

function Convert:type(typename)
   self:clearState()
   return parent.type(self, typename)
end

return Convert
