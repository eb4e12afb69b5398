-- nn.SparseJacobian: nn.Jacobian for modules with sparse inputs (nnz x 2
-- tensors of index/value pairs, e.g. nn.SparseLinear): only the values
-- (column 2) are perturbed and differentiated.
nn.SparseJacobian = {}
local SparseJacobian = nn.SparseJacobian
local private = require 'nn._private'
local unitGradOutput = private.unitGradOutput

function SparseJacobian.backward(module, input, param, dparam)
   local wrtParam = param ~= nil
   local dout, flat = unitGradOutput(module, input)
   local rows = wrtParam and param:nElement() or input:size(1)
   local jacobian = torch.Tensor(rows, dout:nElement()):zero()
   for i = 1, flat:nElement() do
      dout:zero()
      flat[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      jacobian:select(2, i):copy(wrtParam and dparam or din:select(2, 2))
   end
   return jacobian
end

-- as nn.Jacobian's, zeroing the gradients before each output (sparse
-- modules update only what the last input touched)
function SparseJacobian.backwardUpdate(module, input, param)
   return private.backwardUpdate(module, input, param, true)
end

-- central differences with a fixed step of 1e-6 (moved in place, as Torch7)
local function finiteDifferences(module, flat, input, nrows, update)
   local small = 1e-6
   local out = module:forward(input)
   local jacobian = torch.Tensor():resize(nrows, out:nElement())
   local outa = torch.Tensor(jacobian:size(2))
   local outb = torch.Tensor(jacobian:size(2))
   for i = 1, flat:nElement() do
      flat[i] = flat[i] - small
      outa:copy(module:forward(input))
      flat[i] = flat[i] + 2 * small
      outb:copy(module:forward(input))
      flat[i] = flat[i] - small
      outb:add(-1, outa):div(2 * small)
      local row = jacobian:select(1, i)
      row:copy(outb)
      if update then row:mul(-1):add(flat[i]) end
   end
   return jacobian
end

function SparseJacobian.forward(module, input, param)
   if param then
      return finiteDifferences(module, param.new(param):resize(param:nElement()), input,
                               param:nElement(), false)
   end
   return finiteDifferences(module, input.new(input):select(2, 2), input, input:size(1), false)
end

function SparseJacobian.forwardUpdate(module, input, param)
   return finiteDifferences(module, param.new(param):resize(param:nElement()), input,
                            param:nElement(), true)
end

local function randomizeValues(input, minval, maxval)
   input:select(2, 2):copy(torch.rand(input:size(1)):mul(maxval - minval):add(minval))
end

function SparseJacobian.testJacobian(module, input, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   randomizeValues(input, minval, maxval)
   local fprop = SparseJacobian.forward(module, input)
   local bprop = SparseJacobian.backward(module, input)
   return (fprop - bprop):abs():max()
end

function SparseJacobian.testJacobianParameters(module, input, param, dparam, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   randomizeValues(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval))
   local bprop = SparseJacobian.backward(module, input, param, dparam)
   local fprop = SparseJacobian.forward(module, input, param)
   return (fprop - bprop):abs():max()
end

function SparseJacobian.testJacobianUpdateParameters(module, input, param, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   randomizeValues(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval))
   local bprop = SparseJacobian.backwardUpdate(module, input, param)
   local fprop = SparseJacobian.forwardUpdate(module, input, param)
   return (fprop - bprop):abs():max()
end

-- as Jacobian.testIO (Torch7 writes tmp.bin in the working directory here)
function SparseJacobian.testIO(module, input, minval, maxval)
   minval, maxval = minval or -2, maxval or 2
   module:forward(input)
   local go = module.output:clone():copy(
      torch.rand(module.output:nElement()):mul(maxval - minval):add(minval))
   module:zeroGradParameters()
   module:updateGradInput(input, go)
   module:accGradParameters(input, go)
   local fo = module.output:clone()
   local bo = module.gradInput:clone()
   local f = torch.DiskFile('tmp.bin', 'w'):binary()
   f:writeObject(module)
   f:close()
   local m = torch.DiskFile('tmp.bin'):binary():readObject()
   m:forward(input)
   m:zeroGradParameters()
   m:updateGradInput(input, go)
   m:accGradParameters(input, go)
   os.remove('tmp.bin')
   return (fo - m.output:clone()):abs():max(), (bo - m.gradInput:clone()):abs():max()
end

SparseJacobian.testAllUpdate = nn.Jacobian.testAllUpdate
