-- nn.SpatialSubtractiveNormalization([nInputPlane=1, kernel=9x9 ones]):
-- subtracts from every pixel the kernel-weighted mean of its neighbourhood
-- across all planes, with the mean corrected near the borders (where the
-- zero padding would bias it).  The kernel (1-D: separable, or 2-D, odd
-- sizes) is normalised in place.
local Sub, parent = torch.class('nn.SpatialSubtractiveNormalization', 'nn.Module')

-- the local-mean estimator shared by the normalisation modules: zero padding,
-- convolution(s) with the kernel, replication over the planes
function Sub.meanEstimator(nInputPlane, kernel, pre)
   local kdim = kernel:nDimension()
   local padH = math.floor(kernel:size(1) / 2)
   local padW = kdim == 2 and math.floor(kernel:size(2) / 2) or padH
   local seq = nn.Sequential()
   if pre then seq:add(pre) end
   seq:add(nn.SpatialZeroPadding(padW, padW, padH, padH))
   if kdim == 2 then
      seq:add(nn.SpatialConvolution(nInputPlane, 1, kernel:size(2), kernel:size(1)))
   else
      seq:add(nn.SpatialConvolutionMap(nn.tables.oneToOne(nInputPlane), kernel:size(1), 1))
      seq:add(nn.SpatialConvolution(nInputPlane, 1, 1, kernel:size(1)))
   end
   seq:add(nn.Replicate(nInputPlane, 1, 3))
   return seq
end

-- load the kernel into the estimator's convolution(s) (first at index `at`)
function Sub.setKernel(seq, at, nInputPlane, kernel)
   if kernel:nDimension() == 2 then
      for i = 1, nInputPlane do seq.modules[at].weight[1][i] = kernel end
      seq.modules[at].bias:zero()
   else
      for i = 1, nInputPlane do
         seq.modules[at].weight[i]:copy(kernel)
         seq.modules[at + 1].weight[1][i]:copy(kernel)
      end
      seq.modules[at].bias:zero()
      seq.modules[at + 1].bias:zero()
   end
end

function Sub.checkKernel(name, kernel)
   local kdim = kernel:nDimension()
   if kdim ~= 2 and kdim ~= 1 then
      error('<' .. name .. '> averaging kernel must be 2D or 1D')
   end
   if (kernel:size(1) % 2) == 0 or (kdim == 2 and (kernel:size(2) % 2) == 0) then
      error('<' .. name .. '> averaging kernel must have ODD dimensions')
   end
end

function Sub:__init(nInputPlane, kernel)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   Sub.checkKernel('SpatialSubtractiveNormalization', self.kernel)
   self.kernel:div(self.kernel:sum() * self.nInputPlane)
   self.meanestimator = Sub.meanEstimator(self.nInputPlane, self.kernel)
   Sub.setKernel(self.meanestimator, 2, self.nInputPlane, self.kernel)
   self.subtractor = nn.CSubTable()
   self.divider = nn.CDivTable()
   self.coef = torch.Tensor(1, 1, 1)
end

function Sub:updateOutput(input)
   -- border correction: the estimator's answer on an image of ones
   if not self._inpsz or not input:isSize(self._inpsz) then
      self._inpsz = input:size()
      self.ones = self.ones or input.new()
      self._coef = self._coef or self.coef.new()
      if input:dim() == 4 then
         self.ones:resizeAs(input[1]):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef:resizeAs(coef):copy(coef)
         local size = coef:size():totable()
         table.insert(size, 1, input:size(1))
         self.coef = self._coef:view(1, table.unpack(self._coef:size():totable()))
            :expand(table.unpack(size))
      else
         self.ones:resizeAs(input):fill(1)
         local coef = self.meanestimator:updateOutput(self.ones)
         self._coef:resizeAs(coef):copy(coef)
         self.coef = self._coef
      end
   end
   self.localsums = self.meanestimator:updateOutput(input)
   self.adjustedsums = self.divider:updateOutput{self.localsums, self.coef}
   self.output = self.subtractor:updateOutput{input, self.adjustedsums}
   return self.output
end

function Sub:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   local gradsub = self.subtractor:updateGradInput({input, self.adjustedsums}, gradOutput)
   local graddiv = self.divider:updateGradInput({self.localsums, self.coef}, gradsub[2])
   self.gradInput:add(self.meanestimator:updateGradInput(input, graddiv[1]))
   self.gradInput:add(gradsub[1])
   return self.gradInput
end

function Sub:clearState()
   self._inpsz = nil
   if self.ones then self.ones:set() end
   if self._coef then self._coef:set() end
   self.meanestimator:clearState()
   return parent.clearState(self)
end

return Sub
