"""Element-wise math and comparisons (TensorMath's pointwise family), as TH
computes them: results resized like the first source, sources matched by element
count in logical order, scalars converted to the element type first, C integer
semantics, libm for transcendental functions (math_kernels).

Each function takes the result tensor first (None: a new tensor is returned to
Lua), then its sources and plain numbers; the Lua side has resolved the overload.
"""
import numpy as np
from numpy import add as _add, multiply as _mul, subtract as _sub

from .errors import TorchError
from .math_util import (argerr, cast_from_double, check_numel, flat, kernels, result_like,
                        real_of, shaped, to_real, wrap_long, write)
from .types import BYTE, TYPES

_BLOCK = 16384   # elements per block when a formula needs a scratch array


def _src2(r, t, s, names):
    """The second source shaped like r, after TH's element-count check."""
    if s.size != r.size:
        check_numel(((names[0], r), (names[1], t), (names[2], s)))
        return shaped(s, r.size)
    return s.a


def _prom(dtype):
    """The C type integer arithmetic on `dtype` happens in (int promotion)."""
    return np.int64 if dtype.itemsize == 8 else np.int32


def _int_only(t, name):
    if t.t.is_float:
        raise TorchError("%s is only supported for integer type tensors" % name)


# -- integer division with C semantics ----------------------------------------------------
def _c_div(a, b, out):
    """out = a / b truncated toward zero, computed in the promoted C type."""
    p = _prom(out.dtype)
    if not np.all(b):
        raise TorchError("integer division by zero")
    a = np.asarray(a, p)
    b = np.asarray(b, p)
    q = np.fmod(a, b)
    np.subtract(a, q, out=q)
    np.floor_divide(q, b, out=q)   # exact: the remainder is gone
    np.copyto(out, q, casting="unsafe")


def _c_mod(a, b, out, floor):
    """C's % (floor=False) or TH's remainder (floor=True: sign of the divisor)."""
    if not np.all(b):
        raise TorchError("integer division by zero")
    if floor:
        np.remainder(a, b, out=out)
    else:
        np.fmod(a, b, out=out)


def _float_remainder(a, b, out):
    """(b == 0) ? NAN : a - b * floor(a / b); for float32 the division rounds to
    float and the rest is done in double (C's floor() is the double one)."""
    q = np.floor(np.divide(a, b))
    res = np.subtract(np.asarray(a, np.float64),
                      np.multiply(np.asarray(b, np.float64), q, dtype=np.float64))
    np.copyto(res, np.nan, where=np.asarray(b == 0))
    np.copyto(out, res, casting="unsafe")


# -- x op value --------------------------------------------------------------------------
def pw_add(r, t, v):
    r, ans = result_like(r, t)
    _add(t.a, to_real(t, v), r.a)
    return ans


def pw_mul(r, t, v):
    r, ans = result_like(r, t)
    _mul(t.a, to_real(t, v), r.a)
    return ans


def pw_div(r, t, v):
    r, ans = result_like(r, t)
    v = to_real(t, v)
    if t.t.is_float:
        np.divide(t.a, v, r.a)
    elif r.size:
        _c_div(t.a, v, r.a)
    return ans


def pw_fmod(r, t, v):
    r, ans = result_like(r, t)
    v = to_real(t, v)
    if t.t.is_float:
        np.fmod(t.a, v, r.a)
    elif r.size:
        _c_mod(t.a, v, r.a, False)
    return ans


def pw_remainder(r, t, v):
    r, ans = result_like(r, t)
    v = to_real(t, v)
    if r.size:
        if t.t.is_float:
            _float_remainder(t.a, v, r.a)
        else:
            _c_mod(t.a, v, r.a, True)
    return ans


def _bitop(ufunc, name):
    def op(r, t, v):
        _int_only(t, name)
        r, ans = result_like(r, t)
        ufunc(t.a, to_real(t, v), r.a)
        return ans
    return op


pw_bitand = _bitop(np.bitwise_and, "bitand")
pw_bitor = _bitop(np.bitwise_or, "bitor")
pw_bitxor = _bitop(np.bitwise_xor, "bitxor")


def _libm_pow(x, y, dtype):
    """pow(x, y) (powf for float32) through libm."""
    a = np.array([x], dtype)
    out = np.empty(1, dtype)
    kernels().pow_scalar(a, dtype.type(y), out)
    return out[0]


