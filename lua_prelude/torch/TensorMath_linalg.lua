-- LAPACK functions (Float and Double tensors, torch.* only, as in Torch7):
-- gesv, gels, trtrs, symeig, eig, svd, inverse, potrf, potrs, potri, pstrf, qr,
-- geqrf, orgqr, ormqr.  Each takes optional result tensors first (all or none).
-- The work is done in torchlua/core/math_linalg.py.
local core = require 'torch._core'
local W = require 'torch.TensorMath_args'
local C = core.C
local TDATA = core.TDATA

-- lapack(name, pyf, results, inputs): results = list of result kinds ('T' or
-- 'IntT'); inputs = the remaining declared arguments
local function lapack(name, pyf, results, inputs)
  local given, defaulted = {}, {}
  for i, kind in ipairs(results) do
    given[i] = {kind, ret = true}
    defaulted[i] = {kind, def = true, ret = true, inv = true}
  end
  for _, arg in ipairs(inputs) do
    given[#given + 1] = arg
    defaulted[#defaulted + 1] = arg
  end
  local nout, ndecl = #results, #given
  W.wrap(name, {
    types = W.FLOAT,
    func = {given, defaulted},
    impl = function(ti, set, ...)
      local args = {...}
      local passed = {}
      for i = 1, ndecl do
        local r = TDATA[args[i]]
        if i <= nout then passed[i] = args[i] end
        if r ~= nil then args[i] = r.h end
      end
      local res = {W.call(pyf, unpack(args, 1, ndecl))}
      local outs = {}
      for i = 1, nout do
        outs[i] = passed[i] or core.wrapT(res[3 * i - 2], res[3 * i - 1], res[3 * i])
      end
      return unpack(outs, 1, nout)
    end,
  })
end

local T = {'T'}
local function opt(values, def) return {'opt', values = values, def = def} end
local UPLO = opt('UL', 'U')

lapack('gesv', C.linalg_gesv, {'T', 'T'}, {T, T})
lapack('gels', C.linalg_gels, {'T', 'T'}, {T, T})
lapack('trtrs', C.linalg_trtrs, {'T', 'T'}, {T, T, UPLO, opt('NT', 'N'), opt('NU', 'N')})
lapack('symeig', C.linalg_symeig, {'T', 'T'}, {T, opt('NV', 'N'), UPLO})
lapack('eig', C.linalg_eig, {'T', 'T'}, {T, opt('NV', 'N')})
lapack('svd', C.linalg_svd, {'T', 'T', 'T'}, {T, opt('AS', 'S')})
lapack('inverse', C.linalg_inverse, {'T'}, {T})
lapack('potrf', C.linalg_potrf, {'T'}, {T, UPLO})
lapack('potrs', C.linalg_potrs, {'T'}, {T, T, UPLO})
lapack('potri', C.linalg_potri, {'T'}, {T, UPLO})
lapack('pstrf', C.linalg_pstrf, {'T', 'IntT'}, {T, UPLO, {'real', def = -1}})
lapack('qr', C.linalg_qr, {'T', 'T'}, {T})
lapack('geqrf', C.linalg_geqrf, {'T', 'T'}, {T})
lapack('orgqr', C.linalg_orgqr, {'T'}, {T, T})
lapack('ormqr', C.linalg_ormqr, {'T'}, {T, T, T, opt('LR', 'L'), opt('NT', 'N')})
