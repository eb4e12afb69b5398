-- nn.CReLU(nInputDims[, inplace]): concatenated ReLU, [relu(x), relu(-x)]
-- along the feature dimension (Shang et al. 2016); a Sequential underneath.
local CReLU, parent = torch.class('nn.CReLU', 'nn.Sequential')

function CReLU:__init(nInputDims, inplace)
   parent.__init(self)
   self.nInputDims = nInputDims
   self.inplace = inplace or false
   local both = nn.ConcatTable()
   both:add(nn.Identity())
   both:add(nn.MulConstant(-1))
   self:add(both)
   self:add(nn.JoinTable(2))
   self:add(nn.ReLU(self.inplace))
end

-- samples are flattened to rows for the inner network
local function rows(self, x, like)
   if like:dim() == self.nInputDims + 1 then return x:view(like:size(1), -1) end
   return x:view(1, -1)
end

function CReLU:updateOutput(input)
   parent.updateOutput(self, rows(self, input, input))
   local osize = input:size()
   local d = (input:dim() == self.nInputDims + 1) and 2 or 1
   osize[d] = osize[d] * 2
   self.output:resize(osize)
   return self.output
end

function CReLU:backward(input, gradOutput)
   return self:updateGradInput(input, gradOutput)
end

function CReLU:updateGradInput(input, gradOutput)
   parent.updateGradInput(self, rows(self, input, input), rows(self, gradOutput, input))
   self.gradInput:resizeAs(input)
   return self.gradInput
end

function CReLU:__tostring__()
   return "CReLU()"
end

return CReLU