def _shift(r, t, counts, left):
    """Integer shifts as TH does them on x86: on the unsigned representation (Byte
    through int promotion), the count masked to the promoted width; counts past a
    narrow type's width leave 0."""
    dt = t.t.dtype
    bits = dt.itemsize * 8
    ud = np.dtype("u%d" % dt.itemsize)
    cnt = np.asarray(counts, np.int64) & (63 if bits == 64 else 31)
    gone = cnt >= bits
    u = np.ascontiguousarray(t.a).view(ud)
    res = (np.left_shift if left else np.right_shift)(u, np.minimum(cnt, bits - 1).astype(ud))
    if np.any(gone):
        res = np.where(gone, ud.type(0), res)
    write(r, np.asarray(res).view(dt))


def pw_lshift(r, t, v):
    r, ans = result_like(r, t)
    v = to_real(t, v)
    if t.t.is_float:
        _mul(t.a, _libm_pow(2, v, t.t.dtype), r.a)
    elif r.size:
        _shift(r, t, v, True)
    return ans


def pw_rshift(r, t, v):
    r, ans = result_like(r, t)
    v = to_real(t, v)
    if t.t.is_float:
        np.divide(t.a, _libm_pow(2, v, t.t.dtype), r.a)
    elif r.size:
        _shift(r, t, v, False)
    return ans


def _clamp_part(r, t, lo, hi, buf):
    # (t < lo) ? lo : ((t > hi) ? hi : t); NaN stays, lo wins over hi
    below, above = t < lo, t > hi         # before r (maybe t itself) changes
    np.copyto(r, t)
    np.copyto(r, hi, where=above)
    np.copyto(r, lo, where=below)


def pw_clamp(r, t, lo, hi):
    r, ans = result_like(r, t)
    _blocked(r.a, (t.a, to_real(t, lo), to_real(t, hi)), _clamp_part)
    return ans


# -- x op tensor ----------------------------------------------------------------------
def pw_iadd(r, s):
    """r:add(s), the hot in-place form."""
    ra = r.a
    if s.size != r.size:
        check_numel((("r_", r), ("t", r), ("src", s)))
        _add(ra, shaped(s, r.size), ra)
    else:
        _add(ra, s.a, ra)


def _blocked(ra, srcs, fn):
    """fn(r_part, *src_parts, scratch) over r's elements: in blocks of _BLOCK when r
    is contiguous (so a formula needing a scratch array never makes one as large as
    the tensor), else in one go. Sources are arrays shaped like r, or numbers."""
    n = ra.size
    if n <= _BLOCK or not ra.flags.c_contiguous:
        fn(ra, *srcs, np.empty(ra.shape, ra.dtype))
        return
    flat_srcs = [x.reshape(-1) if isinstance(x, np.ndarray) and x.ndim else x for x in srcs]
    rf = ra.reshape(-1)
    buf = np.empty(_BLOCK, ra.dtype)
    for i in range(0, n, _BLOCK):
        j = min(i + _BLOCK, n)
        fn(rf[i:j], *[x[i:j] if isinstance(x, np.ndarray) and x.ndim else x
                      for x in flat_srcs], buf[:j - i])


def _axpy_part(r, t, v, s, buf):
    _mul(s, v, buf)            # the product is rounded first, as in TH
    _add(t, buf, r)


_fused = None


def _fused_axpy():
    global _fused
    if _fused is None:
        from . import fused_axpy
        _fused = fused_axpy if fused_axpy.cpu_fuses() else False
    return _fused


def pw_cadd(r, t, v, s):
    r, ans = result_like(r, t)
    sa = _src2(r, t, s, ("r_", "t", "src"))
    v = to_real(t, v)
    if v == 1:
        _add(t.a, sa, r.a)
    elif v == -1 and t.t.is_float:
        _sub(t.a, sa, r.a)     # t + (-1)*s is exactly t - s
    elif (t.t.is_float and r.is_contiguous() and t.is_contiguous() and s.is_contiguous()
          and _fused_axpy()):
        # TH: BLAS axpy (r is t) or its AVX2 loop, both one rounding per element
        _fused_axpy().fused_cadd(r.a, t.a, v, sa)
    else:
        _blocked(r.a, (t.a, v, sa), _axpy_part)
    return ans


def pw_csub(r, t, v, s):
    return pw_cadd(r, t, -to_real(t, v) if t.t.is_float else -int(to_real(t, v)), s)


