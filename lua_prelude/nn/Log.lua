-- nn.Log: log(x); gradient g / x.
local Log, parent = torch.class('nn.Log', 'nn.Module')

function Log:__init()
   parent.__init(self)
end

function Log:updateOutput(input)
   self.output:resizeAs(input):copy(input):log()
   return self.output
end

function Log:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):fill(1):cdiv(input):cmul(gradOutput)
   return self.gradInput
end

return Log
