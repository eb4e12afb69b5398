-- nn.SpatialZeroPadding(l[, r=l, t=l, b=l]): pads the last two dimensions of
-- a 3-D or 4-D input with zeros; negative pads crop.
local Pad, parent = torch.class('nn.SpatialZeroPadding', 'nn.Module')

function Pad:__init(pad_l, pad_r, pad_t, pad_b)
   parent.__init(self)
   self.pad_l = pad_l
   self.pad_r = pad_r or pad_l
   self.pad_t = pad_t or pad_l
   self.pad_b = pad_b or pad_l
end

-- the part of `big` (the padded side) and of `small` (the unpadded side)
-- that correspond, for the planes' last two dimensions hd, wd
local function overlap(self, small, big, hd, wd)
   local function cut(x, d, before, after, grow)
      -- grow: x is the side that receives the pads (> 0), else the cropped one (< 0)
      if grow then
         if before > 0 then x = x:narrow(d, 1 + before, x:size(d) - before) end
         if after > 0 then x = x:narrow(d, 1, x:size(d) - after) end
      else
         if before < 0 then x = x:narrow(d, 1 - before, x:size(d) + before) end
         if after < 0 then x = x:narrow(d, 1, x:size(d) + after) end
      end
      return x
   end
   small = cut(cut(small, hd, self.pad_t, self.pad_b, false), wd, self.pad_l, self.pad_r, false)
   big = cut(cut(big, hd, self.pad_t, self.pad_b, true), wd, self.pad_l, self.pad_r, true)
   return small, big
end

function Pad:updateOutput(input)
   local nd = input:dim()
   if nd ~= 3 and nd ~= 4 then error('input must be 3 or 4-dimensional') end
   local h = input:size(nd - 1) + self.pad_t + self.pad_b
   local w = input:size(nd) + self.pad_l + self.pad_r
   if w < 1 or h < 1 then error('input is too small') end
   if nd == 3 then
      self.output:resize(input:size(1), h, w)
   else
      self.output:resize(input:size(1), input:size(2), h, w)
   end
   self.output:zero()
   local src, dst = overlap(self, input, self.output, nd - 1, nd)
   dst:copy(src)
   return self.output
end

function Pad:updateGradInput(input, gradOutput)
   local nd = input:dim()
   if nd ~= 3 and nd ~= 4 then error('input must be 3 or 4-dimensional') end
   self.gradInput:resizeAs(input):zero()
   local dst, src = overlap(self, self.gradInput, gradOutput, nd - 1, nd)
   dst:copy(src)
   return self.gradInput
end

-- nn.SpatialZeroPadding(l=1, r=1, t=1, b=1)
function Pad:__tostring__()
   return torch.type(self) .. string.format('(l=%d, r=%d, t=%d, b=%d)',
      self.pad_l, self.pad_r, self.pad_t, self.pad_b)
end

return Pad