def _binary(name_args=("r_", "t", "src")):
    def deco(compute):
        def op(r, t, s):
            r, ans = result_like(r, t)
            sa = _src2(r, t, s, name_args)
            if r.size:
                compute(r, t, t.a, sa)
            return ans
        op.__name__ = compute.__name__
        return op
    return deco


@_binary()
def pw_cmul(r, t, ta, sa):
    _mul(ta, sa, r.a)


@_binary()
def pw_cdiv(r, t, ta, sa):
    if t.t.is_float:
        np.divide(ta, sa, r.a)
    else:
        _c_div(ta, sa, r.a)


@_binary()
def pw_cpow(r, t, ta, sa):
    a = np.ascontiguousarray(ta).reshape(-1)
    b = np.ascontiguousarray(sa).reshape(-1)
    res = np.empty(a.shape, np.float64)
    kernels().pow_double(a, b, res)
    write(r, cast_from_double(res, t.t.dtype))


@_binary()
def pw_cfmod(r, t, ta, sa):
    if t.t.is_float:
        np.fmod(ta, sa, r.a)
    else:
        _c_mod(ta, sa, r.a, False)


@_binary()
def pw_cremainder(r, t, ta, sa):
    if t.t.is_float:
        _float_remainder(ta, sa, r.a)
    else:
        _c_mod(ta, sa, r.a, True)


def _cbitop(ufunc, name):
    @_binary()
    def op(r, t, ta, sa):
        ufunc(ta, sa, r.a)

    def checked(r, t, s):
        _int_only(t, name)
        return op(r, t, s)
    return checked


pw_cbitand = _cbitop(np.bitwise_and, "cbitand")
pw_cbitor = _cbitop(np.bitwise_or, "cbitor")
pw_cbitxor = _cbitop(np.bitwise_xor, "cbitxor")


def _pow2_each(dtype, sa):
    """pow(2, s) per element in the element type (powf for float32)."""
    b = np.ascontiguousarray(sa, dtype).reshape(-1)
    out = np.empty(b.shape, dtype)
    kernels().pow_of(dtype.type(2), b, out)
    return out.reshape(sa.shape)


@_binary()
def pw_clshift(r, t, ta, sa):
    if t.t.is_float:
        _mul(ta, _pow2_each(t.t.dtype, sa), r.a)
    else:
        _shift(r, t, sa, True)


@_binary()
def pw_crshift(r, t, ta, sa):
    if t.t.is_float:
        np.divide(ta, _pow2_each(t.t.dtype, sa), r.a)
    else:
        _shift(r, t, sa, False)


def _pick(r, t, s, take, buf):
    # assembled in the scratch array: r may be t or s itself
    np.copyto(buf, s)
    np.copyto(buf, t, where=take)
    np.copyto(r, buf)


def _pick_greater(r, t, s, buf):
    _pick(r, t, s, t > s, buf)    # t > s ? t : s -- with NaNs this is not np.maximum


def _pick_less(r, t, s, buf):
    _pick(r, t, s, t < s, buf)


def _extreme(pick, ufunc):
    def compute(r, t, ta, sa):
        if t.t.is_float:
            _blocked(r.a, (ta, sa), pick)
        else:
            ufunc(ta, sa, out=r.a)
    return compute


pw_cmax = _binary(("r", "t", "src"))(_extreme(_pick_greater, np.maximum))
pw_cmin = _binary(("r", "t", "src"))(_extreme(_pick_less, np.minimum))


def _extreme_value(pick, ufunc):
    def op(r, t, v):
        r, ans = result_like(r, t)
        v = to_real(t, v)
        if t.t.is_float:
            _blocked(r.a, (t.a, v), pick)
        else:
            ufunc(t.a, v, out=r.a)
        return ans
    return op


pw_cmaxv = _extreme_value(_pick_greater, np.maximum)
pw_cminv = _extreme_value(_pick_less, np.minimum)


@_binary(("r_", "tx", "ty"))
def pw_atan2(r, t, ta, sa):
    _kernel2(r, kernels().atan2, ta, sa)


def _kernel2(r, fn, xa, ya):
    a = np.ascontiguousarray(xa).reshape(-1)
    b = np.ascontiguousarray(ya, a.dtype).reshape(-1)
    ra = r.a
    if ra.flags.c_contiguous:
        fn(a, b, ra.reshape(-1))
    else:
        out = np.empty_like(a)
        fn(a, b, out)
        write(r, out)


