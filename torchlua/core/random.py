"""Torch7's random generator (THRandom + THTensorRandom), bit for bit.

One Generator is one TH stream: scalar draws, array fills, randperm and
multinomial all consume the same 32-bit words in TH's order, and share the
Box-Muller cache. Array fills visit `out` in logical row-major order, compute
each value in double as THRandom does and convert it as C does.
"""
import math
import os
import struct
import sys

import numpy as np

from .errors import TorchError
from .random_cast import (MASK64, double_to, double_to_int32, signed64, to_int, to_long,
                          ulong_to)
from .random_mt import N as _N, Stream, seed_key

_INV32 = 1.0 / 4294967296.0
_TWO_PI = 2.0 * math.pi

# Fills up to this size run the scalar formulas in Python, so that small
# scripts never pay for importing Numba; larger ones use random_kernels.
_SMALL = 2048

# Tensor:random() with no bounds: r % M, M from the C type's range.
_MODULUS = {
    np.dtype(np.uint8): 256, np.dtype(np.int8): 128, np.dtype(np.int16): 32768,
    np.dtype(np.int32): 2 ** 31, np.dtype(np.int64): 2 ** 63,
    np.dtype(np.float32): 2 ** 24 + 1, np.dtype(np.float64): 2 ** 53 + 1,
}

# Layout of LP64 THGenerator: seed, left, seeded, next | state[624] (8-byte
# slots) | normal_x, normal_y, normal_rho, normal_is_valid, 4 padding bytes.
_HEAD = struct.Struct("<QiiQ")
_TAIL = struct.Struct("<dddi")
_STATE_OFF = _HEAD.size
_TAIL_OFF = _STATE_OFF + 8 * _N
STATE_SIZE = _TAIL_OFF + _TAIL.size + 4   # 5048


class RandomArgError(TorchError):
    """A failed THArgCheck: `argnum` is the argument number TH reports."""

    def __init__(self, argnum, msg):
        super().__init__(msg)
        self.argnum = argnum


def _kernels():
    from . import random_kernels
    return random_kernels


def _exp(x):
    # C's exp overflows to inf where math.exp raises
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _check_out(out):
    if not isinstance(out, np.ndarray):
        raise TypeError("out must be a numpy array")
    if out.dtype not in _MODULUS:
        raise TypeError("no torch tensor type for dtype %s" % out.dtype)


def _store(out, vals):
    out[...] = vals.reshape(out.shape)
    return out


def _real(out, x):
    """Tensor methods declare these arguments `real`: a FloatTensor sees them
    rounded to float before they are widened back to double."""
    if out.dtype == np.float32:
        with np.errstate(over="ignore"):
            return float(np.float32(x))
    return float(x)


