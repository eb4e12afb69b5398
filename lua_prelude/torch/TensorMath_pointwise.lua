-- Element-wise math and comparisons, as methods and torch.* functions with
-- Torch7's argument forms (TensorMath.lua's declarations, matched by
-- TensorMath_args); the work is done in torchlua/core/math_pointwise.py.
local core = require 'torch._core'
local W = require 'torch.TensorMath_args'
local C = core.C
local TDATA = core.TDATA
local out, call = W.out, W.call

local function h(x) return TDATA[x].h end

-- argument declarations shared by most functions
local RES_F = {'T', def = true, ret = true}   -- torch.f([res,] ...): a new result if absent
local RES_M = {'T', ret = true}               -- x:f(...): self is the result
local SRC_M = {'T', def = 1}                  -- x:f(...): the source defaults to self
local T, REAL = {'T'}, {'real'}
local ALL, FLOAT, INTEGRAL = W.ALL, W.FLOAT, {3, 4}

-- res, src, <rest>: the usual in-place-method / new-result-function pair
local function forms(rest)
  local m, f = {RES_M, SRC_M}, {RES_F, T}
  for _, a in ipairs(rest) do m[#m + 1] = a; f[#f + 1] = a end
  return m, f
end

------------------------------------------------------------------------------
-- x op number
local function value_op(name, pyf, types)
  local m, f = forms({REAL})
  W.wrap(name, {types = types or ALL, method = {m}, func = {f},
    impl = function(ti, set, r, t, v) return out(r, pyf, h(t), v) end})
end
value_op('mul', C.pw_mul)
value_op('div', C.pw_div)
value_op('lshift', C.pw_lshift)
value_op('rshift', C.pw_rshift)
value_op('fmod', C.pw_fmod)
value_op('mod', C.pw_fmod)
value_op('remainder', C.pw_remainder)
value_op('bitand', C.pw_bitand)
value_op('bitor', C.pw_bitor)
value_op('bitxor', C.pw_bitxor)

-- add/csub: x + value, or x + value * y
local function add_sets()
  local m1, f1 = forms({REAL})
  local m2, f2 = forms({{'real', def = 1}, T})
  return {m1, m2}, {f1, f2}
end

local add_m, add_f = add_sets()
W.wrap('add', {method = add_m, func = add_f,
  impl = function(ti, set, r, t, v, s)
    if set == 1 then return out(r, C.pw_add, h(t), v) end
    if r ~= nil and r == t and v == 1 then   -- x:add(y), the hot form
      call(C.pw_iadd, h(r), h(s))
      return r
    end
    return out(r, C.pw_cadd, h(t), v, h(s))
  end})

W.wrap('csub', {method = add_m, func = add_f,
  impl = function(ti, set, r, t, v, s)
    if set == 1 then return out(r, C.pw_add, h(t), -v) end
    return out(r, C.pw_csub, h(t), v, h(s))
  end})

do
  local m, f = forms({REAL, REAL})
  W.wrap('clamp', {method = {m}, func = {f},
    impl = function(ti, set, r, t, lo, hi) return out(r, C.pw_clamp, h(t), lo, hi) end})
end

------------------------------------------------------------------------------
-- x op tensor
local function tensor_op(name, pyf, types)
  local m, f = forms({T})
  W.wrap(name, {types = types or ALL, method = {m}, func = {f},
    impl = function(ti, set, r, t, s) return out(r, pyf, h(t), h(s)) end})
end
tensor_op('cmul', C.pw_cmul)
tensor_op('cdiv', C.pw_cdiv)
tensor_op('cpow', C.pw_cpow)
tensor_op('cfmod', C.pw_cfmod)
tensor_op('cmod', C.pw_cfmod)
tensor_op('cremainder', C.pw_cremainder)
tensor_op('clshift', C.pw_clshift)
tensor_op('crshift', C.pw_crshift)
tensor_op('cbitand', C.pw_cbitand)
tensor_op('cbitor', C.pw_cbitor)
tensor_op('cbitxor', C.pw_cbitxor)

-- addcmul/addcdiv: x + value * t1 (*|/) t2
for name, pyf in pairs({addcmul = C.pw_addcmul, addcdiv = C.pw_addcdiv}) do
  local m, f = forms({{'real', def = 1}, T, T})
  W.wrap(name, {method = {m}, func = {f},
    impl = function(ti, set, r, t, v, a, b) return out(r, pyf, h(t), v, h(a), h(b)) end})
end

-- cmax/cmin: the result is optional in the method too (x:cmax(y) is in place,
-- since the source defaults to the result)
for name, fs in pairs({cmax = {C.pw_cmax, C.pw_cmaxv}, cmin = {C.pw_cmin, C.pw_cminv}}) do
  W.wrap(name, {
    method = {{RES_F, SRC_M, T}, {RES_F, SRC_M, REAL}},
    func = {{RES_F, T, T}, {RES_F, T, REAL}},
    impl = function(ti, set, r, t, s)
      if t == nil then   -- x:cmax() alone: Torch works on a new, empty tensor
        r = core.callT(C.tensor_new, ti)
        t = r
      end
      if set == 1 then return out(r, fs[1], h(t), h(s)) end
      return out(r, fs[2], h(t), s)
    end})
end

------------------------------------------------------------------------------
-- x -> f(x)
local function unary(name, pyf, types, scalar)
  local m, f = forms({})
  local def = {types = types, method = {m}, func = {f}}
  if scalar then
    def.method[2] = {REAL}
    def.func[2] = {REAL}
  end
  def.impl = function(ti, set, r, t)
    if set == 2 then return call(C.pw_scalar, scalar, ti, r) end
    return out(r, pyf, h(t))
  end
  W.wrap(name, def)
end

unary('sign', C.pw_sign, ALL)
unary('abs', C.pw_abs, INTEGRAL, 'abs')
unary('abs', C.pw_abs, FLOAT, 'abs')
unary('neg', C.pw_neg, FLOAT)
unary('cinv', C.pw_cinv, FLOAT)
for _, name in ipairs({'log', 'log1p', 'exp', 'cos', 'acos', 'cosh', 'sin', 'asin', 'sinh',
                       'tan', 'atan', 'tanh', 'sqrt', 'round', 'ceil', 'floor', 'trunc',
                       'frac', 'rsqrt', 'sigmoid'}) do
  unary(name, C['pw_' .. name], FLOAT, name)
end

-- lerp(a, b, weight) and its number form
do
  local m, f = forms({T, REAL})
  W.wrap('lerp', {types = FLOAT, method = {m, {REAL, REAL, REAL}},
    func = {f, {REAL, REAL, REAL}},
    impl = function(ti, set, r, a, b, w)
      if set == 2 then return call(C.pw_scalar, 'lerp', ti, r, a, b) end
      return out(r, C.pw_lerp, h(a), h(b), w)
    end})
end

-- atan2(x, y) and its number form
do
  local m, f = forms({T})
  W.wrap('atan2', {types = FLOAT, method = {m, {REAL, REAL}}, func = {f, {REAL, REAL}},
    impl = function(ti, set, r, t, s)
      if set == 2 then return call(C.pw_scalar, 'atan2', ti, r, t) end
      return out(r, C.pw_atan2, h(t), h(s))
    end})
end

-- pow(x, n), pow(n, x) and pow(a, b) on numbers
do
  local m1, f1 = forms({REAL})
  W.wrap('pow', {types = FLOAT,
    method = {m1, {RES_M, REAL, SRC_M}, {REAL, REAL}},
    func = {f1, {RES_F, REAL, T}, {REAL, REAL}},
    impl = function(ti, set, r, a, b)
      if set == 1 then return out(r, C.pw_pow, h(a), b) end
      if set == 2 then return out(r, C.pw_tpow, a, h(b)) end
      return call(C.pw_scalar, 'pow', ti, r, a)
    end})
end

------------------------------------------------------------------------------
-- comparisons: a ByteTensor result (new when absent) or one of the source's type
local BYTE_RES = {'ByteT', def = true, ret = true}
local SAME_RES = {'T', ret = true}
for _, name in ipairs({'lt', 'le', 'gt', 'ge', 'eq', 'ne'}) do
  local value_f, tensor_f = C['pw_' .. name], C['pw_' .. name .. 't']
  local sets = {{BYTE_RES, T, REAL}, {SAME_RES, T, REAL}, {BYTE_RES, T, T}, {SAME_RES, T, T}}
  W.wrap(name, {method = sets, func = sets,
    impl = function(ti, set, r, t, v)
      if set <= 2 then return out(r, value_f, h(t), v) end
      return out(r, tensor_f, h(t), h(v))
    end})
end

W.wrap('equal', {method = {{T, T}}, func = {{T, T}},
  impl = function(ti, set, a, b) return call(C.pw_equal, h(a), h(b)) end})