def pw_lerp(r, a, b, w):
    if a.nelement() != b.nelement():
        raise argerr(2, "sizes do not match")
    r, ans = result_like(r, a)
    _blocked(r.a, (a.a, shaped(b, r.size), to_real(a, w)), _lerp_part)
    return ans


def _lerp_part(r, a, b, w, buf):
    _sub(b, a, buf)            # a + w*(b-a), in the element type
    _mul(buf, w, buf)
    _add(a, buf, r)


def _addc(divide):
    def op(r, t, v, s1, s2):
        if r is not t:
            r, ans = result_like(r, t)
            np.copyto(r.a, t.a)
        else:
            ans = None
        check_numel((("r_", r), ("src1", s1), ("src2", s2)))
        if not r.size:
            return ans
        v = to_real(t, v)
        a1, a2 = shaped(s1, r.size), shaped(s2, r.size)
        ra = r.a
        if t.t.is_float or not divide:
            _blocked(ra, (a1, v, a2), _addcdiv_part if divide else _addcmul_part)
        else:
            # (value * s1) / s2 in C's int, truncated, then added with wrap-around
            p = _prom(ra.dtype)
            q = np.empty(ra.shape, p)
            _c_div(_mul(np.asarray(a1, p), p(v)), np.asarray(a2, p), q)
            np.copyto(ra, _add(np.asarray(ra, p), q), casting="unsafe")
        return ans
    return op


def _addcmul_part(r, a, v, b, buf):
    _mul(a, v, buf)            # r + (value * s1) * s2, left to right as in C
    _mul(buf, b, buf)
    _add(r, buf, r)


def _addcdiv_part(r, a, v, b, buf):
    _mul(a, v, buf)
    np.divide(buf, b, buf)
    _add(r, buf, r)


pw_addcmul = _addc(False)
pw_addcdiv = _addc(True)


# -- x -> f(x) ---------------------------------------------------------------------------
def pw_sign(r, t):
    r, ans = result_like(r, t)
    ta = t.a
    pos = ta > 0
    if t.t is BYTE:
        np.copyto(r.a, pos, casting="unsafe")
        return ans
    neg = ta < 0                  # NaN and -0 give 0, as in C
    np.copyto(r.a, pos, casting="unsafe")
    np.subtract(r.a, neg, r.a, casting="unsafe")
    return ans


def _simple(ufunc):
    def op(r, t):
        r, ans = result_like(r, t)
        ufunc(t.a, r.a)
        return ans
    return op


pw_abs = _simple(np.absolute)
pw_neg = _simple(np.negative)
pw_sqrt = _simple(np.sqrt)
pw_ceil = _simple(np.ceil)
pw_floor = _simple(np.floor)
pw_trunc = _simple(np.trunc)


def pw_cinv(r, t):
    r, ans = result_like(r, t)
    np.divide(1, t.a, r.a)
    return ans


def pw_rsqrt(r, t):
    r, ans = result_like(r, t)
    np.sqrt(t.a, r.a)
    np.divide(1, r.a, r.a)
    return ans


def pw_frac(r, t):
    r, ans = result_like(r, t)
    _sub(t.a, np.trunc(t.a), r.a)
    return ans


def _kernel_unary(name, extra=None):
    def op(r, t):
        r, ans = result_like(r, t)
        if not r.size:
            return ans
        fn = getattr(kernels(), name)
        args = extra(t.t.dtype) if extra else ()
        src = flat(t)
        ra = r.a
        if ra.flags.c_contiguous:
            fn(src, ra.reshape(-1), *args)
        else:
            out = np.empty_like(src)
            fn(src, out, *args)
            write(r, out)
        return ans
    op.__name__ = "pw_" + name
    return op


_LIBM = ("exp", "log", "log1p", "cos", "acos", "cosh", "sin", "asin", "sinh", "tan", "atan",
         "tanh")
for _name in _LIBM:
    globals()["pw_" + _name] = _kernel_unary(_name)
pw_sigmoid = _kernel_unary("sigmoid", lambda dt: (dt.type(1),))
pw_round = _kernel_unary("round_half_away", lambda dt: (dt.type(0.5), dt.type(1)))


