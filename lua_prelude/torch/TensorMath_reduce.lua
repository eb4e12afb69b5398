-- Reductions, scans, sorting and selection, as methods and torch.* functions with
-- Torch7's argument forms (TensorMath.lua's declarations, matched by
-- TensorMath_args); the work is done in torchlua/core/math_reduce.py.
-- Dimensions given by the script are 1-based (truncated, as cwrap's `index`);
-- the core receives them 0-based.
local core = require 'torch._core'
local W = require 'torch.TensorMath_args'
local C = core.C
local TDATA = core.TDATA
local out, call = W.out, W.call
local floor = math.floor

local function h(x) return TDATA[x].h end
local function trunc(x) if x >= 0 then return floor(x) end return -floor(-x) end
local function dim0(d) return trunc(d) - 1 end

-- an optional dimension that defaults to the source's last one (cwrap's lastdim)
local function dim_or_last(d, t)
  if d == false then return TDATA[t].m.nd - 1 end
  return dim0(d)
end

-- values + LongTensor indices: results given by the script are returned as they are
local function pair(v, i, f, ...)
  local h1, t1, m1, h2, t2, m2 = call(f, v and h(v), i and h(i), ...)
  return v or core.wrapT(h1, t1, m1), i or core.wrapT(h2, t2, m2)
end

local RES = {'T', def = true, ret = true}
local IDX_RES = {'LongT', def = true, ret = true}
local T, REAL, INDEX = {'T'}, {'real'}, {'index'}
local LASTDIM = {'index', def = false}
local ALL, FLOAT = W.ALL, W.FLOAT

local function both(sets) return {method = sets, func = sets} end

local function def(sets, types, impl)
  local d = both(sets)
  d.types, d.impl = types, impl
  return d
end

-- numel: torch.numel is declared in TensorMath_construct.lua, x:numel() in Tensor.lua

for name, pyf in pairs({cumsum = C.red_cumsum, cumprod = C.red_cumprod}) do
  W.wrap(name, def({{RES, T, {'index', def = 1}}}, ALL,
    function(ti, set, r, t, d) return out(r, pyf, h(t), dim0(d)) end))
end

-- sum/prod/mean: a number, or the reduction along a dimension
local function folding(name, all_f, dim_f, types)
  W.wrap(name, def({{T}, {RES, T, INDEX}}, types,
    function(ti, set, a, t, d)
      if set == 1 then return call(all_f, h(a)) end
      return out(a, dim_f, h(t), dim0(d))
    end))
end
folding('sum', C.red_sumall, C.red_sum, ALL)
folding('prod', C.red_prodall, C.red_prod, ALL)
folding('mean', C.red_meanall, C.red_mean, FLOAT)

-- max/min: a number, or values and indices along a dimension
for name, fs in pairs({max = {C.red_maxall, C.red_max}, min = {C.red_minall, C.red_min}}) do
  W.wrap(name, def({{T}, {RES, IDX_RES, T, INDEX}}, ALL,
    function(ti, set, v, i, t, d)
      if set == 1 then return call(fs[1], h(v)) end
      return pair(v, i, fs[2], h(t), dim0(d))
    end))
end

W.wrap('trace', def({{T}}, ALL, function(ti, set, t) return call(C.red_trace, h(t)) end))

W.wrap('all', def({{T}}, {0}, function(ti, set, t) return call(C.red_all, h(t)) end))
W.wrap('any', def({{T}}, {0}, function(ti, set, t) return call(C.red_any, h(t)) end))

-- var/std([res,] x [, dim] [, biased])
for name, root in pairs({var = false, std = true}) do
  local all_f = root and C.red_stdall or C.red_varall
  W.wrap(name, def({{T, {'bool', def = false}}, {RES, T, INDEX, {'bool', def = false}}}, FLOAT,
    function(ti, set, a, b, d, biased)
      if set == 1 then return call(all_f, h(a), b == true) end
      return out(a, C.red_var, h(b), dim0(d), biased == true, root)
    end))
end

-- norm(x [, p]) is a number; norm([res,] x, p, dim) reduces along dim
W.wrap('norm', def({{T, {'real', def = 2}}, {RES, T, REAL, INDEX}}, FLOAT,
  function(ti, set, a, b, p, d)
    if set == 1 then return call(C.red_normall, h(a), b) end
    return out(a, C.red_norm, h(b), p, dim0(d))
  end))

W.wrap('renorm', {types = FLOAT,
  method = {{{'T', ret = true}, {'T', def = 1}, REAL, INDEX, REAL}},
  func = {{RES, T, REAL, INDEX, REAL}},
  impl = function(ti, set, r, t, p, d, maxnorm)
    return out(r, C.red_renorm, h(t), p, dim0(d), maxnorm)
  end})

W.wrap('dist', def({{T, T, {'real', def = 2}}}, FLOAT,
  function(ti, set, a, b, p) return call(C.red_dist, h(a), h(b), p) end))

-- sorting and selection: values and indices along a dimension (the last by default)
W.wrap('sort', def({{RES, IDX_RES, T, LASTDIM, {'bool', def = false}}}, ALL,
  function(ti, set, v, i, t, d, desc)
    return pair(v, i, C.red_sort, h(t), dim_or_last(d, t), desc == true)
  end))

W.wrap('topk', def({{RES, IDX_RES, T, {'long', def = 1}, LASTDIM, {'bool', def = false},
                     {'bool', def = false}}}, ALL,
  function(ti, set, v, i, t, k, d, largest, sorted)
    return pair(v, i, C.red_topk, h(t), trunc(k), dim_or_last(d, t), largest == true,
                sorted == true)
  end))

W.wrap('kthvalue', def({{RES, IDX_RES, T, {'long'}, LASTDIM}}, ALL,
  function(ti, set, v, i, t, k, d)
    return pair(v, i, C.red_kthvalue, h(t), trunc(k), dim_or_last(d, t))
  end))

for name, pyf in pairs({mode = C.red_mode, median = C.red_median}) do
  W.wrap(name, def({{RES, IDX_RES, T, LASTDIM}}, ALL,
    function(ti, set, v, i, t, d) return pair(v, i, pyf, h(t), dim_or_last(d, t)) end))
end
