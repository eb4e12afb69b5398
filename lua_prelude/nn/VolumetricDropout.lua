-- nn.VolumetricDropout([p=0.5, stochasticInference=false]): dropout of whole feature volumes
-- (one Bernoulli(1-p) draw per sample and feature, no rescaling in training;
-- output scaled by 1-p in evaluation).
local Drop, parent = torch.class('nn.VolumetricDropout', 'nn.Module')

function Drop:__init(p, stochasticInference)
   parent.__init(self)
   self.p = p or 0.5
   self.train = true
   self.stochastic_inference = stochasticInference or false
   self.noise = torch.Tensor()
end

-- the noise has size 1 along every spatial dimension
local function noiseSize(input)
   local nd = input:dim()
   if nd == 5 then
      return input:size(1), input:size(2), 1, 1, 1
   elseif nd == 4 then
      return input:size(1), 1, 1, 1
   end
   error('Input must be 5D (nbatch, nfeat, t, h, w) or 4D (nfeat, t, h, w)')
end

function Drop:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if self.train or self.stochastic_inference then
      self.noise:resize(noiseSize(input))
      self.noise:bernoulli(1 - self.p)
      self.output:cmul(torch.expandAs(self.noise, input))
   else
      self.output:mul(1 - self.p)
   end
   return self.output
end

function Drop:updateGradInput(input, gradOutput)
   if not self.train then error('backprop only defined while training') end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   self.gradInput:cmul(torch.expandAs(self.noise, input))
   return self.gradInput
end

function Drop:setp(p)
   self.p = p
end

function Drop:__tostring__()
   return string.format('%s(%f)', torch.type(self), self.p)
end

function Drop:clearState()
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end

return Drop
