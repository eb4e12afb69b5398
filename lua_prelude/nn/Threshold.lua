-- nn.Threshold(th=1e-6, v=0[, inplace]): x where x > th, v elsewhere (a NaN
-- input gives v, except in place).
local Threshold, parent = torch.class('nn.Threshold', 'nn.Module')

function Threshold:__init(th, v, ip)
   parent.__init(self)
   self.threshold = th or 1e-6
   self.val = v or 0
   if (th and type(th) ~= 'number') or (v and type(v) ~= 'number') then
      error('nn.Threshold(threshold, value)')
   end
   self.inplace = ip or false
   if ip and type(ip) ~= 'boolean' then error('in-place flag must be boolean') end
   self:validateParameters()
end

-- Float/Double tensors take one kernel pass (nn_kernels_api.Threshold_*),
-- other types the tensor methods; both give the same values.
local core = require 'torch._core'
local KERNEL_TYPES = {['torch.FloatTensor'] = true, ['torch.DoubleTensor'] = true}

local function fast(input, other)
   local ty = torch.type(input)
   return KERNEL_TYPES[ty] and torch.type(other) == ty
end

function Threshold:updateOutput(input)
   require('nn._private').checkTypes(input, 1, self.output)
   self:validateParameters()
   if fast(input, self.output) then
      core.call(core.C.nnk_Threshold_updateOutput, core.TDATA[input].h,
                core.TDATA[self.output].h, self.threshold, self.val, self.inplace)
      if self.inplace then self.output:set(input) end
   elseif self.inplace then
      input:maskedFill(input:le(self.threshold), self.val)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input)
      self.output:maskedFill(input:gt(self.threshold):eq(0), self.val)
   end
   return self.output
end

function Threshold:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   self:validateParameters()
   local gi = self.gradInput
   if fast(input, gradOutput) and (self.inplace or torch.type(gi) == torch.type(input)) then
      core.call(core.C.nnk_Threshold_updateGradInput, core.TDATA[input].h,
                core.TDATA[gradOutput].h, core.TDATA[gi].h, self.threshold, self.inplace)
      if self.inplace then gi:set(gradOutput) end
   elseif self.inplace then
      gradOutput:maskedFill(input:le(self.threshold), 0)
      self.gradInput:set(gradOutput)
   else
      self.gradInput:resizeAs(input):copy(gradOutput)
      self.gradInput:maskedFill(input:gt(self.threshold):eq(0), 0)
   end
   return self.gradInput
end

-- in place, the backward pass reads the thresholded input: v must stay <= th
function Threshold:validateParameters()
   self.inplace = self.inplace or false   -- modules saved before `inplace` existed
   if self.inplace and self.val > self.threshold then
      error('in-place processing requires value (' .. self.val ..
            ') not exceed threshold (' .. self.threshold .. ')')
   end
end

return Threshold
