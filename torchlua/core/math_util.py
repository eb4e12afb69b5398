"""Helpers shared by the pointwise and reduction families (math_pointwise.py,
math_reduce.py): C conversions of Lua numbers, result tensors, TH's size checks,
errors, and the lazily imported Numba kernels.
"""
import warnings

import numpy as np

from .errors import TorchError
from .memory import take_buffer
from .storage import Storage
from .tensor import Tensor, contiguous_strides
from .tensor_api import ret
from .types import LONG

# IEEE results (inf, nan) are what TH gives, silently: NumPy's warnings about them
# are dropped for calls made from torchlua's own modules (math, nn, kernels) only.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"torchlua\.")

INT_MIN = -2 ** 31
LONG_MIN = -2 ** 63


# -- errors -----------------------------------------------------------------------
def argerr(argn, msg):
    """THArgCheck's failure; the Lua side puts in the name the script called."""
    return TorchError("bad argument #%d to '?' (%s)" % (argn, msg))


def size_desc(size):
    return "[" + " x ".join(str(s) for s in size) + "]"


def check_numel(pairs):
    """TH_TENSOR_APPLY2/3's element-count check; `pairs` = ((C name, tensor), ...)."""
    counts = [t.nelement() for _, t in pairs]
    if min(counts) != max(counts):
        names = ["%s %s" % (n, size_desc(t.size)) for n, t in pairs]
        nums = [str(c) for c in counts]
        if len(pairs) == 2:
            raise TorchError("inconsistent tensor size, expected %s and %s to have the same number "
                             "of elements, but got %s and %s elements respectively"
                             % (names[0], names[1], nums[0], nums[1]))
        raise TorchError("inconsistent tensor size, expected %s, %s and %s to have the same number "
                         "of elements, but got %s, %s and %s elements respectively"
                         % (names[0], names[1], names[2], nums[0], nums[1], nums[2]))


# -- Lua numbers as C values --------------------------------------------------------
def c_long(v):
    """(long)x for a Lua number: truncation; NaN/out of range give LONG_MIN (cvttsd2si)."""
    if isinstance(v, int):
        return v if LONG_MIN <= v < 2 ** 63 else LONG_MIN
    v = float(v)
    if v != v or not (-2.0 ** 63 <= v < 2.0 ** 63):
        return LONG_MIN
    return int(v)


def c_int32(v):
    v = float(v)
    if v != v or not (-2.0 ** 31 - 1 < v < 2.0 ** 31):
        return INT_MIN
    return int(v)


def _wrap(iv, bits, signed):
    iv &= (1 << bits) - 1
    if signed and iv >= 1 << (bits - 1):
        iv -= 1 << bits
    return iv


def to_real(t, v):
    """cwrap's `real` argument: the Lua number converted to tensor t's C type."""
    return real_of(t.t, v)


def real_of(ti, v):
    """A Lua number converted to the C type of TypeInfo ti (float rounding; integer
    truncation, narrower types through a 32-bit int)."""
    dt = ti.dtype
    if dt.kind == "f":
        return float(v) if dt.itemsize == 8 else dt.type(v)
    if dt.itemsize == 8:
        return dt.type(c_long(v))
    if dt.itemsize == 4:
        return dt.type(c_int32(v))
    return dt.type(_wrap(c_int32(v), dt.itemsize * 8, dt.kind == "i"))


def wrap_long(iv):
    """An accreal `long` result (Python int) wrapped to 64 bits, as C computes it."""
    return _wrap(int(iv), 64, True)


def cast_from_double(vals, dtype):
    """(real)v for an array of doubles, with C's conversion on x86-64."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return vals.astype(dtype)
    t = np.trunc(vals)
    if dtype.itemsize == 8:
        ok = (t >= -2.0 ** 63) & (t < 2.0 ** 63)
        return np.where(ok, t, float(LONG_MIN)).astype(np.int64)
    ok = (t > -2.0 ** 31 - 1) & (t < 2.0 ** 31)
    return np.where(ok, t, float(INT_MIN)).astype(np.int32).astype(dtype)


def py_number(x):
    """A NumPy scalar as the plain Python number Lua receives."""
    if isinstance(x, (float, np.floating)):
        return float(x)
    return int(x)


# -- result tensors ------------------------------------------------------------------
def result_like(r, t, ti=None):
    """TH's resizeAs(r, t); r is None when the script gave no result tensor (a new
    one is made, of type `ti` or t's). Returns (r, answer) where answer is what the
    core function returns to Lua (the new tensor, or nothing)."""
    if r is None:
        r = new_tensor(ti or t.t, t.size)
        return r, ret(r)
    if r is not t and r.size != t.size:
        r.resize(t.size)
    return r, None


def new_tensor(ti, size):
    """A new contiguous tensor; its elements are about to be written (not zeroed)."""
    if not size:
        return Tensor(ti)
    n = 1
    for d in size:
        n *= d
    return Tensor(ti, Storage(ti, take_buffer(n, ti.dtype, zeroed=False)), 0, size,
                  contiguous_strides(size))


def new_or(r, ti):
    if r is None:
        r = Tensor(ti)
        return r, ret(r)
    return r, None


def long_result(r):
    return new_or(r, LONG)


def shaped(x, size):
    """x's elements in logical order, shaped `size` (a view when the layout allows)."""
    a = x.a
    if x.size == size:
        return a
    return a.reshape(size) if size else a.reshape(-1)


def flat(x):
    """x's elements in logical order as a C-contiguous 1-D array (view if possible)."""
    return np.ascontiguousarray(x.a).reshape(-1)


def write(r, values):
    """Copy an array holding r's elements in logical order into r."""
    if r.size:
        np.copyto(r.a, values.reshape(r.size), casting="unsafe")


def rows(t, dim):
    """The slices of t along `dim` as rows of a C-contiguous 2-D array (outer dims
    in logical order), and the shape of the outer dims."""
    a = np.moveaxis(t.a, dim, -1)
    return np.ascontiguousarray(a).reshape(-1, a.shape[-1]), a.shape[:-1]


def keep_size(t, dim, n=1):
    size = list(t.size)
    size[dim] = n
    return tuple(size)


def write_rows(r, dim, values2d, outer):
    """Inverse of rows(): values2d (m, k) goes back along `dim` of r."""
    v = values2d.reshape(tuple(outer) + (values2d.shape[1],))
    np.copyto(np.moveaxis(r.a, dim, -1), v, casting="unsafe")


# -- kernels ---------------------------------------------------------------------------
_kernels = None


def kernels():
    """math_kernels, imported on first use (it imports Numba)."""
    global _kernels
    if _kernels is None:
        from . import math_kernels
        _kernels = math_kernels
    return _kernels
