-- nn.View(sizes...): views the input with the given sizes (one may be -1,
-- inferred).  Leading dimensions beyond the view's elements make a batch;
-- setNumInputDims(n) says how many trailing dimensions form one sample.
local View, parent = torch.class('nn.View', 'nn.Module')

function View:resetSize(...)
   if select('#', ...) == 1 and torch.typename((...)) == 'torch.LongStorage' then
      self.size = (...)
   else
      self.size = torch.LongStorage({...})
   end
   self.numElements = 1
   local inferred = false
   for i = 1, #self.size do
      local s = self.size[i]
      if s >= 0 then
         self.numElements = self.numElements * s
      else
         assert(s == -1, 'size should be positive or -1')
         assert(not inferred, 'only one dimension can be at -1')
         inferred = true
      end
   end
   return self
end

function View:__init(...)
   parent.__init(self)
   self:resetSize(...)
   self.numInputDims = nil
end

function View:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

-- the batch size to put in front of the view, or nil for no batch dimension
local function batchsize(input, size, numInputDims, numElements)
   local nd = input:nDimension()
   local isz = input:size()
   local nsample = numInputDims or nd
   local sampleElements = 1
   for i = nd, nd - nsample + 1, -1 do sampleElements = sampleElements * isz[i] end
   if sampleElements % numElements ~= 0 then
      error(string.format('input view (%s) and desired view (%s) do not match',
                          table.concat(input:size():totable(), 'x'),
                          table.concat(size:totable(), 'x')))
   end
   -- what is left over is a batch, unless a -1 dimension absorbs it
   local bsz = sampleElements / numElements
   for i = 1, size:size() do
      if size[i] == -1 then bsz = 1; break end
   end
   -- dimensions before the sample's are batch dimensions in any case
   for i = nd - nsample, 1, -1 do bsz = bsz * isz[i] end
   if bsz == 1 and (not numInputDims or nd <= numInputDims) then return nil end
   return bsz
end

function View:updateOutput(input)
   self.output = self.output or input.new()
   local bsz = batchsize(input, self.size, self.numInputDims, self.numElements)
   if bsz then
      self.output:set(input:view(bsz, table.unpack(self.size:totable())))
   else
      self.output:set(input:view(self.size))
   end
   return self.output
end

function View:updateGradInput(input, gradOutput)
   self.gradInput = self.gradInput or gradOutput.new()
   self.gradInput:set(gradOutput:view(input:size()))
   return self.gradInput
end

function View:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), ', ') .. ')'
end

return View
