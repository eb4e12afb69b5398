-- nn.GPU(module, device[, outdevice]): in Torch7 it runs the wrapped module on
-- one CUDA device.  torchlua has no CUDA, so tensors stay on the CPU and the
-- decorator only forwards calls; device numbers are kept (printing, saving).
local GPU, parent = torch.class('nn.GPU', 'nn.Container')

function GPU:__init(module, device, outdevice)
   parent.__init(self)
   assert(torch.type(device) == 'number')
   self.device = device
   self.outdevice = outdevice or device
   assert(torch.isTypeOf(module, 'nn.Module'))
   self.modules[1] = module
end

-- CPU tensors have no device: objects come back unchanged
function GPU.recursiveModuleDevice(obj, device)
   assert(obj ~= nil)
   return obj
end

function GPU:setDevice(device)
   self.device = device or self.device
   assert(self.modules[1])
   return self
end

-- dst mirrors src's table structure; CPU tensors are passed through
function GPU.recursiveSetDevice(dst, src, proto)
   local tp = torch.type(proto)
   if not (torch.isTensor(proto) or tp == 'number' or tp == 'table') then
      error"Expecting number, table or tensor for arg 3 (proto)"
   end
   if torch.type(src) == 'table' then
      dst = torch.type(dst) == 'table' and dst or {}
      for k, v in ipairs(src) do
         dst[k] = GPU.recursiveSetDevice(dst[k], v, tp == 'table' and proto[k] or proto)
      end
      for k = #src + 1, #dst do dst[k] = nil end
      return dst
   end
   return src
end

function GPU:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   return self.output
end

function GPU:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   return self.gradInput
end

function GPU:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

function GPU:type(typename, tensorCache)
   self.output = nil
   self.gradInput = nil
   self._input = nil
   self._gradOutput = nil
   parent.type(self, typename, tensorCache)
   return self
end

function GPU:clearState()
   nn.utils.clear(self, 'output', 'gradInput')
   self._input = nil
   self._gradOutput = nil
   parent.clearState(self)
end

function GPU:share(other, ...)
   parent.share(self, other, ...)
   return self
end

function GPU:reset(...)
   parent.reset(self, ...)
   return self
end

-- saved as a {type, device} header followed by the fields
function GPU:write(file)
   local object = {}
   for k, v in pairs(self) do object[k] = v end
   file:writeObject({self._type, self.device})
   file:writeObject(object)
end

function GPU:read(file)
   local header = file:readObject()
   local object = file:readObject()
   for k, v in pairs(object) do self[k] = v end
end

function GPU:__tostring__()
   local inner = self.modules[1]
   local text = inner.__tostring__ and inner:__tostring__() or torch.type(inner)
   return torch.type(self) .. '(' .. self.device .. ') @ ' .. text
end

function GPU:accUpdateGradParameters(input, gradOutput, lr)
   error("Not Implemented for " .. torch.type(self))
end

function GPU:sharedAccUpdateGradParameters(input, gradOutput, lr)
   error("Not Implemented for " .. torch.type(self))
end

return GPU
