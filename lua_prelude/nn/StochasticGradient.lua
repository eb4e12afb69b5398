-- nn.StochasticGradient(module, criterion): plain SGD over a dataset
-- (dataset:size(), dataset[i] = {input, target}), one example at a time, in
-- a random order drawn once with torch.randperm.
local StochasticGradient = torch.class('nn.StochasticGradient')

function StochasticGradient:__init(module, criterion)
   self.learningRate = 0.01
   self.learningRateDecay = 0
   self.maxIteration = 25
   self.shuffleIndices = true
   self.module = module
   self.criterion = criterion
   self.verbose = true
end

function StochasticGradient:train(dataset)
   local iteration = 1
   local lr = self.learningRate
   local module, criterion = self.module, self.criterion
   local order = torch.randperm(dataset:size(), 'torch.LongTensor')
   if not self.shuffleIndices then
      for t = 1, dataset:size() do order[t] = t end
   end
   print("# StochasticGradient: training")
   while true do
      local currentError = 0
      for t = 1, dataset:size() do
         local example = dataset[order[t]]
         local input, target = example[1], example[2]
         currentError = currentError + criterion:forward(module:forward(input), target)
         module:updateGradInput(input, criterion:updateGradInput(module.output, target))
         module:accUpdateGradParameters(input, criterion.gradInput, lr)
         if self.hookExample then self.hookExample(self, example) end
      end
      currentError = currentError / dataset:size()
      if self.hookIteration then self.hookIteration(self, iteration, currentError) end
      if self.verbose then print("# current error = " .. currentError) end
      iteration = iteration + 1
      lr = self.learningRate / (1 + iteration * self.learningRateDecay)
      if self.maxIteration > 0 and iteration > self.maxIteration then
         print("# StochasticGradient: you have reached the maximum number of iterations")
         print("# training error = " .. currentError)
         break
      end
   end
end

return StochasticGradient
