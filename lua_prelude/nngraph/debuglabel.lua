-- Where a node was declared, as '[short_src]:line_' (Torch7 asked
-- debug.getinfo for 'Sl' only, so the name part is always empty).
--
-- Torch7 took the frame 6 levels above nngraph.Node's __init. Its stacks had
-- C frames (luaT's constructor call and object-call metamethods) that LuaJIT
-- tail calls remove from ours, so we walk our frames and count those C frames
-- back in: the label then names the same frame as Torch7's.
local M = {}

local LUAT = 'torch/luaT.lua'
local TARGET = 6

-- functions that Torch7 reached through luaT's C __call metamethod
M.metacalls = {}

local function fromLuaT(info)
   return info.what == 'Lua' and info.source:sub(-#LUAT) == LUAT
end

local function format(info)
   return string.format('[%s]:%d_', info.short_src, info.currentline)
end

-- level: the stack level of nngraph.Node's __init, seen from the caller.
function M.make(level)
   level = level + 2
   local t = 1 -- Torch7's level of the frame below `level`
   while true do
      local info = debug.getinfo(level, 'Slf')
      if not info then return nil end
      t = t + 1
      if t == TARGET then return format(info) end
      local extra = 0
      if M.metacalls[info.func] then
         extra = 1
      elseif fromLuaT(info) then
         -- one torch.class constructor (plus its tail-called wrappers)
         while true do
            local up = debug.getinfo(level + 1, 'S')
            if not (up and fromLuaT(up)) then break end
            level = level + 1
         end
         extra = 1
      end
      if extra == 1 then
         t = t + 1
         if t == TARGET then return '[[C]]:-1_' end
      end
      level = level + 1
   end
end

return M
