-- nn.LayerNormalization(nOutput[, bias=0, eps=1e-10, affine=true]): each
-- sample minus its mean, scaled to norm sqrt(nOutput), then (affine) a
-- learnable gain (CMul, init 1) and bias (Add).  A Sequential underneath.
local LayerNormalization, parent = torch.class('nn.LayerNormalization', 'nn.Sequential')

function LayerNormalization:__init(nOutput, bias, eps, affine)
   parent.__init(self)
   eps = eps or 1e-10
   if affine == nil then affine = true end
   bias = bias or 0
   local mean = nn.Sequential():add(nn.Mean(1, 1)):add(nn.Replicate(nOutput, 1, 1))
   self:add(nn.ConcatTable():add(nn.Identity()):add(mean))
       :add(nn.CSubTable())
       :add(nn.Normalize(2, eps))
       :add(nn.MulConstant(torch.sqrt(nOutput)))
   if affine then
      local biasTransform = nn.Add(nOutput, false)
      biasTransform.bias:fill(bias)
      local gainTransform = nn.CMul(nOutput)
      gainTransform.weight:fill(1.)
      self:add(gainTransform)
      self:add(biasTransform)
   end
end

return LayerNormalization
