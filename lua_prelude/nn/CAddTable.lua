-- nn.CAddTable([inplace]): the sum of a table of tensors.
local CAddTable, parent = torch.class('nn.CAddTable', 'nn.Module')
local F = require 'nn._fused'

function CAddTable:__init(ip)
   parent.__init(self)
   self.inplace = ip
   self.gradInput = {}
end

function CAddTable:updateOutput(input)
   if self.inplace then
      self.output:set(input[1])
   else
      local hs = F.list(self.output, input)
      if hs and #hs > 1 then   -- the copy and the sums below in one call
         F.call(F.C.nnp_sum_into, unpack(hs))
         return self.output
      end
      self.output:resizeAs(input[1]):copy(input[1])
   end
   for i = 2, #input do self.output:add(input[i]) end
   return self.output
end

function CAddTable:updateGradInput(input, gradOutput)
   if not self.inplace then
      for i = 1, #input do self.gradInput[i] = self.gradInput[i] or input[1].new() end
      local hg = F.list(gradOutput, input)
      local hgi = hg and F.list(gradOutput, self.gradInput)
      if hgi then   -- the resizes and copies below in one call
         local args = {}
         for i = 1, #input do args[2 * i - 1], args[2 * i] = hgi[i + 1], hg[i + 1] end
         F.call(F.C.nnp_copy_each, hg[1], unpack(args, 1, 2 * #input))
         for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
         return self.gradInput
      end
   end
   for i = 1, #input do
      self.gradInput[i] = self.gradInput[i] or input[1].new()
      if self.inplace then
         self.gradInput[i]:set(gradOutput)
      else
         self.gradInput[i]:resizeAs(input[i]):copy(gradOutput)
      end
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

return CAddTable
