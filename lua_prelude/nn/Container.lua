-- nn.Container: a module made of child modules (self.modules).
local Container, parent = torch.class('nn.Container', 'nn.Module')
local private = require 'nn._private'

function Container:__init(...)
   parent.__init(self, ...)
   self.modules = {}
end

function Container:add(module)
   self.modules[#self.modules + 1] = module
   return self
end

function Container:get(index)
   return self.modules[index]
end

function Container:size()
   return #self.modules
end

local WARNING = "WARNING: If you see a stack trace below, it doesn't point to the place where this error occurred. Please use only the one above."

-- Calls module[funcName](module, ...) and, on error, says which child failed
-- ("In 2 module of nn.Sequential:"), adding the traceback once (innermost).
function Container:rethrowErrors(module, moduleIndex, funcName, ...)
   assert(module == self.modules[moduleIndex],
          "mismatch between moduleIndex and self.modules in rethrowErrors")
   local function annotate(err)
      err = tostring(err)
      if not err:find(WARNING, 1, true) then
         -- drop this handler's own line from the traceback
         local tb = debug.traceback()
         local _, l1 = tb:find('^.-\n')
         local _, l2 = tb:find('^.-\n.-\n')
         if l1 and l2 then tb = tb:sub(1, l1) .. tb:sub(l2 + 1) end
         err = err .. '\n' .. tb .. '\n\n' .. WARNING
      else
         -- an inner container already annotated it: strip the position prefix
         err = err:sub(err:find('\n') + 1)
      end
      return '\n' .. string.format('In %d module of %s:', moduleIndex, torch.type(self)) .. '\n' .. err
   end
   local ok, ret, extra = xpcall(module[funcName], annotate, module, ...)
   assert(extra == nil, "rethrowErrors supports only one return argument")
   if not ok then error(ret) end
   return ret
end

function Container:applyToModules(func)
   for _, m in ipairs(self.modules) do func(m) end
end

function Container:zeroGradParameters()
   self:applyToModules(function(m) m:zeroGradParameters() end)
end

function Container:updateParameters(learningRate)
   self:applyToModules(function(m) m:updateParameters(learningRate) end)
end

function Container:training()
   self:applyToModules(function(m) m:training() end)
   parent.training(self)
end

function Container:evaluate()
   self:applyToModules(function(m) m:evaluate() end)
   parent.evaluate(self)
end

function Container:share(other, ...)
   for i = 1, #self.modules do
      self.modules[i]:share(other.modules[i], ...)
   end
   return self
end

function Container:reset(stdv)
   self:applyToModules(function(m) m:reset(stdv) end)
end

local function append_flat(dst, src)
   if torch.type(src) == 'table' then
      for i = 1, #src do append_flat(dst, src[i]) end
   else
      dst[#dst + 1] = src
   end
end

function Container:parameters()
   local w, gw = {}, {}
   for i = 1, #self.modules do
      local mw, mgw = self.modules[i]:parameters()
      if mw then
         append_flat(w, mw)
         append_flat(gw, mgw)
      end
   end
   return w, gw
end

function Container:clearState()
   private.dropOutputs(self)
   if self.modules then
      for _, m in pairs(self.modules) do m:clearState() end
   end
   return self
end

return Container
