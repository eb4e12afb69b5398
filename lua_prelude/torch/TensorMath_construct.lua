-- Construction and reshaping: zeros, ones, reshape, eye, range, linspace, logspace,
-- diag, tril, triu, cat, histc, bhistc, conv2, xcorr2, conv3, xcorr3, squeeze, numel
-- (TensorMath.lua's forms), repeatTensor, expand, expandAs (with Tensor.lua's
-- result forms) and the torch.* forms of Tensor.lua's functions.  The work is done in torchlua/core/math_construct.py and math_conv.py.
local core = require 'torch._core'
local W = require 'torch.TensorMath_args'
local C = core.C
local TDATA, TMT = core.TDATA, core.TMT
local out = W.out

local function h(x) return TDATA[x].h end

local function trunc(x)
  if x >= 0 then return math.floor(x) end
  return -math.floor(-x)
end

-- result argument: optional for torch.X, required (self) for methods
local function fres() return {'T', def = true, ret = true} end
local function mres() return {'T', ret = true} end

local function sized(name, pyf)
  W.wrap(name, {
    func = {{fres(), {'longarg'}}},
    method = {{mres(), {'longarg'}}},
    impl = function(ti, set, r, sizes) return out(r, pyf, ti, unpack(sizes)) end,
  })
end
sized('zeros', C.construct_zeros)
sized('ones', C.construct_ones)

local reshape_args = {{fres(), {'T'}, {'longarg'}}}
W.wrap('reshape', {
  func = reshape_args, method = reshape_args,
  impl = function(ti, set, r, t, sizes) return out(r, C.construct_reshape, h(t), unpack(sizes)) end,
})

W.wrap('eye', {
  func = {{fres(), {'long'}, {'long', def = 0}}},
  method = {{mres(), {'long'}, {'long', def = 0}}},
  impl = function(ti, set, r, n, m) return out(r, C.construct_eye, ti, n, m) end,
})

W.wrap('range', {
  func = {{fres(), {'accreal'}, {'accreal'}, {'accreal', def = 1}}},
  method = {{mres(), {'accreal'}, {'accreal'}, {'accreal', def = 1}}},
  impl = function(ti, set, r, a, b, step) return out(r, C.construct_range, ti, a, b, step) end,
})

local function spaced(name, pyf)
  W.wrap(name, {
    types = W.FLOAT,
    func = {{fres(), {'real'}, {'real'}, {'long', def = 100}}},
    method = {{mres(), {'real'}, {'real'}, {'long', def = 100}}},
    impl = function(ti, set, r, a, b, n) return out(r, pyf, ti, a, b, n) end,
  })
end
spaced('linspace', C.construct_linspace)
spaced('logspace', C.construct_logspace)

local function shaped(name, pyf, ktype)
  local args = {{fres(), {'T'}, {ktype, def = 0}}}
  W.wrap(name, {
    func = args, method = args,
    impl = function(ti, set, r, t, k) return out(r, pyf, h(t), k) end,
  })
end
shaped('diag', C.construct_diag, 'long')
shaped('tril', C.construct_tril, 'int')
shaped('triu', C.construct_triu, 'int')

