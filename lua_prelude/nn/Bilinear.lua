-- nn.Bilinear(n1, n2, nOut[, bias=true]): y_k = x1' W_k x2 + b_k for batches
-- of row pairs {x1 (B x n1), x2 (B x n2)}.
local Bilinear, parent = torch.class('nn.Bilinear', 'nn.Module')

local function isint(x) return type(x) == 'number' and x == math.floor(x) end

function Bilinear:__assertInput(input)
   assert(input and torch.type(input) == 'table' and #input == 2,
      'input should be a table containing two data Tensors')
   assert(input[1]:nDimension() == 2 and input[2]:nDimension() == 2,
      'input Tensors should be two-dimensional')
   assert(input[1]:size(1) == input[2]:size(1),
      'input Tensors should have the same number of rows (instances)')
   assert(input[1]:size(2) == self.weight:size(2),
      'dimensionality of first input is erroneous')
   assert(input[2]:size(2) == self.weight:size(3),
      'dimensionality of second input is erroneous')
end

function Bilinear:__assertInputGradOutput(input, gradOutput)
   assert(input[1]:size(1) == gradOutput:size(1),
      'number of rows in gradOutput does not match input')
   assert(gradOutput:size(2) == self.weight:size(1),
      'number of columns in gradOutput does not output size of layer')
end

function Bilinear:__init(inputSize1, inputSize2, outputSize, bias)
   assert(self and inputSize1 and inputSize2 and outputSize,
      'should specify inputSize1 and inputSize2 and outputSize')
   assert(isint(inputSize1) and isint(inputSize2) and isint(outputSize),
      'inputSize1 and inputSize2 and outputSize should be integer numbers')
   assert(inputSize1 > 0 and inputSize2 > 0 and outputSize > 0,
      'inputSize1 and inputSize2 and outputSize should be positive numbers')
   parent.__init(self)
   if bias == nil then bias = true end
   self.weight = torch.Tensor(outputSize, inputSize1, inputSize2)
   self.gradWeight = torch.Tensor(outputSize, inputSize1, inputSize2)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self.gradInput = {torch.Tensor(), torch.Tensor()}
   self:reset()
end

function Bilinear:reset(stdv)
   assert(self)
   if stdv then
      assert(stdv and type(stdv) == 'number' and stdv > 0,
         'standard deviation should be a positive number')
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

function Bilinear:updateOutput(input)
   assert(self)
   self:__assertInput(input)
   local x1, x2 = input[1], input[2]
   self.buff2 = self.buff2 or x1.new()
   self.buff2:resizeAs(x2)
   self.output:resize(x1:size(1), self.weight:size(1))
   for k = 1, self.weight:size(1) do
      -- row-wise x1 W_k . x2
      torch.mm(self.buff2, x1, self.weight[k])
      self.buff2:cmul(x2)
      torch.sum(self.output:narrow(2, k, 1), self.buff2, 2)
   end
   if self.bias then
      self.output:add(self.bias:reshape(1, self.bias:nElement()):expandAs(self.output))
   end
   return self.output
end

function Bilinear:updateGradInput(input, gradOutput)
   assert(self)
   if self.gradInput then
      self:__assertInputGradOutput(input, gradOutput)
      local x1, x2 = input[1], input[2]
      local g1, g2 = self.gradInput[1], self.gradInput[2]
      if #self.gradInput == 0 then
         self.gradInput[1], self.gradInput[2] = x1.new(), x1.new()
         g1, g2 = self.gradInput[1], self.gradInput[2]
      end
      g1:resizeAs(x1):fill(0)
      g2:resizeAs(x2):fill(0)
      -- dy_k/dx1 = W_k x2, dy_k/dx2 = W_k' x1, weighted by gradOutput[:, k]
      local function column(k, like)
         return gradOutput:narrow(2, k, 1):expand(like:size(1), like:size(2))
      end
      g1:mm(x2, self.weight[1]:t())
      g1:cmul(column(1, g1))
      g2:addmm(1, x1, self.weight[1])
      g2:cmul(column(1, g2))
      if self.weight:size(1) > 1 then
         self.buff1 = self.buff1 or x1.new()
         self.buff1:resizeAs(x1)
         for k = 2, self.weight:size(1) do
            self.buff1:mm(x2, self.weight[k]:t())
            self.buff1:cmul(column(k, g1))
            g1:add(self.buff1)
            self.buff2:mm(x1, self.weight[k])
            self.buff2:cmul(column(k, g2))
            g2:add(self.buff2)
         end
      end
      return self.gradInput
   end
end

-- As in Torch7, `scale` multiplies the bias gradient only.
function Bilinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self:__assertInputGradOutput(input, gradOutput)
   assert(scale and type(scale) == 'number' and scale >= 0)
   local x1, x2 = input[1], input[2]
   self.buff1 = self.buff1 or x1.new()
   self.buff1:resizeAs(x1)
   for k = 1, self.weight:size(1) do
      torch.cmul(self.buff1, x1, gradOutput:narrow(2, k, 1):expandAs(x1))
      self.gradWeight[k]:addmm(self.buff1:t(), x2)
   end
   if self.bias then self.gradBias:add(scale, gradOutput:sum(1)) end
end

function Bilinear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function Bilinear:__tostring__()
   return torch.type(self) .. string.format('(%dx%d -> %d) %s',
      self.weight:size(2), self.weight:size(3), self.weight:size(1),
      (self.bias == nil and ' without bias' or ''))
end

function Bilinear:clearState()
   if self.buff2 then self.buff2:set() end
   if self.buff1 then self.buff1:set() end
   return parent.clearState(self)
end

return Bilinear