class Generator:
    """A Torch7 generator (torch.Generator / THGenerator)."""

    __slots__ = ("_initial", "_stream", "_nx", "_ny", "_nrho", "_nvalid", "_seeded", "_pad")

    def __init__(self, seed=None):
        if seed is None:
            self.seed()
        else:
            self.manual_seed(seed)

    # -- seeding ----------------------------------------------------------
    def _reset(self, useed):
        self._initial = useed & MASK64
        self._stream = Stream(seed_key(useed), 0, 0)
        self._nx = self._ny = self._nrho = 0.0
        self._nvalid = 0
        self._seeded = 1
        self._pad = bytes(4)

    def manual_seed(self, seed):
        """torch.manualSeed: the Lua number becomes a C long (truncated), then
        an unsigned long; init_genrand keeps its low 32 bits."""
        self._reset(to_long(seed) & MASK64)

    def seed(self):
        """torch.seed: reseed from /dev/urandom; the value as Lua gets it (a long)."""
        u = int.from_bytes(os.urandom(8), sys.byteorder)
        self._reset(u)
        return signed64(u)

    def initial_seed(self):
        """torch.initialSeed: the stored unsigned long, returned as a C long."""
        return signed64(self._initial)

    # -- raw draws --------------------------------------------------------
    def random(self):
        """One tempered 32-bit word, in [0, 2^32-1]."""
        return self._stream.next1()

    def _u(self):
        return self._stream.next1() * _INV32

    def random1(self, b):
        """torch.random(b): r % b + 1."""
        b = to_long(b)
        if b <= 0:
            raise RandomArgError(1, "upper bound must be strictly positive")
        return self._stream.next1() % b + 1

    def random2(self, a, b):
        """torch.random(a, b): (r % (b+1-a)) + a in unsigned long, read back as long."""
        a, b = to_long(a), to_long(b)
        if b < a:
            raise RandomArgError(2, "upper bound must be larger than lower bound")
        m = (b + 1 - a) & MASK64
        if m == 0:
            raise TorchError("random: range too large")
        return signed64(self._stream.next1() % m + a)

    def uniform(self, a=0.0, b=1.0):
        a, b = float(a), float(b)
        return self._u() * (b - a) + a

    def normal(self, mean=0.0, std=1.0):
        """Box-Muller; the second value of each pair is kept for the next call."""
        mean, std = float(mean), float(std)
        if not std > 0:
            raise RandomArgError(2, "standard deviation must be strictly positive")
        if not self._nvalid:
            self._nx = self._u()
            self._ny = self._u()
            self._nrho = math.sqrt(-2.0 * math.log(1.0 - self._ny))
            self._nvalid = 1
            return self._nrho * math.cos(_TWO_PI * self._nx) * std + mean
        self._nvalid = 0
        return self._nrho * math.sin(_TWO_PI * self._nx) * std + mean

    def exponential(self, lam):
        lam = float(lam)
        c = -1.0 / lam if lam != 0 else -math.copysign(math.inf, lam)  # C: -1./0. is -inf
        return c * math.log(1.0 - self._u())

    def cauchy(self, median=0.0, sigma=1.0):
        median, sigma = float(median), float(sigma)
        return median + sigma * math.tan(math.pi * (self._u() - 0.5))

    def log_normal(self, mean=1.0, std=2.0):
        if not float(std) > 0:
            raise RandomArgError(2, "standard deviation must be strictly positive")
        return _exp(self.normal(mean, std))

    def geometric(self, p):
        p = float(p)
        if not (p > 0 and p < 1):
            raise RandomArgError(1, "must be > 0 and < 1")
        return to_int(math.log(1.0 - self._u()) / math.log(p)) + 1

    def bernoulli(self, p=0.5):
        p = float(p)
        if not (p >= 0 and p <= 1):
            raise RandomArgError(1, "must be >= 0 and <= 1")
        return 1 if self._u() <= p else 0

    # -- array fills ------------------------------------------------------
    def _words(self, n):
        return self._stream.take(n)

    def _uniforms(self, n):
        return self._words(n) * _INV32

    def _scalar_loop(self, n, f, *args):
        return np.fromiter((f(*args) for _ in range(n)), dtype=np.float64, count=n)

    def _normal_values(self, n, mean, std):
        """n values of THRandom_normal(mean, std) as float64, cache included."""
        if n <= _SMALL:
            return self._scalar_loop(n, self.normal, mean, std)
        vals = np.empty(n)
        i = 0
        if self._nvalid:
            vals[0] = self.normal(mean, std)
            i = 1
        rest = n - i
        raw = self._words(2 * ((rest + 1) // 2))
        _kernels().normal_pairs(raw, vals, i, mean, std)
        # the last pair becomes TH's cache; it is valid if its sin half is unused
        self._nx = float(raw[-2]) * _INV32
        self._ny = float(raw[-1]) * _INV32
        self._nrho = math.sqrt(-2.0 * math.log(1.0 - self._ny))
        self._nvalid = rest & 1
        return vals

    def fill_uniform(self, out, a=0.0, b=1.0):
        _check_out(out)
        a, b = _real(out, a), _real(out, b)
        raw = self._words(out.size)
        direct = out.dtype == np.float64 and out.flags.c_contiguous
        vals = out.reshape(-1) if direct else np.empty(out.size)
        np.multiply(raw, _INV32, out=vals)
        if not (a == 0.0 and b == 1.0):   # u*1+0 == u exactly: skip two passes
            vals *= b - a
            vals += a
        return out if direct else _store(out, double_to(vals, out.dtype))

    def fill_normal(self, out, mean=0.0, std=1.0):
        _check_out(out)
        mean, std = _real(out, mean), _real(out, std)
        if out.size and not std > 0:
            raise RandomArgError(2, "standard deviation must be strictly positive")
        return _store(out, double_to(self._normal_values(out.size, mean, std), out.dtype))

    def fill_log_normal(self, out, mean=1.0, std=2.0):
        _check_out(out)
        mean, std = _real(out, mean), _real(out, std)
        if out.size and not std > 0:
            raise RandomArgError(2, "standard deviation must be strictly positive")
        vals = self._normal_values(out.size, mean, std)
        if out.size <= _SMALL:
            vals = np.array([_exp(v) for v in vals.tolist()], dtype=np.float64)
        else:
            _kernels().exp_inplace(vals)
        return _store(out, double_to(vals, out.dtype))

    def fill_exponential(self, out, lam):
        _check_out(out)
        lam = _real(out, lam)
        n = out.size
        if n <= _SMALL:
            vals = self._scalar_loop(n, self.exponential, lam)
        else:
            vals = np.empty(n)
            _kernels().exponential(self._words(n), vals, lam)
        return _store(out, double_to(vals, out.dtype))

    def fill_cauchy(self, out, median=0.0, sigma=1.0):
        _check_out(out)
        median, sigma = _real(out, median), _real(out, sigma)
        n = out.size
        if n <= _SMALL:
            vals = self._scalar_loop(n, self.cauchy, median, sigma)
        else:
            vals = np.empty(n)
            _kernels().cauchy(self._words(n), vals, median, sigma)
        return _store(out, double_to(vals, out.dtype))

    def fill_geometric(self, out, p):
        """p is a C double here (not `real`): no float rounding."""
        _check_out(out)
        p = float(p)
        n = out.size
        if n and not (p > 0 and p < 1):
            raise RandomArgError(1, "must be > 0 and < 1")
        if n <= _SMALL:
            ints = np.array([self.geometric(p) for _ in range(n)], dtype=np.int64)
        else:
            q = np.empty(n)
            _kernels().geometric_ratio(self._words(n), q, p)
            ints = double_to_int32(q).astype(np.int64) + 1
        return _store(out, ints.astype(np.int32).astype(out.dtype))

    def fill_bernoulli(self, out, p=0.5):
        """p: a number, or a float array with out's number of elements (read in
        its own row-major order, as TH_TENSOR_APPLY2 does)."""
        _check_out(out)
        n = out.size
        if isinstance(p, np.ndarray):
            if p.size != n:
                raise TorchError(
                    "inconsistent tensor size, expected self %s and p %s to have the same "
                    "number of elements, but got %d and %d elements respectively"
                    % (_size_desc(out.shape), _size_desc(p.shape), n, p.size))
            pv = p.astype(np.float64).reshape(-1)
            bad = np.flatnonzero(~((pv >= 0) & (pv <= 1)))
            if bad.size:
                # TH checks each p just before its draw: earlier elements are done
                k = int(bad[0])
                if k:
                    done = (self._uniforms(k) <= pv[:k]).astype(out.dtype)
                    out[np.unravel_index(np.arange(k), out.shape)] = done
                raise RandomArgError(1, "must be >= 0 and <= 1")
        else:
            pv = float(p)
            if n and not (pv >= 0 and pv <= 1):
                raise RandomArgError(1, "must be >= 0 and <= 1")
        return _store(out, (self._uniforms(n) <= pv).astype(out.dtype))

    def fill_random(self, out, a=None, b=None):
        """Tensor:random(), :random(b) -> [1,b], :random(a,b) -> [a,b]; the
        bounded forms compute in C unsigned long and convert to the type."""
        _check_out(out)
        if a is None and b is None:
            m = np.uint64(_MODULUS[out.dtype])
            return _store(out, ulong_to(self._words(out.size) % m, out.dtype))
        if a is None or b is None:
            b = to_long(a if b is None else b)
            if b <= 0:
                raise RandomArgError(1, "upper bound must be strictly positive")
            vals = self._words(out.size) % np.uint64(b) + np.uint64(1)
            return _store(out, ulong_to(vals, out.dtype))
        a, b = to_long(a), to_long(b)
        if b < a:
            raise RandomArgError(2, "upper bound must be larger than lower bound")
        m = (b + 1 - a) & MASK64
        if m == 0:
            raise TorchError("random: range too large")
        vals = self._words(out.size) % np.uint64(m) + np.uint64(a & MASK64)  # wraps mod 2^64
        return _store(out, ulong_to(vals, out.dtype))

    # -- permutations and sampling ---------------------------------------
    def randperm(self, n):
        """torch.randperm(n): 1..n shuffled with n-1 words, as an int64 array."""
        n = to_long(n)
        if n <= 0:
            raise RandomArgError(1, "must be strictly positive")
        raw = self._words(n - 1)
        if n <= _SMALL:
            perm = list(range(n))
            for i, r in enumerate(raw.tolist()):
                z = i + r % (n - i)
                perm[i], perm[z] = perm[z], perm[i]
            perm = np.array(perm, dtype=np.int64)
        else:
            perm = np.arange(n, dtype=np.int64)
            _kernels().randperm_swaps(raw.astype(np.int64), perm)
        return perm + 1

    def multinomial(self, prob, n, replacement=False):
        """torch.multinomial(prob, n, replacement): 1-based int64 indices,
        shape (n,) for a 1-D prob, (rows, n) for a 2-D one."""
        prob = np.asarray(prob)
        if prob.ndim not in (1, 2):
            raise TorchError("multinomial: prob_dist must be 1 or 2 dim")
        rows = prob.reshape(1, -1) if prob.ndim == 1 else prob
        ncat = rows.shape[1]
        n = to_int(n)
        if n <= 0:
            raise RandomArgError(2, "cannot sample n_sample < 0 samples")
        if not replacement and n > ncat:
            raise RandomArgError(
                2, "cannot sample n_sample > prob_dist:size(1) samples without replacement")
        res = np.empty((rows.shape[0], n), dtype=np.int64)
        for i in range(rows.shape[0]):
            # TH accumulates in double, left to right, then divides by the sum
            cum = np.add.accumulate(rows[i].astype(np.float64))
            total = float(cum[-1]) if ncat else 0.0
            if not total > 0:
                raise RandomArgError(2, "invalid multinomial distribution (sum of probabilities <= 0)")
            cum /= total
            cum[-1] = 1.0
            if replacement:
                res[i] = _bisect_many(cum, self._uniforms(n))
            else:
                self._multinomial_noreplace(cum, res[i])
        res += 1
        return res[0] if prob.ndim == 1 else res

    def _multinomial_noreplace(self, cum, dst):
        with np.errstate(divide="ignore", invalid="ignore"):
            for j in range(dst.shape[0]):
                cum[-1] = 1.0
                idx = _bisect(cum, self._u())
                dst[j] = idx
                # drop the drawn category's mass and renormalise, as TH does
                diff = cum[idx] - (cum[idx - 1] if idx else 0.0)
                cum[idx:] -= diff
                cum /= 1.0 - diff

    # -- state ------------------------------------------------------------
    def get_state(self):
        """torch.getRNGState(): the raw LP64 THGenerator struct, 5048 bytes."""
        left, nxt = self._stream.th_left_next()
        buf = bytearray(STATE_SIZE)
        _HEAD.pack_into(buf, 0, self._initial, left, self._seeded, nxt)
        buf[_STATE_OFF:_TAIL_OFF] = self._stream.key.astype("<u8").tobytes()
        _TAIL.pack_into(buf, _TAIL_OFF, self._nx, self._ny, self._nrho, self._nvalid)
        buf[STATE_SIZE - 4:] = self._pad
        return np.frombuffer(bytes(buf), dtype=np.uint8).copy()

    def set_state(self, state):
        """torch.setRNGState(state): restores the stream and the normal cache."""
        state = np.asarray(state)
        if state.size != STATE_SIZE:
            raise RandomArgError(1, "RNG state is wrong size")
        if state.dtype != np.uint8:
            raise TypeError("RNG state must be a uint8 array")
        if not state.flags.c_contiguous:
            raise RandomArgError(1, "RNG state needs to be contiguous")
        raw = state.tobytes()
        initial, left, seeded, nxt = _HEAD.unpack_from(raw, 0)
        if not (seeded == 1 and 0 < left <= _N and nxt <= _N):
            raise RandomArgError(1, "Invalid RNG state")
        words = np.frombuffer(raw, dtype="<u8", count=_N, offset=_STATE_OFF)
        # TH would read past state[] or carry high bits through the twist here;
        # getRNGState never produces such states.
        if nxt + left - 1 > _N or (words >> np.uint64(32)).any():
            raise TorchError("unsupported RNG state (not produced by Torch)")
        nx, ny, nrho, nvalid = _TAIL.unpack_from(raw, _TAIL_OFF)
        self._initial = initial
        self._stream = Stream(words.astype(np.uint32), nxt, nxt + left - 1)
        self._nx, self._ny, self._nrho, self._nvalid = nx, ny, nrho, nvalid
        self._seeded = seeded
        self._pad = raw[STATE_SIZE - 4:]


def _size_desc(shape):
    return "[" + " x ".join(str(s) for s in shape) + "]"


def _bisect(cum, u):
    """THTensor_(multinomial)'s search: first slot whose cum is not < u
    (kept literal, since cum need not be sorted when some p < 0)."""
    left, right = 0, cum.shape[0]
    while right - left > 0:
        mid = left + (right - left) // 2
        if cum[mid] < u:
            left = mid + 1
        else:
            right = mid
    return left


def _bisect_many(cum, us):
    """_bisect for many samples at once, step for step."""
    k = us.shape[0]
    left = np.zeros(k, dtype=np.int64)
    right = np.full(k, cum.shape[0], dtype=np.int64)
    top = cum.shape[0] - 1
    while True:
        act = right > left
        if not act.any():
            return left
        mid = left + (right - left) // 2
        go = cum[np.minimum(mid, top)] < us
        left = np.where(act & go, mid + 1, left)
        right = np.where(act & ~go, mid, right)
