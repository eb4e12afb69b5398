-- nn.SoftPlus(beta=1): log(1 + exp(beta x)) / beta, and x itself where
-- beta x > 20 (no overflow).
local SoftPlus, parent = torch.class('nn.SoftPlus', 'nn.Module')
local copyWhere = require('nn._private').copyWhere

function SoftPlus:__init(beta)
   parent.__init(self)
   self.beta = beta or 1
   self.threshold = 20
end

function SoftPlus:updateOutput(input)
   local bx = torch.mul(input, self.beta)
   if require('nn._private').isFloat(input) then
      -- THNN (float): log1p(exp(beta x)) / beta in double, rounded once
      local beta = torch.FloatTensor{self.beta}[1]
      self.output:resizeAs(input):copy(bx:double():exp():log1p():div(beta))
   else
      self.output:resizeAs(input):copy(bx):exp():log1p():div(self.beta)
   end
   copyWhere(self.output, bx:gt(self.threshold), input)
   return self.output
end

-- with z = exp(beta y): dy/dx = (z - 1) / z (from the output alone)
function SoftPlus:updateGradInput(input, gradOutput)
   require('nn._private').checkNElement(input, 'input', gradOutput)
   local by = torch.mul(self.output, self.beta)
   if require('nn._private').isFloat(by) then
      -- THNN (float): z = (float) exp(beta y); g (z - 1) / z in double
      local z = by:double():exp():float():double()
      self.gradInput:resizeAs(self.output):copy(z:clone():add(-1):cmul(gradOutput:double()):cdiv(z))
   else
      local z = by:clone():exp()
      self.gradInput:resizeAs(self.output):copy(z):add(-1):cmul(gradOutput):cdiv(z)
   end
   copyWhere(self.gradInput, by:gt(self.threshold), gradOutput)
   return self.gradInput
end

return SoftPlus
