-- nn.hessian: diagonal-Hessian estimates (LeCun's "diagonal Levenberg-
-- Marquardt"), used to give each parameter its own learning rate.  As in
-- Torch7 it is opt-in: requiring nn only creates the table, and
-- nn.hessian.enable() installs the methods on the module classes (so modules
-- themselves carry no Hessian code).
--
-- The trick throughout: a layer that is linear in its weights propagates
-- second derivatives like gradients, with the weights (backwards) or the
-- inputs (for the parameters) squared.  So the existing updateGradInput /
-- accGradParameters are reused with swapped-in fields.
nn.hessian = {}

local function swap(module, a, b)
   module[a], module[b] = module[b], module[a]
end

-- swap() for every pair of names module[a[i]], module[b[i]]
local function swapFields(module, a, b)
   for i = 1, #a do swap(module, a[i], b[i]) end
end

-- Second derivatives w.r.t. the parameters named in `gw` are accumulated into
-- the fields named in `hw`: accGradParameters run on input .* input, with the
-- hw tensors standing in for the gw ones.
local function accDiagHessianParameters(module, input, diagHessianOutput, gw, hw)
   if #gw ~= #hw then
      error('Number of gradients is nto equal to number of hessians')
   end
   module.inputSq = module.inputSq or input.new()
   module.inputSq:resizeAs(input)
   torch.cmul(module.inputSq, input, input)
   -- (one name at a time, so a failure leaves the same state as in Torch7)
   for i = 1, #gw do
      if module[hw[i]] == nil then
         local gwval = module[gw[i]]
         module[hw[i]] = gwval.new():resizeAs(gwval)
      end
      swap(module, gw[i], hw[i])
   end
   -- a forward pass on the squared input (some layers' backward reads state
   -- left by forward), into a scratch output so module.output survives
   local output = module.output
   module.output = output.new():resizeAs(output)
   module.forward(module, module.inputSq)
   module.accGradParameters(module, module.inputSq, diagHessianOutput, 1)
   swapFields(module, gw, hw)
   module.output = output
end

-- Second derivatives w.r.t. the input, into module.diagHessianInput:
-- updateGradInput with each weight w[i] replaced by its square (kept in the
-- field wsq[i]) and gradInput redirected to diagHessianInput.
local function updateDiagHessianInput(module, input, diagHessianOutput, w, wsq)
   if #w ~= #wsq then
      error('Number of weights is not equal to number of weights squares')
   end
   module.diagHessianInput = module.diagHessianInput or input.new()
   module.diagHessianInput:resizeAs(input):zero()
   local gradInput = module.gradInput
   module.gradInput = module.diagHessianInput
   for i = 1, #w do
      local wval = module[w[i]]
      local sq = module[wsq[i]] or wval.new()
      module[wsq[i]] = sq
      sq:resizeAs(wval)
      torch.cmul(sq, wval, wval)
      swap(module, w[i], wsq[i])
   end
   module.updateGradInput(module, input, diagHessianOutput)
   swapFields(module, w, wsq)
   module.gradInput = gradInput
end

-- For a pointwise y = f(x): d2E/dx2 ~ f'(x)^2 d2E/dy2, with f'(x) obtained
-- from updateGradInput on a gradient of ones.
local function updateDiagHessianInputPointWise(module, input, diagHessianOutput)
   local ones = diagHessianOutput.new():resizeAs(diagHessianOutput):fill(1)
   updateDiagHessianInput(module, input, ones, {}, {})
   module.diagHessianInput:cmul(module.diagHessianInput)
   module.diagHessianInput:cmul(diagHessianOutput)
end

-- Allocates (without clearing, as Torch7) the hw tensors shaped as the gw ones.
local function initDiagHessianParameters(module, gw, hw)
   module.diagHessianInput = module.diagHessianInput or module.gradInput.new()
   for i = 1, #gw do
      module[hw[i]] = module[hw[i]] or module[gw[i]].new():resizeAs(module[gw[i]])
   end
end

local GRADS = {'gradWeight', 'gradBias'}
local HESSIANS = {'diagHessianWeight', 'diagHessianBias'}

-- The three methods of a layer with weight/bias parameters; `w`/`wsq` name
-- the tensors squared for the input Hessian.
local function installWeighted(class, w, wsq)
   class.updateDiagHessianInput = function(self, input, diagHessianOutput)
      updateDiagHessianInput(self, input, diagHessianOutput, w, wsq)
      return self.diagHessianInput
   end
   class.accDiagHessianParameters = function(self, input, diagHessianOutput)
      accDiagHessianParameters(self, input, diagHessianOutput, GRADS, HESSIANS)
   end
   class.initDiagHessianParameters = function(self)
      initDiagHessianParameters(self, GRADS, HESSIANS)
   end
end

local function installPointWise(class)
   class.updateDiagHessianInput = function(self, input, diagHessianOutput)
      updateDiagHessianInputPointWise(self, input, diagHessianOutput)
      return self.diagHessianInput
   end
end

-- Appends the tensors of a (possibly nested) list to `to`.
local function append(to, from)
   if torch.type(from) == 'table' then
      for i = 1, #from do append(to, from[i]) end
   else
      table.insert(to, from)
   end
end

local function enable()
   nn.hessian.accDiagHessianParameters = accDiagHessianParameters
   nn.hessian.updateDiagHessianInput = updateDiagHessianInput
   nn.hessian.updateDiagHessianInputPointWise = updateDiagHessianInputPointWise
   nn.hessian.initDiagHessianParameters = initDiagHessianParameters

   -- defaults: no input Hessian, no parameters
   function nn.Module.updateDiagHessianInput(self, input, diagHessianOutput)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined')
   end
   function nn.Module.accDiagHessianParameters(self, input, diagHessianOutput)
   end
   function nn.Module.initDiagHessianParameters()
   end

   -- Sequential: back through the modules, each fed its predecessor's output
   function nn.Sequential.initDiagHessianParameters(self)
      for i = 1, #self.modules do
         self.modules[i]:initDiagHessianParameters()
      end
   end

   function nn.Sequential.updateDiagHessianInput(self, input, diagHessianOutput)
      local h = diagHessianOutput
      for i = #self.modules, 2, -1 do
         h = self.modules[i]:updateDiagHessianInput(self.modules[i - 1].output, h)
      end
      h = self.modules[1]:updateDiagHessianInput(input, h)
      self.diagHessianInput = h
      return h
   end

   -- uses each module's diagHessianInput left by updateDiagHessianInput
   function nn.Sequential.accDiagHessianParameters(self, input, diagHessianOutput)
      local h = diagHessianOutput
      for i = #self.modules, 2, -1 do
         local m = self.modules[i]
         m:accDiagHessianParameters(self.modules[i - 1].output, h)
         h = m.diagHessianInput
      end
      self.modules[1]:accDiagHessianParameters(input, h)
   end

   -- criterions: the second derivative of the loss itself
   function nn.Criterion.updateDiagHessianInput(self, input, diagHessianOutput)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined')
   end

   function nn.MSECriterion.updateDiagHessianInput(self, input, target)
      self.diagHessianInput = self.diagHessianInput or input.new()
      local h = 2
      if self.sizeAverage then h = h / input:nElement() end
      self.diagHessianInput:resizeAs(input):fill(h)
      return self.diagHessianInput
   end

   function nn.WeightedMSECriterion.updateDiagHessianInput(self, input, target)
      return nn.MSECriterion.updateDiagHessianInput(self, input, target)
   end

   -- |x| is taken as having curvature 1 except at 0
   function nn.L1Cost.updateDiagHessianInput(self, input)
      self.diagHessianInput = self.diagHessianInput or input.new()
      self.diagHessianInput:resizeAs(input)
      self.diagHessianInput:fill(1)
      self.diagHessianInput[torch.eq(input, 0)] = 0
      return self.diagHessianInput
   end

   local weightOnly = {{'weight'}, {'weightSq'}}
   installWeighted(nn.Linear, weightOnly[1], weightOnly[2])
   installWeighted(nn.SpatialConvolution, weightOnly[1], weightOnly[2])
   installWeighted(nn.SpatialConvolutionLocal, weightOnly[1], weightOnly[2])
   installWeighted(nn.SpatialFullConvolution, weightOnly[1], weightOnly[2])
   -- Torch7 squares the bias too for this one
   installWeighted(nn.SpatialConvolutionMap, {'weight', 'bias'}, {'weightSq', 'biasSq'})
   installWeighted(nn.SpatialFullConvolutionMap, weightOnly[1], weightOnly[2])

   installPointWise(nn.Tanh)
   installPointWise(nn.Square)
   installPointWise(nn.Sqrt)

   -- x - tanh(x): the inner Tanh's estimate plus the incoming one
   function nn.TanhShrink.updateDiagHessianInput(self, input, diagHessianOutput)
      updateDiagHessianInputPointWise(self.tanh, input, diagHessianOutput)
      self.diagHessianInput = self.diagHessianInput or input.new():resizeAs(input)
      torch.add(self.diagHessianInput, self.tanh.diagHessianInput, diagHessianOutput)
      return self.diagHessianInput
   end

   -- a view: the same values, shaped as the input
   function nn.Reshape.updateDiagHessianInput(self, input, diagHessianOutput)
      self.diagHessianInput = self.diagHessianInput or input.new()
      diagHessianOutput = diagHessianOutput:contiguous()
      self.diagHessianInput:set(diagHessianOutput):resizeAs(input)
      return self.diagHessianInput
   end

   -- parameters()/getParameters() gain a third result: the Hessian tensors
   -- (Torch7 drops getParameters' sharing checks here as well)
   function nn.Module.parameters(self)
      local w, b = self.weight, self.bias
      if w and b then
         return {w, b}, {self.gradWeight, self.gradBias}, {self.diagHessianWeight, self.diagHessianBias}
      elseif w then
         return {w}, {self.gradWeight}, {self.diagHessianWeight}
      elseif b then
         return {b}, {self.gradBias}, {self.diagHessianBias}
      end
   end

   function nn.Module.getParameters(self)
      local params, grads, hessians = self:parameters()
      local flatParams = nn.Module.flatten(params)
      collectgarbage()
      local flatGrads = nn.Module.flatten(grads)
      collectgarbage()
      local flatHessians
      if hessians and hessians[1] then
         flatHessians = nn.Module.flatten(hessians)
         collectgarbage()
      end
      return flatParams, flatGrads, flatHessians
   end

   function nn.Sequential.parameters(self)
      local w, gw, hw = {}, {}, {}
      for i = 1, #self.modules do
         local mw, mgw, mhw = self.modules[i]:parameters()
         if mw then
            append(w, mw)
            append(gw, mgw)
            append(hw, mhw)
         end
      end
      return w, gw, hw
   end

   -- installing twice would be harmless but, as in Torch7, only once happens
   nn.hessian.enable = function() end
end

nn.hessian.enable = enable

return nn.hessian
