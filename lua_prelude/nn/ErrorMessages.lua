-- nn needs floating tensors: integer tensor types answer `x.nn.<anything>` with
-- Torch's error.
local refuse = {
   __index = function(_, key)
      error("nn." .. key .. " is only supported for Float or Double Tensors.")
   end
}

for _, name in ipairs({'ByteTensor', 'CharTensor', 'ShortTensor', 'IntTensor', 'LongTensor'}) do
   local ctor = torch[name]
   if ctor then ctor.nn = setmetatable({}, refuse) end
end
