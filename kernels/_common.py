"""Shared helpers of the kernel families: lazy Numba compilation, THNN-worded
shape checks, small numeric helpers that mirror C arithmetic.

Nothing here imports numba at module import time: a script that never calls a
kernel never pays for Numba's import or for compilation.
"""
import functools
import inspect
import math

import numpy as np

__all__ = [
    "KernelError", "lazyjit", "all_kernels", "size_desc", "argcheck",
    "check_dim_size", "check_dim_size_indices", "real_of", "as_c", "cdiv",
    "check_float", "check_same_dtype", "pool_out_size", "out_buffer",
]


class KernelError(ValueError):
    """A THNN/TH error. ``str(e)`` is THNN's message; ``argnum`` is the argument
    number THArgCheck would report (None for a plain THError), so the Lua bridge
    can print ``bad argument #N to ...`` exactly as Torch does."""

    def __init__(self, message, argnum=None):
        super().__init__(message)
        self.message = message
        self.argnum = argnum


# ---------------------------------------------------------------------------
# lazy compilation

_KERNELS = []


class _LazyKernel:
    """Wraps a plain Python function; compiles it with numba.njit(cache=True) on
    the first call, so importing a family module costs nothing."""

    def __init__(self, fn):
        self.py_func = fn
        self._disp = None
        self.__name__ = fn.__name__
        self.__qualname__ = fn.__qualname__
        self.__doc__ = fn.__doc__
        self.__module__ = fn.__module__
        _KERNELS.append(self)

    @property
    def dispatcher(self):
        if self._disp is None:
            from numba import njit
            # error_model='numpy': float division by zero gives inf/nan as in C,
            # instead of raising ZeroDivisionError.
            self._disp = njit(cache=True, nogil=True, error_model="numpy")(self.py_func)
        return self._disp

    def __call__(self, *args):
        d = self._disp
        if d is None:
            d = self.dispatcher
        return d(*args)

    def __repr__(self):
        return "<lazy kernel %s.%s>" % (self.__module__, self.__qualname__)


def lazyjit(fn):
    """Decorator: a numba kernel compiled (and cached on disk) on first call.
    Kernels must not call each other (the callee would be seen as a Python
    object at typing time)."""
    return _LazyKernel(fn)


@lazyjit
def bias_acc_k(go, gb, scale):
    # go (N, C, P): gb[c] += scale * sum_p go[n,c,p], summed sample by sample
    # in the tensor's own precision, as THNN's frame loops do.
    N, C, P = go.shape
    for n in range(N):
        for c in range(C):
            s = go.dtype.type(0)
            for p in range(P):
                s += go[n, c, p]
            gb[c] += scale * s


def all_kernels():
    """Every lazy kernel of the modules imported so far (for cache checks)."""
    return list(_KERNELS)


# ---------------------------------------------------------------------------
# THNN wording

_DESC_LEN = 64  # TH_DESC_BUFF_LEN


def size_desc(shape):
    """TH's sizeDesc: ``[3 x 5 x 5]``, cut to TH's 64-byte buffer as TH does."""
    body = "[" + " x ".join(str(int(s)) for s in shape)
    if len(body) < _DESC_LEN - 2:
        return body + "]"
    return body[:_DESC_LEN - 5] + "...]"


def argcheck(cond, argnum, message):
    if not cond:
        raise KernelError(message, argnum)


def check_dim_size(arr, name, ndim, dim, size):
    """THNN_CHECK_DIM_SIZE / THNN_CHECK_DIM_SIZE_INDICES."""
    if arr.ndim != ndim or int(arr.shape[dim]) != int(size):
        raise KernelError(
            "Need %s of dimension %d and %s.size[%d] == %d but got %s to be of shape: %s"
            % (name, ndim, name, dim, size, name, size_desc(arr.shape)))


check_dim_size_indices = check_dim_size


def check_shape_indices(arr, indices, name1="input", name2="indices"):
    """THNN_CHECK_SHAPE_INDICES."""
    if tuple(arr.shape) != tuple(indices.shape):
        raise KernelError("%s and %s shapes do not match: %s %s, %s %s"
                          % (name1, name2, name1, size_desc(arr.shape),
                             name2, size_desc(indices.shape)))


# ---------------------------------------------------------------------------
# arrays and C arithmetic

def check_float(arr, name="input"):
    if not isinstance(arr, np.ndarray) or arr.dtype not in (np.float32, np.float64):
        raise KernelError("%s must be a float32 or float64 numpy array, got %s"
                          % (name, type(arr).__name__ if not isinstance(arr, np.ndarray)
                             else arr.dtype))


