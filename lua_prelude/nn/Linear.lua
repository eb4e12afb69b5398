-- nn.Linear(inputSize, outputSize[, bias=true]): y = W x + b, for a vector x
-- or a batch of rows.
local Linear, parent = torch.class('nn.Linear', 'nn.Module')
local F = require 'nn._fused'
local TDATA = require('torch._core').TDATA

function Linear:__init(inputSize, outputSize, bias)
   parent.__init(self)
   if bias == nil then bias = true end
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   if bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

function Linear:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

-- U(-stdv, stdv) with stdv = 1/sqrt(inputSize), or stdv*sqrt(3) if given;
-- weight first, then bias (the order matters for the random stream)
function Linear:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   if nn.oldSeed then
      for i = 1, self.weight:size(1) do
         self.weight:select(1, i):apply(function() return torch.uniform(-stdv, stdv) end)
      end
      if self.bias then
         for i = 1, self.bias:nElement() do self.bias[i] = torch.uniform(-stdv, stdv) end
      end
   else
      self.weight:uniform(-stdv, stdv)
      if self.bias then self.bias:uniform(-stdv, stdv) end
   end
   return self
end

-- a vector of ones, one per frame, to add the bias to every row with addr
function Linear:updateAddBuffer(input)
   local nframe = input:size(1)
   self.addBuffer = self.addBuffer or input.new()
   if self.addBuffer:nElement() ~= nframe then
      self.addBuffer:resize(nframe):fill(1)
   end
end

function Linear:updateOutput(input)
   local nOut = self.weight:size(1)
   if input:dim() == 1 then
      self.output:resize(nOut)
      if self.bias then self.output:copy(self.bias) else self.output:zero() end
      self.output:addmv(1, self.weight, input)
   elseif input:dim() == 2 then
      local ho, hx, hw, hb = F.h(self.output, input, self.weight, self.bias)
      if ho and self.weight:dim() == 2 and (hb or not self.bias) then
         -- the resize, product and bias below in one call
         self:updateAddBuffer(input)
         F.call(F.C.nnl_output, ho, hx, hw, hb, TDATA[self.addBuffer].h)
         return self.output
      end
      local before = self.output:nElement()
      self.output:resize(input:size(1), nOut)
      -- fresh memory may hold NaNs, which 0*x in addmm would keep
      if self.output:nElement() ~= before then self.output:zero() end
      self:updateAddBuffer(input)
      self.output:addmm(0, self.output, 1, input, self.weight:t())
      if self.bias then self.output:addr(1, self.addBuffer, self.bias) end
   else
      error('input must be vector or matrix')
   end
   return self.output
end

function Linear:updateGradInput(input, gradOutput)
   if self.gradInput then
      if input:dim() == 2 and gradOutput:dim() == 2 and self.weight:dim() == 2 then
         local hg, hx, hgo, hw = F.h(self.gradInput, input, gradOutput, self.weight)
         if hg then   -- the resize and product below in one call
            F.call(F.C.nnl_grad_input, hg, hx, hgo, hw)
            return self.gradInput
         end
      end
      local before = self.gradInput:nElement()
      self.gradInput:resizeAs(input)
      if self.gradInput:nElement() ~= before then self.gradInput:zero() end
      if input:dim() == 1 then
         self.gradInput:addmv(0, 1, self.weight:t(), gradOutput)
      elseif input:dim() == 2 then
         self.gradInput:addmm(0, 1, gradOutput, self.weight)
      end
      return self.gradInput
   end
end

function Linear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:addr(scale, gradOutput, input)
      if self.bias then self.gradBias:add(scale, gradOutput) end
   elseif input:dim() == 2 then
      local hgw, hx, hgo, hgb = F.h(self.gradWeight, input, gradOutput, self.gradBias)
      if hgw and gradOutput:dim() == 2 and self.gradWeight:dim() == 2
         and (hgb or not self.bias) and type(scale) == 'number' then
         -- both products below in one call
         if self.bias then self:updateAddBuffer(input) end
         F.call(F.C.nnl_acc_grad, hgw, self.bias and hgb or nil, hx, hgo,
                self.bias and TDATA[self.addBuffer].h or nil, scale)
         return
      end
      self.gradWeight:addmm(scale, gradOutput:t(), input)
      if self.bias then
         -- the batch size may differ from the last forward's
         self:updateAddBuffer(input)
         self.gradBias:addmv(scale, gradOutput:t(), self.addBuffer)
      end
   end
end

-- shared weights are updated in place by the accumulation itself
function Linear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function Linear:clearState()
   if self.addBuffer then self.addBuffer:set() end
   return parent.clearState(self)
end

function Linear:__tostring__()
   return torch.type(self) ..
      string.format('(%d -> %d)', self.weight:size(2), self.weight:size(1)) ..
      (self.bias == nil and ' without bias' or '')
end

return Linear
