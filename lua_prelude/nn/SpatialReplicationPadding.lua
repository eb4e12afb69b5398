-- nn.SpatialReplicationPadding(l[, r=l, t=l, b=l]): pads the last two dimensions
-- of a 3-D or 4-D input by repeating its border rows and columns;
-- negative pads crop.
local K = require 'nn.THNN_kernels'
local Pad, parent = torch.class('nn.SpatialReplicationPadding', 'nn.Module')

function Pad:__init(pad_l, pad_r, pad_t, pad_b)
   parent.__init(self)
   self.pad_l = pad_l
   self.pad_r = pad_r or pad_l
   self.pad_t = pad_t or pad_l
   self.pad_b = pad_b or pad_l
end

function Pad:updateOutput(input)
   if input:dim() ~= 3 and input:dim() ~= 4 then
      error('input must be 3 or 4-dimensional')
   end
   K.SpatialReplicationPadding_updateOutput(input, self.output,
      self.pad_l, self.pad_r, self.pad_t, self.pad_b)
   return self.output
end

function Pad:updateGradInput(input, gradOutput)
   local nd = input:dim()
   if (nd ~= 3 and nd ~= 4) or gradOutput:dim() ~= nd then
      error([[input and gradOutput must be 3 or 4-dimensional
         and have equal number of dimensions]])
   end
   local ok = input:size(nd - 1) + self.pad_t + self.pad_b == gradOutput:size(nd - 1)
      and input:size(nd) + self.pad_l + self.pad_r == gradOutput:size(nd)
   for d = 1, nd - 2 do ok = ok and input:size(d) == gradOutput:size(d) end
   assert(ok, 'input and gradOutput must be compatible in size')
   K.SpatialReplicationPadding_updateGradInput(input, gradOutput, self.gradInput,
      self.pad_l, self.pad_r, self.pad_t, self.pad_b)
   return self.gradInput
end

-- nn.SpatialReplicationPadding(l=1, r=1, t=1, b=1)
function Pad:__tostring__()
   return torch.type(self) .. string.format('(l=%d, r=%d, t=%d, b=%d)',
      self.pad_l, self.pad_r, self.pad_t, self.pad_b)
end

return Pad
