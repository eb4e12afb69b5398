-- nn.Profile(module, print_interval=100, name): prints the time the wrapped
-- module took for every print_interval forward (and backward) passes.
local Profile, parent = torch.class('nn.Profile', 'nn.Decorator')

function Profile:__init(module, print_interval, name)
   parent.__init(self, module)
   self.print_interval = print_interval or 100
   self.name = name or torch.type(module)
   self.module = module
   self.numFwds = 0
   self.numBwds = 0
   self.summedFwdTime = 0
   self.summedBwdTime = 0
   self.timer = torch.Timer()
end

-- runs f, adds its time to the counters of `pass` (Fwd or Bwd), reports
-- every print_interval calls
local function timed(self, pass, f, ...)
   self.timer:reset()
   local result = f(self.module, ...)
   local countKey, timeKey = 'num' .. pass .. 's', 'summed' .. pass .. 'Time'
   self[timeKey] = self[timeKey] + self.timer:time().real
   self[countKey] = self[countKey] + 1
   if self[countKey] % self.print_interval == 0 then
      print(string.format('%s took %.3f seconds for %d %s passes', self.name, self[timeKey],
                          self.print_interval, pass == 'Fwd' and 'forward' or 'backward'))
      self[countKey] = 0
      self[timeKey] = 0
   end
   return result
end

function Profile:updateOutput(input)
   self.output = timed(self, 'Fwd', self.module.updateOutput, input)
   return self.output
end

function Profile:updateGradInput(input, gradOutput)
   self.gradInput = timed(self, 'Bwd', self.module.updateGradInput, input, gradOutput)
   return self.gradInput
end

-- a Timer is saved as nothing and comes back as a fresh timer
if torch.Timer then
   local mt = getmetatable(torch.Timer())
   if type(mt) == 'table' then
      rawset(mt, '__factory', torch.Timer)
      rawset(mt, 'write', function(object, file) end)
      rawset(mt, 'read', function(object, file, versionNumber) return object end)
   end
end

return Profile
