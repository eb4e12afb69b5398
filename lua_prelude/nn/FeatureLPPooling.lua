-- nn.FeatureLPPooling(width, stride, power[, batch_mode]): Lp pooling across
-- features: (sum of x^power over `width` consecutive features)^(1/power),
-- windows `stride` apart.  The feature dimension is the first (the second in
-- batch mode), followed by up to two more dimensions.
local K = require 'nn.THNN_kernels'
local FLP, parent = torch.class('nn.FeatureLPPooling', 'nn.Module')

function FLP:__init(width, stride, power, batch_mode)
   parent.__init(self)
   if width < 2 or width > 16 then error('width must be within 2 to 16') end
   if stride < 1 or stride > 4 then error('stride must be within 1 to 4') end
   self.width, self.stride, self.power = width, stride, power
   self.batch_mode = batch_mode
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
end

function FLP:updateOutput(input)
   K.FeatureLPPooling_updateOutput(input, self.output, self.power, self.width, self.stride,
      self.batch_mode)
   return self.output
end

function FLP:updateGradInput(input, gradOutput)
   K.check(input)
   K.FeatureLPPooling_updateGradInput(gradOutput, input, self.output, self.gradInput,
      self.power, self.width, self.stride, self.batch_mode)
   return self.gradInput
end

-- (upstream's format: %d of the boolean batch_mode, and no closing parenthesis)
function FLP:__tostring__()
   return string.format('%s(w%d s%d power %d batch %d', torch.type(self),
      self.width, self.stride, self.power, self.batch_mode)
end

return FLP
