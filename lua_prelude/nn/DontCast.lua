-- nn.DontCast(module, castin, castout, moduleType): keeps the wrapped module's
-- tensor type when the network is converted; converts inputs/outputs at the
-- boundary instead (castin: inputs and gradInputs, castout: outputs and
-- gradOutputs).
local DontCast, parent = torch.class('nn.DontCast', 'nn.Decorator')

-- dst (reused if already of type_str) gets src's values, as type_str
local function copyAs(dst, src, type_str)
   if torch.type(src) == 'table' then
      dst = (torch.type(dst) == 'table') and dst or {}
      for k, v in pairs(src) do dst[k] = copyAs(dst[k], v, type_str) end
   elseif torch.isTensor(src) then
      if torch.type(dst) ~= type_str then dst = torch.getmetatable(type_str).new() end
      dst:resize(src:size())
      if src:nElement() > 0 then dst:copy(src) end
   end
   return dst
end

-- the type of the first tensor found (plain Lua tables are searched; any
-- other value answers its own type), and whether one was found
local function tensorType(x)
   if type(x) == 'table' then
      local t, found
      for _, v in pairs(x) do
         t, found = tensorType(v)
         if found then return t, true end
      end
      return t, found
   end
   return torch.type(x), torch.isTensor(x)
end

function DontCast:__init(module, castin, castout, moduleType)
   parent.__init(self, module)
   self.castin = castin
   if castout == nil then castout = castin end
   self.castout = castout
   self.moduleType = moduleType
   if (self.castin or self.castout) and not self.moduleType then
      local t, found = tensorType(module.output)
      if not found then t, found = tensorType(module:parameters()) end
      if not found then error"Cannot extrapolate moduleType. Provide constructor argument 4" end
      self.moduleType = t
   end
end

function DontCast:updateOutput(input)
   if self.castin and tensorType(input) ~= self.moduleType then
      self._input = copyAs(self._input, input, self.moduleType)
      input = self._input
   end
   local out = self.modules[1]:updateOutput(input)
   if self.castout then
      self.output = copyAs(self.output, out, tensorType(self.output))
   else
      self.output = out
   end
   return self.output
end

-- the (converted) arguments the wrapped module saw in the forward pass
local function inner_args(self, input, gradOutput, convert)
   if self.castin and tensorType(input) ~= self.moduleType then
      input = self._input
   end
   if self.castout and tensorType(gradOutput) ~= self.moduleType then
      if convert then
         self._gradOutput = copyAs(self._gradOutput, gradOutput, self.moduleType)
      end
      gradOutput = self._gradOutput
   end
   return input, gradOutput
end

function DontCast:updateGradInput(input, gradOutput)
   local i, g = inner_args(self, input, gradOutput, true)
   local gi = self.modules[1]:updateGradInput(i, g)
   if self.castin then
      self.gradInput = copyAs(self.gradInput, gi, tensorType(self.gradInput))
   else
      self.gradInput = gi
   end
   return self.gradInput
end

function DontCast:accGradParameters(input, gradOutput, scale)
   local i, g = inner_args(self, input, gradOutput, false)
   self.modules[1]:accGradParameters(i, g, scale)
end

function DontCast:accUpdateGradParameters(input, gradOutput, lr)
   local i, g = inner_args(self, input, gradOutput, false)
   self.modules[1]:accUpdateGradParameters(i, g, lr)
end

-- only the boundary buffers change type; the wrapped module stays as it is
function DontCast:type(typename)
   if self.castout and tensorType(self.output) ~= typename then
      self.output = copyAs(nil, self.output, typename)
   end
   if self.castin and tensorType(self.gradInput) ~= typename then
      self.gradInput = copyAs(nil, self.gradInput, typename)
   end
   return self
end

return DontCast
