-- nn.Replicate(n, dim=1, ndim): a view of the input repeated n times along a
-- new dimension dim (stride 0, no copy).  With ndim, inputs with more than
-- ndim dimensions are batches and dim counts after the batch dimension.
local Replicate, parent = torch.class('nn.Replicate', 'nn.Module')

function Replicate:__init(nf, dim, ndim)
   parent.__init(self)
   self.nfeatures = nf
   self.dim = dim or 1
   self.ndim = ndim
   assert(self.dim > 0, "Can only replicate across positive integer dimensions.")
end

-- sizes/strides of the input with a new dimension at rdim
local function with_new_dim(input, rdim, size, stride)
   local n = input:dim() + 1
   local sz, st = torch.LongStorage(n), torch.LongStorage(n)
   local src = 1
   for d = 1, n do
      if d == rdim then
         sz[d], st[d] = size, stride
      else
         sz[d], st[d] = input:size(src), input:stride(src)
         src = src + 1
      end
   end
   return sz, st
end

local function replicated_dim(self, input)
   local batchOffset = (self.ndim and input:dim() > self.ndim) and 1 or 0
   return self.dim + batchOffset
end

function Replicate:updateOutput(input)
   self.dim = self.dim or 1   -- modules saved before `dim` existed
   assert(self.dim <= input:dim() + 1,
          "Not enough input dimensions to replicate along dimension " .. tostring(self.dim) .. ".")
   local sz, st = with_new_dim(input, replicated_dim(self, input), self.nfeatures, 0)
   self.output:set(input:storage(), input:storageOffset(), sz, st)
   return self.output
end

function Replicate:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   local rdim = replicated_dim(self, input)
   local sz = with_new_dim(input, rdim, 1, 1)
   self.gradInput:view(sz):sum(gradOutput, rdim)
   return self.gradInput
end

return Replicate
