-- nn.SpatialLPPooling(nInputPlane, p, kW, kH[, dW=kW, dH=kH]): the p-norm of
-- each kW x kH window, built as Power(p) (Square for p=2) -> average pooling
-- -> times kW*kH -> Power(1/p) (Sqrt for p=2).  No trainable parameters.
local LP, parent = torch.class('nn.SpatialLPPooling', 'nn.Sequential')

function LP:__init(nInputPlane, pnorm, kW, kH, dW, dH)
   parent.__init(self)
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or kW, dH or kH
   self:add(pnorm == 2 and nn.Square() or nn.Power(pnorm))
   self:add(nn.SpatialAveragePooling(kW, kH, self.dW, self.dH))
   self:add(nn.MulConstant(kW * kH))
   self:add(pnorm == 2 and nn.Sqrt() or nn.Power(1 / pnorm))
end

-- the inner modules have nothing to learn
function LP:reset() end
function LP:accGradParameters() end
function LP:accUpdateGradParameters() end
function LP:zeroGradParameters() end
function LP:updateParameters() end

return LP
