"""Numba loops for TH's sequential folds (sum and prod along a dimension, and over
a whole tensor).

TH adds (multiplies) the elements of each slice one after another, from the
first to the last, into an accumulator of a fixed type that starts at 0 (1).
Each accumulator here is such a chain, kept strictly in order, so the result
is TH's to the bit. Speed comes from running independent chains side by side:
several slices at once when each slice runs along memory (the CPU overlaps the
dependency chains), or a whole row of accumulators at once when the reduced
dimension is the outer one (each step is then an element-wise update).

x is 3-D (outer, n, inner): the chains run along axis 1, one per (outer, inner)
pair, into out[outer, inner], which holds the start values and has the
accumulator's type; a whole-tensor fold is x of shape (1, n, 1): one chain.
Import lazily: it imports Numba.
"""
import numba
from llvmlite import ir
from numba import literally
from numba.core import cgutils, types
from numba.extending import intrinsic

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@intrinsic
def _prefetch(typingctx, arr, i):
    """Ask for the cache line of arr[i] (into L2; a hint: it never faults)."""
    def codegen(context, builder, sig, args):
        aryty = sig.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]],
                                       wraparound=False)
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
            "llvm.prefetch.p0i8")
        # read, locality 1 (outer caches), data cache
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(1), i32(1)])
        return context.get_dummy_value()
    return types.void(arr, i), codegen


@_jit
def _rows(x, out, product):
    """Rows of the 2-D x (each along memory) folded eight at a time. Eight chains
    from eight places in memory read slower than one stream from DRAM, so while
    a group is summed the next group's rows are fetched in order, a cache line
    per step."""
    literally(product)
    m, n = x.shape
    seg = (n + 7) // 8      # steps per row of the next group (8 elements a step)
    i = 0
    while i + 8 <= m:
        s0, s1, s2, s3 = out[i], out[i + 1], out[i + 2], out[i + 3]
        s4, s5, s6, s7 = out[i + 4], out[i + 5], out[i + 6], out[i + 7]
        j = 0
        for k in range(8):
            ahead = x[min(i + 8 + k, m - 1)]
            c = 0
            for jj in range(j, min(n, j + seg)):
                _prefetch(ahead, c)
                c += 8
                if product:
                    s0 *= x[i, jj]
                    s1 *= x[i + 1, jj]
                    s2 *= x[i + 2, jj]
                    s3 *= x[i + 3, jj]
                    s4 *= x[i + 4, jj]
                    s5 *= x[i + 5, jj]
                    s6 *= x[i + 6, jj]
                    s7 *= x[i + 7, jj]
                else:
                    s0 += x[i, jj]
                    s1 += x[i + 1, jj]
                    s2 += x[i + 2, jj]
                    s3 += x[i + 3, jj]
                    s4 += x[i + 4, jj]
                    s5 += x[i + 5, jj]
                    s6 += x[i + 6, jj]
                    s7 += x[i + 7, jj]
            j += seg
        out[i], out[i + 1], out[i + 2], out[i + 3] = s0, s1, s2, s3
        out[i + 4], out[i + 5], out[i + 6], out[i + 7] = s4, s5, s6, s7
        i += 8
    _singles(x, out, i, product)


@_jit
def _singles(x, out, i, product):
    """Rows i.. of the 2-D x, one chain at a time."""
    literally(product)
    for r in range(i, x.shape[0]):
        s = out[r]
        for j in range(x.shape[1]):
            if product:
                s *= x[r, j]
            else:
                s += x[r, j]
        out[r] = s


@_jit
def _strided(x, out, product):
    """Chains along axis 1 of a 3-D x whose slices run along memory but do not
    line up as rows of a 2-D array: four at a time, through row views."""
    literally(product)
    P, n, Q = x.shape
    m = P * Q
    r = 0
    while r + 4 <= m:
        p0, q0 = divmod(r, Q)
        p1, q1 = divmod(r + 1, Q)
        p2, q2 = divmod(r + 2, Q)
        p3, q3 = divmod(r + 3, Q)
        a0, a1, a2, a3 = x[p0, :, q0], x[p1, :, q1], x[p2, :, q2], x[p3, :, q3]
        s0, s1, s2, s3 = out[p0, q0], out[p1, q1], out[p2, q2], out[p3, q3]
        for j in range(n):
            if product:
                s0 *= a0[j]
                s1 *= a1[j]
                s2 *= a2[j]
                s3 *= a3[j]
            else:
                s0 += a0[j]
                s1 += a1[j]
                s2 += a2[j]
                s3 += a3[j]
        out[p0, q0], out[p1, q1], out[p2, q2], out[p3, q3] = s0, s1, s2, s3
        r += 4
    while r < m:
        p, q = divmod(r, Q)
        a = x[p, :, q]
        s = out[p, q]
        for j in range(n):
            if product:
                s *= a[j]
            else:
                s += a[j]
        out[p, q] = s
        r += 1


@_jit
def _columns(x, out, product):
    """The reduced axis is not the fastest-varying one: whole rows of
    accumulators are updated by x[.., j, ..] for j in order, element-wise
    (each element still its own chain)."""
    literally(product)
    P, n, Q = x.shape
    for p in range(P):
        for j in range(n):
            for q in range(Q):
                if product:
                    out[p, q] *= x[p, j, q]
                else:
                    out[p, q] += x[p, j, q]


@_jit
def _fold(x, out, product):
    literally(product)
    P, n, Q = x.shape
    far = 1 << 62
    sp = abs(x.strides[0]) if P > 1 else far
    sq = abs(x.strides[2]) if Q > 1 else far
    if abs(x.strides[1]) > min(sp, sq):
        _columns(x, out, product)
    elif Q == 1:
        _rows(x[:, :, 0], out[:, 0], product)
    else:
        _strided(x, out, product)


@_jit
def _sum(x, out):
    _fold(x, out, False)


@_jit
def _prod(x, out):
    _fold(x, out, True)


def fold(x, out, product):
    """Fold x along axis 1 onto out (see the module's docstring)."""
    P, n, Q = x.shape
    if Q == 1 and P > 1 and abs(x.strides[0]) < abs(x.strides[1]):
        # the outer dim is the fastest: sweep it as the inner one (x is then
        # often C-contiguous again, which compiles to vector code)
        x, out = x[:, :, 0].T[None], out.reshape(1, P)
    (_prod if product else _sum)(x, out)
