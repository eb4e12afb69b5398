-- BLAS-level math: dot, mv, mm, bmm, ger, addmv, addmm, addr, addbmm, baddbmm,
-- cross, as methods and torch.* functions with Torch7's argument forms
-- (TensorMath.lua's declarations; the work is done in torchlua/core/math_blas.py).
local core = require 'torch._core'
local W = require 'torch.TensorMath_args'
local C = core.C
local TDATA = core.TDATA
local out, call = W.out, W.call

local function h(x) return TDATA[x].h end

local function trunc(x)
  if x >= 0 then return math.floor(x) end
  return -math.floor(-x)
end

W.wrap('dot', {
  method = {{{'T'}, {'T'}}},
  func = {{{'T'}, {'T'}}},
  impl = function(ti, set, a, b) return call(C.blas_dot, h(a), h(b)) end,
})

-- mv/mm/bmm/ger: result [, invisible beta, t, alpha], operand, operand
local function product(name, pyf, d1, d2, beta)
  local function args(res)
    return {res, {'real', def = beta, inv = true}, {'T', def = 1, inv = true},
            {'real', def = 1, inv = true}, {'T', dim = d1}, {'T', dim = d2}}
  end
  W.wrap(name, {
    method = {args({'T', ret = true})},
    func = {args({'T', def = true, ret = true})},
    impl = function(ti, set, r, _, _, _, x, y) return out(r, pyf, h(x), h(y)) end,
  })
end
product('mv', C.blas_mv, 2, 1, 0)
product('mm', C.blas_mm, 2, 2, 0)
product('bmm', C.blas_bmm, 3, 3, 0)
product('ger', C.blas_ger, 1, 1, 1)

-- addmv/addmm/addr/addbmm/baddbmm: [res,] [beta,] t, [alpha,] x, y
local function addproduct(name, pyf, d1, d2, d3)
  W.wrap(name, {
    func = {{{'T', def = true, ret = true}, {'real', def = 1}, {'T', dim = d1},
             {'real', def = 1}, {'T', dim = d2}, {'T', dim = d3}}},
    -- self is the result; t defaults to self; beta and alpha come together or not at all
    method = {
      {{'T', ret = true, dim = d1}, {'real', def = 1, inv = true}, {'T', def = 1, dim = d1},
       {'real', def = 1}, {'T', dim = d2}, {'T', dim = d3}},
      {{'T', ret = true, dim = d1}, {'real'}, {'T', def = 1, dim = d1},
       {'real'}, {'T', dim = d2}, {'T', dim = d3}}},
    impl = function(ti, set, r, beta, t, alpha, x, y)
      return out(r, pyf, beta, h(t or r), alpha, h(x), h(y))
    end,
  })
end
addproduct('addmv', C.blas_addmv, 1, 2, 1)
addproduct('addmm', C.blas_addmm, 2, 2, 2)
addproduct('addr', C.blas_addr, 2, 1, 1)
addproduct('addbmm', C.blas_addbmm, 2, 3, 3)
addproduct('baddbmm', C.blas_baddbmm, 3, 3, 3)

-- cross([res,] a, b [, dim]); dim 0 (the default) means the first dimension of size 3
local cross_args = {{{'T', def = true, ret = true}, {'T'}, {'T'}, {'index', def = 0}}}
W.wrap('cross', {
  method = cross_args,
  func = cross_args,
  impl = function(ti, set, r, a, b, dim)
    return out(r, C.blas_cross, h(a), h(b), trunc(dim) - 1)
  end,
})