-- cat([res,] a, b [, dim]) | cat([res,] {tensors...} [, dim]); dim -1 = the last one
local cat_args = {
  {fres(), {'T'}, {'T'}, {'index', def = -1}},
  {fres(), {'Tarr'}, {'index', def = -1}},
}
W.wrap('cat', {
  func = cat_args, method = cat_args,
  impl = function(ti, set, r, a, b, dim)
    if set == 1 then
      return out(r, C.construct_cat, trunc(dim) - 1, h(a), h(b))
    end
    -- a table of tensors (read up to the first nil, as cwrap's TensorArray)
    dim = b
    local MT, hs = TMT[ti], {}
    local i = 1
    while a[i] ~= nil do
      if getmetatable(a[i]) ~= MT then
        core.error('expected ' .. W.tname(ti) .. ' in tensor array')
      end
      hs[i] = h(a[i])
      i = i + 1
    end
    return out(r, C.construct_cat, trunc(dim) - 1, unpack(hs, 1, i - 1))
  end,
})

local function histogram(name, pyf)
  local args = {{fres(), {'T'}, {'long', def = 100}, {'double', def = 0}, {'double', def = 0}}}
  W.wrap(name, {
    types = W.FLOAT, func = args, method = args,
    impl = function(ti, set, r, t, n, lo, hi) return out(r, pyf, h(t), n, lo, hi) end,
  })
end
histogram('histc', C.construct_histc)
histogram('bhistc', C.construct_bhistc)

-- conv2/xcorr2: 2D*2D, 3D*3D (plane by plane), 3D*4D (all planes into each output plane)
local MODES = {'mul', 'cmul', 'mv'}
local function conv(name, pyf, nd, xc)
  local sets = {}
  local dims = {{nd, nd}, {nd + 1, nd + 1}, {nd + 1, nd + 2}}
  for s = 1, 3 do
    local set = {fres(), {'real', def = 0, inv = true}, {'real', def = 1, inv = true},
                 {'T', dim = dims[s][1]}, {'T', dim = dims[s][2]}}
    for _ = 1, nd do set[#set + 1] = {'real', def = 1, inv = true} end
    set[#set + 1] = {'opt', values = 'VF', def = 'V'}
    set[#set + 1] = {'opt', values = 'CX', def = xc, inv = true}
    sets[s] = set
  end
  W.wrap(name, {
    func = sets, method = sets,
    impl = function(ti, set, r, _, _, t, k, ...)
      local vf = select(nd + 1, ...)
      return out(r, pyf, h(t), h(k), vf, xc, MODES[set])
    end,
  })
end
conv('conv2', C.conv_2d, 2, 'C')
conv('xcorr2', C.conv_2d, 2, 'X')
conv('conv3', C.conv_3d, 3, 'C')
conv('xcorr3', C.conv_3d, 3, 'X')

-- squeeze([res,] t [, dim]): a result of one element from a (at most) 1-D source
-- comes back as a number, as TensorMath.lua's squeeze did
local squeeze_args = {{fres(), {'T'}}, {fres(), {'T'}, {'index'}}}
W.wrap('squeeze', {
  func = squeeze_args, method = squeeze_args,
  impl = function(ti, set, r, t, dim)
    local had_dims = TDATA[t].m.nd > 1
    local res = out(r, C.construct_squeeze, h(t), dim and trunc(dim) - 1 or nil)
    local m = TDATA[res].m
    if m.nd == 1 and m.d[0].size == 1 and (set == 1 or not had_dims) then
      return tonumber(m.st.data[m.off])
    end
    return res
  end,
})

W.wrap('numel', {
  func = {{{'T'}}},
  impl = function(ti, set, t) return core.nelement(TDATA[t].m) end,
})

-- repeatTensor([result,] tensor, sizes...), as Tensor.lua
local function repeatTensor(result, tensor, ...)
  local sizes = {...}
  local kind = torch.type(tensor)
  if kind == 'number' or kind == 'torch.LongStorage' then
    table.insert(sizes, 1, tensor)
    tensor, result = result, nil
  end
  if torch.type(sizes[1]) == 'torch.LongStorage' then sizes = sizes[1]:totable() end
  local rec = TDATA[tensor]
  if rec == nil then
    core.error("attempt to index local 'tensor' (a " .. type(tensor) .. ' value)')
  end
  return out(result, C.construct_repeat, rec.h, unpack(sizes))
end
W.method('repeatTensor', W.ALL, function() return repeatTensor end)
torch.repeatTensor = repeatTensor

-- expand([result,] tensor, sizes...) and expandAs([result,] tensor, template), as
-- Tensor.lua: every size-1 dimension gets stride 0; `result` is set to the view
local function expand(result, tensor, ...)
  local sizes = {...}
  local kind = torch.type(tensor)
  if kind == 'number' or kind == 'torch.LongStorage' then
    table.insert(sizes, 1, tensor)
    tensor, result = result, nil
  end
  if torch.type(sizes[1]) == 'torch.LongStorage' then sizes = sizes[1]:totable() end
  local rec = TDATA[tensor]
  if rec == nil then
    core.error("attempt to call method 'dim' (a nil value)")
  end
  local nd, off, size, stride = core.geometry(rec.m)
  if #sizes ~= nd then core.error('the number of dimensions provided must equal tensor:dim()') end
  for d = 1, nd do
    if size[d] == 1 then
      size[d], stride[d] = sizes[d], 0
    elseif size[d] ~= sizes[d] then
      core.error('incorrect size: only supporting singleton expansion (size=1)')
    end
  end
  local view = core.view_of(rec.h, core.tiof(tensor), off, size, stride)
  if result == nil then return view end
  torch.Tensor_methods.set(result, view)
  return result
end
W.method('expand', W.ALL, function() return expand end)
torch.expand = expand

local function expandAs(result, tensor, template)
  if template ~= nil then return expand(result, tensor, template:size()) end
  return expand(result, tensor:size())
end
W.method('expandAs', W.ALL, function() return expandAs end)
torch.expandAs = expandAs

-- the torch.* forms Tensor.lua gives its functions
for _, name in ipairs({'view', 'viewAs', 'split', 'chunk', 'permute'}) do
  if rawget(torch, name) == nil and torch.Tensor_methods[name] then
    torch[name] = torch.Tensor_methods[name]
  end
end
