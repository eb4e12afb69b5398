-- nn.MixtureTable([dim]): {gater, experts} -> sum_i gater_i * expert_i (a
-- mixture of experts).  experts is a table of tensors or one tensor with the
-- experts along `dim` (default 2, or 1 without a batch).
local MixtureTable, parent = torch.class('nn.MixtureTable', 'nn.Module')

function MixtureTable:__init(dim)
   parent.__init(self)
   self.dim = dim
   self.size = torch.LongStorage()
   self.batchSize = 0
   self.size2 = torch.LongStorage()
   self.backwardSetup = false
   self.gradInput = {}
end

function MixtureTable:updateOutput(input)
   local gater, experts = input[1], input[2]
   self._gaterView = self._gaterView or input[1].new()
   self._expert = self._expert or input[1].new()
   self._expertView = self._expertView or input[1].new()
   self.dimG = 2
   local batchSize = gater:size(1)
   if gater:dim() < 2 then
      self.dimG = 1
      self.dim = self.dim or 1
      batchSize = 1
   end
   self.dim = self.dim or 2
   if self.table or torch.type(experts) == 'table' then
      self.table = true
      if gater:size(self.dimG) ~= #experts then error"Should be one gater output per expert" end
      local first = experts[1]
      self.size:resize(first:dim() + 1):fill(1)
      if self.dimG > 1 then self.size[1] = gater:size(1) end
      self.size[self.dim] = gater:size(self.dimG)
      self.output:resizeAs(first)
      self.batchSize = batchSize
      -- the gater with singleton dims so each gate broadcasts over its expert
      self._gaterView:set(gater:view(self.size))
      self.output:zero()
      for i, e in ipairs(experts) do
         self.output:addcmul(e, self._gaterView:select(self.dim, i):expandAs(e))
      end
   else
      self.size:resize(experts:dim()):fill(1)
      if self.dimG > 1 then self.size[1] = gater:size(1) end
      self.size[self.dim] = gater:size(self.dimG)
      self.output:resizeAs(experts:select(self.dim, 1))
      self.batchSize = batchSize
      self._gaterView:set(gater:view(self.size))
      self._expert:cmul(self._gaterView:expandAs(experts), experts)
      self.output:sum(self._expert, self.dim)
      self.output:resizeAs(experts:select(self.dim, 1))
   end
   return self.output
end

-- d/dgate_i = sum(g .* expert_i); d/dexpert_i = gate_i * g
function MixtureTable:updateGradInput(input, gradOutput)
   local gater, experts = input[1], input[2]
   nn.utils.recursiveResizeAs(self.gradInput, input)
   local gaterGrad, expertGrads = self.gradInput[1], self.gradInput[2]
   self._sum = self._sum or input[1].new()
   self._expertView2 = self._expertView2 or input[1].new()
   self._expert2 = self._expert2 or input[1].new()
   if self.table then
      for i, e in ipairs(experts) do
         local eg = expertGrads[i] or e:clone()
         eg:resizeAs(e)
         expertGrads[i] = eg
      end
      gaterGrad:resizeAs(gater)
      for i = #experts + 1, #expertGrads do expertGrads[i] = nil end
      for i, eg in ipairs(expertGrads) do
         self._expert:cmul(gradOutput, experts[i])
         if self.dimG == 1 then
            self._expertView:set(self._expert:view(-1))
         else
            self._expertView:set(self._expert:view(gradOutput:size(1), -1))
         end
         self._sum:sum(self._expertView, self.dimG)
         if self.dimG == 1 then
            gaterGrad[i] = self._sum:select(self.dimG, 1)
         else
            gaterGrad:select(self.dimG, i):copy(self._sum:select(self.dimG, 1))
         end
         eg:cmul(self._gaterView:select(self.dim, i):expandAs(eg), gradOutput)
      end
   else
      self.size2:resize(experts:dim()):copy(experts:size())
      self.size2[self.dim] = 1
      gaterGrad:resizeAs(gater)
      self._expertView:set(gradOutput:view(self.size2))
      local g = self._expertView:expandAs(experts)
      self._expert:cmul(g, experts)
      local expert = self._expert:transpose(self.dim, self.dimG)
      if not expert:isContiguous() then
         self._expert2:resizeAs(expert):copy(expert)
         expert = self._expert2
      end
      if self.dimG == 1 then
         self._expertView2:set(expert:view(gater:size(1), -1))
      else
         self._expertView2:set(expert:view(gater:size(1), gater:size(2), -1))
      end
      gaterGrad:sum(self._expertView2, self.dimG + 1)
      gaterGrad:resizeAs(gater)
      expertGrads:cmul(self._gaterView:expandAs(experts), g)
   end
   return self.gradInput
end

function MixtureTable:type(typename, tensorCache)
   self._gaterView = nil
   self._expert = nil
   self._expertView = nil
   self._sum = nil
   self._expert2 = nil
   self._expertView2 = nil
   return parent.type(self, typename, tensorCache)
end

function MixtureTable:clearState()
   nn.utils.clear(self, {'_gaterView', '_expert', '_expertView', '_sum', '_expert2', '_expertView2'})
   return parent.clearState(self)
end

return MixtureTable
