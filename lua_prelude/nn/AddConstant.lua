-- nn.AddConstant(c[, inplace=false]): output = input + c (c a number, or a
-- vector added to every row of a matrix).
local AddConstant, parent = torch.class('nn.AddConstant', 'nn.Module')

function AddConstant:__init(constant_scalar, ip)
   parent.__init(self)
   self.constant_scalar = constant_scalar
   self.inplace = ip or false
   if ip and type(ip) ~= 'boolean' then error('in-place flag must be boolean') end
end

function AddConstant:updateOutput(input)
   local c = self.constant_scalar
   assert(type(c) == 'number' or
          (torch.isTensor(c) and input:nDimension() <= 2 and
           input:size(input:nDimension()) == c:size(1)),
          'input is not scalar or doesn\'t match with the dimension of constant!')
   local addend = c
   if torch.isTensor(c) and input:nDimension() == 2 then
      local n = c:size(1)
      addend = c.new():resize(1, n):copy(c):expand(input:size(1), n)
   end
   if self.inplace then
      input:add(addend)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input):add(addend)
   end
   return self.output
end

function AddConstant:updateGradInput(input, gradOutput)
   if self.inplace then
      self.gradInput:set(gradOutput)
      input:add(-self.constant_scalar)   -- give the caller its input back
   else
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   end
   return self.gradInput
end

return AddConstant