def check_same_dtype(ref, *named):
    for name, arr in named:
        if arr is not None and arr.dtype != ref.dtype:
            raise KernelError("%s has type %s but input has type %s"
                              % (name, arr.dtype, ref.dtype))


def check_indices(arr, name="indices"):
    if not isinstance(arr, np.ndarray) or arr.dtype != np.int64:
        raise KernelError("%s must be an int64 numpy array" % name)


def real_of(arr, value):
    """``value`` converted to the array's C ``real`` (float32 stays float32)."""
    return arr.dtype.type(value)


def as_c(arr):
    """C-contiguous view or copy (THTensor_(newContiguous)); one compiled
    signature per dtype."""
    return np.ascontiguousarray(arr)


def cdiv(a, b):
    """C integer division (truncates toward zero), as in THNN's size formulas."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def pool_out_size(size, k_eff, pad, stride, ceil_mode):
    """THNN pooling output size: ``(long)ceil/floor((float)(size - k_eff + 2*pad) / stride) + 1``
    computed in single precision as the C code does, then the rule that the
    last window must start inside the (left-padded) input."""
    q = np.float32(size - k_eff + 2 * pad) / np.float32(stride)
    o = int(math.ceil(q) if ceil_mode else math.floor(q)) + 1
    return o


def pool_last_window_fix(o, size, pad, stride, any_pad):
    if any_pad and (o - 1) * stride >= size + pad:
        o -= 1
    return o


def check_out(out, shape, dtype, name="out"):
    """Validate a caller-supplied output buffer (kernels write into it blindly)."""
    if out is None:
        return None
    if (not isinstance(out, np.ndarray) or tuple(out.shape) != tuple(shape)
            or out.dtype != dtype or not out.flags.c_contiguous):
        raise KernelError("%s must be a C-contiguous %s array of shape %s"
                          % (name, np.dtype(dtype).name, size_desc(shape)))
    return out


def out_buffer(spec, shape, dtype, name="out", zero=False):
    """An output buffer: ``spec`` an array (checked by check_out), or a
    callable(shape) answering one or None (e.g. a tensor's storage, resized as
    THNN resizes it; None when its layout does not fit), else a new array;
    zero-filled when asked."""
    if callable(spec):
        buf = spec(shape)
        if buf is not None and (buf.shape != tuple(shape) or buf.dtype != dtype
                                or not buf.flags.c_contiguous):
            buf = None
    else:
        buf = check_out(spec, shape, dtype, name)
    if buf is None:
        return np.zeros(shape, dtype) if zero else np.empty(shape, dtype)
    if zero:
        buf.fill(0)
    return buf


# ---------------------------------------------------------------------------
# integer parameters

_INT_PARAMS = frozenset("""
kW kH kT dW dH dT padW padH padT pW pH pT dilW dilH dilT adjW adjH adjT oW oH oT
poolSizeW poolSizeH poolSizeT N C H W T inputFrameSize outputFrameSize scale_factor
pad_l pad_r pad_t pad_b pleft pright ptop pbottom pfront pback size
""".split())


def _to_int(v, name):
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if f != f or f in (math.inf, -math.inf):
        raise KernelError("%s must be a number, got %r" % (name, v))
    return int(f)  # C's (int) conversion truncates, as Torch's cwrap does


def int_params(fn):
    """Convert the geometry parameters of a public kernel function to Python
    ints (Lua numbers may arrive as floats; one compiled signature each)."""
    names = [n for n in inspect.signature(fn).parameters if n in _INT_PARAMS]
    if not names:
        return fn
    params = list(inspect.signature(fn).parameters)
    pos = [(params.index(n), n) for n in names]

    @functools.wraps(fn)
    def wrapper(*args, **kw):
        fixed = None
        for i, n in pos:
            if i < len(args) and type(args[i]) is not int:
                if fixed is None:
                    fixed = list(args)
                fixed[i] = _to_int(args[i], n)
        if fixed is not None:
            args = fixed
        for n in names:
            if n in kw and type(kw[n]) is not int:
                kw[n] = _to_int(kw[n], n)
        return fn(*args, **kw)
    return wrapper


def export(namespace):
    """Wrap the public functions listed in a family module's __all__."""
    for name in namespace["__all__"]:
        f = namespace.get(name)
        if inspect.isfunction(f):
            namespace[name] = int_params(f)
