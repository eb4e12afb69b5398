----------------------------------------------------------------------
-- train_mlp.lua: a Torch7-style training script.
--
-- Builds a two-spirals dataset with torch's random generator, trains an MLP
-- (nn.Sequential, ClassNLLCriterion) with optim.sgd + momentum on minibatches
-- through a flattened parameter vector (getParameters) and an feval closure,
-- prints a ConfusionMatrix after every epoch and logs the accuracy with
-- optim.Logger.
--
--   torchlua examples/train_mlp.lua -epochs 40 -save /tmp/mlp
----------------------------------------------------------------------
require 'torch'
require 'nn'
require 'optim'

local cmd = torch.CmdLine()
cmd:text()
cmd:text('Train an MLP on two interleaved spirals')
cmd:text()
cmd:text('Options:')
cmd:option('-seed', 1, 'random seed')
cmd:option('-nPerClass', 200, 'points per spiral')
cmd:option('-turns', 1, 'turns of each spiral')
cmd:option('-noise', 0.02, 'standard deviation of the noise added to the points')
cmd:option('-hidden', 32, 'units in each hidden layer')
cmd:option('-activation', 'ReLU', 'nonlinearity: ReLU | Tanh')
cmd:option('-epochs', 40, 'passes over the training set')
cmd:option('-batchSize', 16, 'minibatch size')
cmd:option('-learningRate', 0.1, 'SGD learning rate')
cmd:option('-momentum', 0.9, 'SGD momentum')
cmd:option('-save', 'results', 'folder for the log file')
cmd:option('-quiet', false, 'print only the last confusion matrix')
cmd:text()
local opt = cmd:parse(arg or {})

torch.manualSeed(opt.seed)
torch.setdefaulttensortype('torch.DoubleTensor')

----------------------------------------------------------------------
-- data: spiral k (k = 0, 1) is r -> r * (cos(a + k*pi), sin(a + k*pi)), a = turns*2*pi*r
local n = 2 * opt.nPerClass
local inputs = torch.Tensor(n, 2)
local targets = torch.LongTensor(n)
local radius = torch.rand(n):mul(0.9):add(0.1)
local noise = torch.randn(n, 2):mul(opt.noise)
for i = 1, n do
   local class = (i - 1) % 2 + 1
   local r = radius[i]
   local angle = opt.turns * 2 * math.pi * r + (class - 1) * math.pi
   inputs[i][1] = r * math.cos(angle) + noise[i][1]
   inputs[i][2] = r * math.sin(angle) + noise[i][2]
   targets[i] = class
end

----------------------------------------------------------------------
-- model and loss
local model = nn.Sequential()
model:add(nn.Linear(2, opt.hidden))
model:add(nn[opt.activation]())
model:add(nn.Linear(opt.hidden, opt.hidden))
model:add(nn[opt.activation]())
model:add(nn.Linear(opt.hidden, 2))
model:add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()

print(model)

local parameters, gradParameters = model:getParameters()
local confusion = optim.ConfusionMatrix({'spiral 1', 'spiral 2'})
local logger = optim.Logger(paths.concat(opt.save, 'train.log'))
logger:setNames{'epoch', 'mean loss', '% global accuracy'}

local sgdState = {
   learningRate = opt.learningRate,
   momentum = opt.momentum,
}

----------------------------------------------------------------------
-- training
local timer = torch.Timer()
for epoch = 1, opt.epochs do
   confusion:zero()
   local order = torch.randperm(n)
   local lossSum, batches = 0, 0
   for first = 1, n, opt.batchSize do
      local size = math.min(opt.batchSize, n - first + 1)
      local batchInputs = torch.Tensor(size, 2)
      local batchTargets = torch.LongTensor(size)
      for j = 1, size do
         local k = order[first + j - 1]
         batchInputs[j]:copy(inputs[k])
         batchTargets[j] = targets[k]
      end

      local feval = function(x)
         if x ~= parameters then
            parameters:copy(x)
         end
         gradParameters:zero()
         local outputs = model:forward(batchInputs)
         local loss = criterion:forward(outputs, batchTargets)
         model:backward(batchInputs, criterion:backward(outputs, batchTargets))
         confusion:batchAdd(outputs, batchTargets)
         return loss, gradParameters
      end

      local _, fs = optim.sgd(feval, parameters, sgdState)
      lossSum = lossSum + fs[1]
      batches = batches + 1
   end

   local meanLoss = lossSum / batches
   if not opt.quiet or epoch == opt.epochs then
      print(string.format('epoch %d/%d  mean loss %.6f  (%.2fs)', epoch, opt.epochs,
                          meanLoss, timer:time().real))
      print(confusion)
   else
      confusion:updateValids()
   end
   logger:add{epoch, meanLoss, confusion.totalValid * 100}
end

----------------------------------------------------------------------
-- accuracy of the final model on the whole training set
confusion:zero()
confusion:batchAdd(model:forward(inputs), targets)
confusion:updateValids()
print(string.format('final training accuracy: %.2f%%', confusion.totalValid * 100))
