-- A criterion as a module: input {prediction, target}, output a 1-element
-- tensor holding the loss; the target gets a zero gradient.
local MFC = torch.class('nn.ModuleFromCriterion', 'nn.Module')

function MFC:__init(criterion)
   self.criterion = criterion
   self.output = torch.Tensor(1)
   self.gradInput = {torch.Tensor(), torch.Tensor()}
end

function MFC:updateOutput(input)
   local prediction, target = unpack(input)
   self.output[1] = self.criterion:updateOutput(prediction, target)
   return self.output
end

function MFC:updateGradInput(input, gradOutput)
   local prediction, target = unpack(input)
   local grad = self.criterion:updateGradInput(prediction, target)
   local scale = gradOutput[1]
   if type(grad) == 'table' then
      -- a table-valued prediction: switch slot 1 to a table of tensors once
      if type(self.gradInput[1]) ~= 'table' then
         self.gradInput[1] = {}
         for i = 1, #grad do self.gradInput[1][i] = grad[i].new() end
      end
      for i = 1, #grad do
         self.gradInput[1][i]:resizeAs(grad[i]):copy(grad[i]):mul(scale)
      end
   else
      self.gradInput[1]:resizeAs(grad):copy(grad):mul(scale)
   end
   self.gradInput[2]:resizeAs(target):zero()
   return self.gradInput
end
