-- Access to the fused nn steps (torchlua/core/nn_pointwise.py, nn_linear.py): the
-- Python handles of tensors that all have one floating type (Float or Double), the
-- condition under which a module may replace its chain of tensor methods by one
-- fused call.  Anything else (mixed or other types, non-tensors) gets nil, and the
-- module keeps its method chain, with the errors that chain raises.
local core = require 'torch._core'
local TDATA, TMT = core.TDATA, core.TMT
local getmetatable = debug.getmetatable

local F = {C = core.C, call = core.call}

local REAL = {}
for ti, T in ipairs(core.TYPES) do
   if (T.name == 'Float' or T.name == 'Double') and not T.base then REAL[TMT[ti - 1]] = true end
end

-- the handle of x if its type is mt, else nil
local function handle(x, mt)
   if getmetatable(x) ~= mt then return nil end
   local r = TDATA[x]
   return r and r.h
end

-- handles of a, b[, c[, d]] when all share one floating type (nil arguments are
-- allowed after the first two and give nil handles)
function F.h(a, b, c, d)
   local mt = getmetatable(a)
   if not REAL[mt] then return nil end
   local ha, hb = handle(a, mt), handle(b, mt)
   if not (ha and hb) then return nil end
   local hc, hd
   if c ~= nil then
      hc = handle(c, mt)
      if not hc then return nil end
   end
   if d ~= nil then
      hd = handle(d, mt)
      if not hd then return nil end
   end
   return ha, hb, hc, hd
end

-- {handle(first), handle(list[1]), ...} when first and the tensors of `list`
-- (an array) all share one floating type, else nil
function F.list(first, list)
   local mt = getmetatable(first)
   if not REAL[mt] then return nil end
   local h = handle(first, mt)
   if not h then return nil end
   local out = {h}
   for i = 1, #list do
      local hi = handle(list[i], mt)
      if not hi then return nil end
      out[i + 1] = hi
   end
   return out
end

-- handles of any tensors (of any type), or nil if one is not a tensor
function F.any(list)
   local out = {}
   for i = 1, #list do
      local r = TDATA[list[i]]
      if r == nil then return nil end
      out[i] = r.h
   end
   return out
end

-- the tensors a core function returns as (handle, type, meta) triples, in a list
function F.tensors(f, ...)
   local r = {pcall(f, ...)}
   if not r[1] then core.rethrow(r[2]) end
   local out = {}
   for i = 1, (#r - 1) / 3 do out[i] = core.wrapT(r[3 * i - 1], r[3 * i], r[3 * i + 1]) end
   return out
end

return F