def pw_pow(r, t, v):
    """x^value (Float/Double): TH special-cases a few exponents."""
    v = to_real(t, v)
    if v == 1:
        r, ans = result_like(r, t)
        if r is not t:
            np.copyto(r.a, t.a)
        return ans
    if v == 0.5:
        return pw_sqrt(r, t)
    if v == -0.5:
        return pw_rsqrt(r, t)
    if v == -1:
        return pw_cinv(r, t)
    r, ans = result_like(r, t)
    ta = t.a
    if v == 2:
        _mul(ta, ta, r.a)
    elif v == 3:
        _mul(_mul(ta, ta), ta, r.a)
    elif v == -2:
        np.divide(1, _mul(ta, ta), r.a)
    elif r.size:
        src = flat(t)
        out = np.empty_like(src)
        kernels().pow_scalar(src, v, out)
        write(r, out)
    return ans


def pw_tpow(r, v, t):
    """value^x (Float/Double), computed with C's double pow()."""
    r, ans = result_like(r, t)
    if r.size:
        src = flat(t)
        out = np.empty(src.shape, t.t.dtype)
        kernels().pow_base(float(to_real(t, v)), src, out)
        write(r, out)
    return ans


# -- comparisons ------------------------------------------------------------------------
def _compare(ufunc):
    def value(r, t, v):
        """ltValue / ltValueT: r is a ByteTensor (new when None) or of t's type."""
        r, ans = result_like(r, t, BYTE)
        ufunc(t.a, to_real(t, v), r.a, casting="unsafe")
        return ans

    def tensor(r, ta, tb):
        r, ans = result_like(r, ta, BYTE)
        b = _src2(r, ta, tb, ("r_", "ta", "tb"))
        ufunc(ta.a, b, r.a, casting="unsafe")
        return ans
    return value, tensor


for _name, _uf in (("lt", np.less), ("le", np.less_equal), ("gt", np.greater),
                   ("ge", np.greater_equal), ("eq", np.equal), ("ne", np.not_equal)):
    globals()["pw_%s" % _name], globals()["pw_%st" % _name] = _compare(_uf)


def pw_equal(a, b):
    if a.size != b.size:
        return False
    return bool(np.array_equal(a.a, b.a))


# -- operators --------------------------------------------------------------------------
def pw_rsub(t, v):
    """number - tensor (TensorOperator's __sub__): fill with the number, then add -1*t."""
    r, ans = result_like(None, t)
    _sub(to_real(t, v), t.a, r.a)
    return ans


# -- scalar forms (torch.log(2), torch.pow(2, 3), ...) ------------------------------------
def _c_round(x):
    out = np.empty(1)
    kernels().round_half_away(np.array([x]), out, 0.5, 1.0)
    return out[0]


def _libm1(name, x):
    out = np.empty(1)
    getattr(kernels(), name)(np.array([x]), out)
    return out[0]


def _sigmoid1(x):
    out = np.empty(1)
    kernels().sigmoid(np.array([x]), out, 1.0)
    return out[0]


_SCALAR1 = {
    "sqrt": np.sqrt, "ceil": np.ceil, "floor": np.floor, "trunc": np.trunc, "abs": np.abs,
    "round": _c_round, "frac": lambda x: x - np.trunc(x),
    "rsqrt": lambda x: np.float64(1) / np.sqrt(x), "sigmoid": _sigmoid1,
}


def pw_scalar(name, ti, a, b=None, c=None):
    """The real-number overloads: C's double function applied to the arguments
    converted to the element type, the result converted back to it."""
    t = TYPES[ti]
    dt = t.dtype
    if not t.is_float:   # abs(int) / labs(long): the most negative value stays so
        res = wrap_long(abs(int(real_of(t, a))))
        return int(np.int64(res).astype(dt))
    x = np.float64(real_of(t, a))
    if name == "pow" or name == "atan2":
        y = np.float64(real_of(t, b))
        out = np.empty(1)
        k = kernels()
        if name == "pow":
            k.pow_double(np.array([x]), np.array([y]), out)
        else:
            k.atan2(np.array([x]), np.array([y]), out)
        res = out[0]
    elif name == "lerp":
        y, w = np.float64(real_of(t, b)), np.float64(real_of(t, c))
        res = x + w * (y - x)
    elif name in _SCALAR1:
        res = _SCALAR1[name](x)
    else:
        res = _libm1(name, x)
    return float(dt.type(res))


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("pw_") and callable(fn)}
