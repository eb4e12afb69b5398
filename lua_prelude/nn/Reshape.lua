-- nn.Reshape(d1, ..., dn[, batchMode]): views the input as d1 x ... x dn, or
-- as B x d1 x ... x dn when the first dimension is a batch.  Without
-- batchMode, an input is a batch unless it has exactly d1*...*dn elements
-- and a first dimension other than 1.
local Reshape, parent = torch.class('nn.Reshape', 'nn.Module')

function Reshape:__init(...)
   parent.__init(self)
   local args = {...}
   self.size = torch.LongStorage()
   self.batchsize = torch.LongStorage()
   if torch.type(args[#args]) == 'boolean' then
      self.batchMode = table.remove(args)
   end
   local n = #args
   if n == 1 and torch.typename(args[1]) == 'torch.LongStorage' then
      self.size:resize(#args[1]):copy(args[1])
   else
      self.size:resize(n)
      for i = 1, n do self.size[i] = args[i] end
   end
   self.nelement = 1
   self.batchsize:resize(#self.size + 1)
   for i = 1, #self.size do
      self.nelement = self.nelement * self.size[i]
      self.batchsize[i + 1] = self.size[i]
   end
end

function Reshape:updateOutput(input)
   if not input:isContiguous() then
      self._input = self._input or input.new()
      self._input:resizeAs(input):copy(input)
      input = self._input
   end
   local single = self.batchMode == false or
      (self.batchMode == nil and input:nElement() == self.nelement and input:size(1) ~= 1)
   if single then
      self.output:set(input:view(self.size))
   else
      self.batchsize[1] = input:size(1)
      self.output:set(input:view(self.batchsize))
   end
   return self.output
end

function Reshape:updateGradInput(input, gradOutput)
   if not gradOutput:isContiguous() then
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      gradOutput = self._gradOutput
   end
   self.gradInput:set(gradOutput:viewAs(input))
   return self.gradInput
end

function Reshape:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), 'x') .. ')'
end

function Reshape:clearState()
   nn.utils.clear(self, '_input', '_gradOutput')
   return parent.clearState(self)
end

return Reshape
