-- nn.TemporalDynamicKMaxPooling(minK[, factor=0]): keeps the k largest values
-- of each feature over time, in their original order, with
-- k = max(minK, ceil(factor * sequence length)) (Kalchbrenner et al. 2014).
local KMax, parent = torch.class('nn.TemporalDynamicKMaxPooling', 'nn.Module')

function KMax:__init(minK, factor)
   parent.__init(self)
   self.minK = minK
   self.factor = factor or 0
end

function KMax:updateOutput(input)
   assert(input:dim() == 2 or input:dim() == 3, 'Only 2D or 3D(batch mode) accepted')
   local d = input:dim() - 1   -- the time dimension
   local k = math.max(self.minK, math.ceil(self.factor * input:size(d)))
   assert(input:size(d) >= self.minK, 'Input sequence length (' .. input:size(d) ..
      ') too small for desired k value (' .. k .. ')')
   local _, order = input:sort(d, true)
   self.indices = order:narrow(d, 1, k):sort(d)
   self.output = input:gather(d, self.indices)
   return self.output
end

function KMax:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local d = input:dim() - 1
   self.gradInput:resizeAs(input):zero()
   local vals = self.gradInput:gather(d, self.indices)
   vals:add(gradOutput)
   self.gradInput:scatter(d, self.indices, vals)
   return self.gradInput
end

function KMax:clearState()
   nn.utils.clear(self, 'indices')
   return parent.clearState(self)
end

return KMax
