-- nn.CMulTable: the element-wise product of a table of tensors.
local CMulTable, parent = torch.class('nn.CMulTable', 'nn.Module')
local F = require 'nn._fused'

function CMulTable:__init()
   parent.__init(self)
   self.gradInput = {}
end

function CMulTable:updateOutput(input)
   local hs = F.list(self.output, input)
   if hs and #hs > 1 then   -- the copy and the products below in one call
      F.call(F.C.nnp_prod_into, unpack(hs))
      return self.output
   end
   self.output:resizeAs(input[1]):copy(input[1])
   for i = 2, #input do self.output:cmul(input[i]) end
   return self.output
end

-- output / input_i instead of the product of the others (wrong for zeros)
function CMulTable:updateGradInput_efficient(input, gradOutput)
   self.tout = self.tout or input[1].new()
   self.tout:resizeAs(self.output)
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[1].new()
      self.gradInput[i]:resizeAs(input[i]):copy(gradOutput)
      self.tout:copy(self.output):cdiv(input[i])
      self.gradInput[i]:cmul(self.tout)
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

-- d/dx_i = g times the product of the other inputs
function CMulTable:updateGradInput(input, gradOutput)
   local n = #input
   for i = 1, n do self.gradInput[i] = self.gradInput[i] or input[1].new() end
   local hx = F.list(gradOutput, input)
   local hgi = hx and F.list(gradOutput, self.gradInput)
   if hgi and n > 0 then   -- the loops below in one call
      local args = {}
      for i = 1, n do args[i], args[n + i] = hgi[i + 1], hx[i + 1] end
      F.call(F.C.nnp_cmul_grads, hx[1], n, unpack(args, 1, 2 * n))
      for i = n + 1, #self.gradInput do self.gradInput[i] = nil end
      return self.gradInput
   end
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[1].new()
      self.gradInput[i]:resizeAs(input[i]):copy(gradOutput)
      for j = 1, #input do
         if i ~= j then self.gradInput[i]:cmul(input[j]) end
      end
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

function CMulTable:clearState()
   if self.tout then self.tout:set() end
   return parent.clearState(self)
end

return CMulTable
