-- nn.Contiguous: a contiguous copy of the input (the input itself if it
-- already is contiguous); the same for the gradient.
local Contiguous = torch.class('nn.Contiguous', 'nn.Module')

local function contiguous_into(dst, src)
   if src:isContiguous() then
      dst:set(src)
   else
      -- dst may still be a view of src: detach it before resizing
      local ds = dst:storage()
      if ds and torch.pointer(ds) == torch.pointer(src:storage()) then dst:set() end
      dst:resizeAs(src):copy(src)
   end
   return dst
end

function Contiguous:updateOutput(input)
   return contiguous_into(self.output, input)
end

function Contiguous:updateGradInput(input, gradOutput)
   return contiguous_into(self.gradInput, gradOutput)
end

return Contiguous
