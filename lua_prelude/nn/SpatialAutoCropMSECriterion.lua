-- nn.SpatialAutoCropMSECriterion([sizeAverage]): nn.MSECriterion between an
-- input and the centre crop of a (spatially larger or equal) target.
local Crit, parent = torch.class('nn.SpatialAutoCropMSECriterion', 'nn.MSECriterion')

function Crit:__init(sizeAverage)
   parent.__init(self, sizeAverage)
end

-- height and width of a 3-D (C,H,W) or 4-D (N,C,H,W) tensor
local function hw(t)
   local nd = t:dim()
   return t:size(nd - 1), t:size(nd)
end

-- the centred rows x cols window of x's last two dimensions
local function centerCrop(x, rows, cols)
   assert(x:dim() == 3 or x:dim() == 4, 'input should be a 3D or  4D tensor')
   local H, W = hw(x)
   assert(rows > 0 and rows <= H, '0 < cropSize[1] <= input:size(3) not satisfied')
   assert(cols > 0 and cols <= W, '0 < cropSize[1] <= input:size(3) not satisfied')
   local r0 = 1 + math.floor((H - rows) / 2.0)
   local c0 = 1 + math.floor((W - cols) / 2.0)
   local nd = x:dim()
   return x:narrow(nd - 1, r0, rows):narrow(nd, c0, cols)
end

function Crit:updateOutput(input, target)
   assert(input:dim() == target:dim(), 'input and target should have the same number of dimensions')
   assert(input:dim() == 4 or input:dim() == 3, 'input and target must have 3 or 4 dimensions')
   local iH, iW = hw(input)
   local tH, tW = hw(target)
   assert(iH <= tH and iW <= tW,
      'Spatial resolution of input should be less than or equal to the spatial resolution of the target')
   return parent.updateOutput(self, input, centerCrop(target, iH, iW))
end

-- (called with the target, as the criterion protocol does; only its size is checked)
function Crit:updateGradInput(input, gradOutput)
   assert(input:dim() == gradOutput:dim(),
      'input and gradOutput should have the same number of dimensions')
   assert(input:dim() == 4 or input:dim() == 3, 'input and gradOutput must have 3 or 4 dimensions')
   assert(input:isSameSizeAs(gradOutput), 'gradOutput and input must have the same size')
   return parent.updateGradInput(self, input, gradOutput)
end

return Crit
