-- nn.VolumetricReplicationPadding(left[, right, top, bottom, front, back] all
-- defaulting to left): pads the last three dimensions of a 4-D or 5-D input by
-- repeating its border values; negative pads crop.
local K = require 'nn.THNN_kernels'
local Pad, parent = torch.class('nn.VolumetricReplicationPadding', 'nn.Module')

function Pad:__init(pleft, pright, ptop, pbottom, pfront, pback)
   parent.__init(self)
   self.pleft = pleft
   self.pright = pright or pleft
   self.ptop = ptop or pleft
   self.pbottom = pbottom or pleft
   self.pfront = pfront or pleft
   self.pback = pback or pleft
end

function Pad:updateOutput(input)
   if input:dim() ~= 4 and input:dim() ~= 5 then error('input must be 4 or 5-dimensional') end
   K.VolumetricReplicationPadding_updateOutput(input, self.output, self.pleft, self.pright,
      self.ptop, self.pbottom, self.pfront, self.pback)
   return self.output
end

function Pad:updateGradInput(input, gradOutput)
   local nd = input:dim()
   if (nd ~= 4 and nd ~= 5) or gradOutput:dim() ~= nd then
      error([[input and gradOutput must be 4 or 5-dimensional
         and have equal number of dimensions]])
   end
   local ok = input:size(nd - 2) + self.pfront + self.pback == gradOutput:size(nd - 2)
      and input:size(nd - 1) + self.ptop + self.pbottom == gradOutput:size(nd - 1)
      and input:size(nd) + self.pleft + self.pright == gradOutput:size(nd)
   for d = 1, nd - 3 do ok = ok and input:size(d) == gradOutput:size(d) end
   assert(ok, 'input and gradOutput must be compatible in size')
   K.VolumetricReplicationPadding_updateGradInput(input, gradOutput, self.gradInput,
      self.pleft, self.pright, self.ptop, self.pbottom, self.pfront, self.pback)
   return self.gradInput
end

function Pad:__tostring__()
   return torch.type(self) ..
      string.format('(left=%d, right=%d, top=%d, bottom=%d, front=%d, back=%d)',
         self.pleft, self.pright, self.ptop, self.pbottom, self.pfront, self.pback)
end

return Pad
