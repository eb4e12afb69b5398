"""Index-based tensor operations (THTensorMath.c): indexSelect, indexCopy,
indexAdd, indexFill, gather, scatter, scatterFill, maskedSelect, maskedFill,
maskedCopy, nonzero.

Dimensions arrive 0-based; index tensors hold Torch's 1-based indices.  Checks,
their order and their messages follow TH; where TH writes element by element,
the NumPy version keeps TH's outcome (later duplicates win, additions in order).
"""
import numpy as np

from .errors import TorchError
from .math_support import answer, argcheck, argerror, new_like, size_desc, to_real
from .types import LONG


def _indices(index):
    """0-based indices of a 1-D LongTensor, and the position of the first one
    outside [0, n) once n is known (see _first_bad)."""
    return index.a.reshape(-1).astype(np.int64) - 1


def _first_bad(idx, n):
    if not idx.size or (idx.min() >= 0 and idx.max() < n):
        return None
    return int(np.flatnonzero((idx < 0) | (idx >= n))[0])


def _slice_shape(t, dim):
    return t.size[:dim] + t.size[dim + 1:]


def _check_index_vector(index):
    argcheck(index.dim() == 1, 3, "Index is supposed to be a vector")


def _check_dim(dim, nd, argn=4):
    argcheck(0 <= dim < nd, argn, "Indexing dim %d is out of bounds of tensor" % (dim + 1))


# -- index / indexCopy / indexAdd / indexFill ---------------------------------------
def index_select(r, src, dim, index):
    _check_index_vector(index)
    _check_dim(dim, src.dim())
    argcheck(src.dim() > 0, 2, "Source tensor is empty")
    given = r
    r = new_like(r, src.t)
    idx = _indices(index)
    size = list(src.size)
    size[dim] = idx.size
    r.resize(size)
    n = src.size[dim]
    bad = _first_bad(idx, n)
    if dim == 0 and src.is_contiguous() and r.is_contiguous():
        # TH's fast path checks every index before copying anything
        if bad is not None:
            raise TorchError("index out of range")
    elif bad is not None:
        if bad:
            _take_into(r, src, dim, idx[:bad], bad)
        # the 1-D path fails in get1d (argument 2), the others in select (argument 3)
        raise argerror(2 if src.dim() == 1 else 3, "out of range")
    if idx.size and r.size:
        _take_into(r, src, dim, idx, idx.size)
    return answer(r, given)


def _take_into(r, src, dim, idx, count):
    dst = r.a[(slice(None),) * dim + (slice(0, count),)]
    # indices are checked already; mode='wrap' lets take write into dst unbuffered
    np.take(src.a, idx, axis=dim, out=dst, mode="wrap")


def _source_slices(t, dim, src, count):
    """src's slices along dim, shaped as t's slices (TH copies slice to slice by
    element count, in logical order)."""
    s = np.moveaxis(src.a, dim, 0)[:count]
    tshape = _slice_shape(t, dim) if t.dim() > 1 else ()
    if s.shape[1:] != tshape:
        n_t = int(np.prod(tshape)) if tshape else 1
        n_s = int(np.prod(s.shape[1:])) if s.ndim > 1 else 1
        if n_t != n_s:
            raise TorchError(
                "inconsistent tensor size, expected tensor %s and src %s to have the same number "
                "of elements, but got %d and %d elements respectively"
                % (size_desc(tshape), size_desc(s.shape[1:]), n_t, n_s))
        s = s.reshape((s.shape[0],) + tshape)
    return s


def _index_write(t, dim, index, src, accumulate):
    idx = _indices(index)
    argcheck(index.dim() == 1, 3, "Index is supposed to be a vector")
    argcheck(dim < src.dim(), 4, "Indexing dim %d is out of bounds of tensor" % (dim + 1))
    if dim < 0:
        raise argerror(2, "out of range")
    argcheck(idx.size == src.size[dim], 4, "Number of indices should be equal to source:size(dim)")
    if t.dim() > 1:
        if not 0 <= dim < t.dim():
            raise argerror(2, "out of range")
    elif src.dim() != 1:
        raise argerror(1, "tensor must have one dimension")
    n = t.size[dim] if t.dim() > 1 else (t.size[0] if t.size else 0)
    bad = _first_bad(idx, n)
    count = idx.size if bad is None else bad
    vals = _source_slices(t, dim, src, count)
    tv = np.moveaxis(t.a, dim, 0) if t.dim() > 1 else t.a
    with np.errstate(over="ignore"):
        if accumulate:
            np.add.at(tv, idx[:count], vals.astype(t.t.dtype, copy=False))
        else:
            sel = idx[:count]
            # later duplicates overwrite earlier ones, as TH's loop does
            _, first_rev = np.unique(sel[::-1], return_index=True)
            keep = np.sort(sel.size - 1 - first_rev)
            tv[sel[keep]] = vals[keep]
    if bad is not None:
        raise argerror(3 if t.dim() > 1 else 2, "out of range")


def index_copy(t, dim, index, src):
    _index_write(t, dim, index, src, False)


def index_add(t, dim, index, src):
    _index_write(t, dim, index, src, True)


def index_fill(t, dim, index, val):
    idx = _indices(index)
    _check_index_vector(index)
    _check_dim(dim, t.dim())
    n = t.size[dim]
    bad = _first_bad(idx, n)
    sel = idx if bad is None else idx[:bad]
    np.moveaxis(t.a, dim, 0)[sel] = to_real(t.t, val)
    if bad is not None:
        raise argerror(3 if t.dim() > 1 else 2, "out of range")


# -- gather / scatter ---------------------------------------------------------------
def _dim_apply_check(names_tensors, dim):
    """TH_TENSOR_DIM_APPLY2/3's checks (dim is TH's 0-based dimension)."""
    first = names_tensors[0][1]
    if dim < 0 or dim >= first.dim():
        raise TorchError("invalid dimension %d (expected to be 0 <= dim < %d)" % (dim, first.dim()))
    descs = ", ".join("%s %s" % (n, size_desc(t.size)) for n, t in names_tensors[:-1])
    descs += " and %s %s" % (names_tensors[-1][0], size_desc(names_tensors[-1][1].size))
    if any(t.dim() != first.dim() for _, t in names_tensors):
        raise TorchError("inconsistent tensor size, expected %s to have the same number of "
                         "dimensions" % descs)
    for d in range(first.dim()):
        if d != dim and any(t.size[d] != first.size[d] for _, t in names_tensors):
            raise TorchError("Expected %s to have the same size in dimension %d" % (descs, dim))


def index_gather(r, src, dim, index):
    given = r
    r = new_like(r, src.t)
    r.resize(index.size)
    argcheck(src.dim() == r.dim(), 2, "Input tensor must have same dimensions as output tensor")
    argcheck(dim < r.dim(), 3, "Index dimension is out of bounds")
    argcheck(index.dim() == src.dim(), 4, "Index tensor must have same dimensions as input tensor")
    _dim_apply_check([("tensor", r), ("src", src), ("index", index)], dim)
    idx = index.a.astype(np.int64) - 1
    if _first_bad(idx.reshape(-1), src.size[dim]) is not None:
        raise TorchError("Invalid index in gather")
    np.copyto(r.a, np.take_along_axis(src.a, idx, axis=dim))
    return answer(r, given)


def _scatter(t, dim, index, src, value):
    argcheck(dim < t.dim(), 2, "Index dimension is out of bounds")
    argcheck(index.dim() == t.dim(), 3, "Index tensor must have same dimensions as output tensor")
    if src is not None:
        argcheck(src.dim() == t.dim(), 4, "Input tensor must have same dimensions as output tensor")
        _dim_apply_check([("tensor", t), ("src", src), ("index", index)], dim)
        if src.size[dim] < index.size[dim]:
            raise TorchError("Expected src %s to have at least %d elements in dimension %d"
                             % (size_desc(src.size), index.size[dim], dim))
    else:
        _dim_apply_check([("tensor", t), ("index", index)], dim)
    idx = np.moveaxis(index.a, dim, -1).astype(np.int64) - 1
    if _first_bad(idx.reshape(-1), t.size[dim]) is not None:
        raise TorchError("Invalid index in scatter")
    tv = np.moveaxis(t.a, dim, -1)
    fibers = np.indices(idx.shape[:-1])
    sv = np.moveaxis(src.a, dim, -1) if src is not None else to_real(t.t, value)
    # one step per position along dim, so a later duplicate overwrites an earlier one
    for i in range(idx.shape[-1]):
        where = tuple(fibers) + (idx[..., i],)
        tv[where] = sv[..., i] if src is not None else sv


def index_scatter(t, dim, index, src):
    _scatter(t, dim, index, src, None)


def index_scatter_fill(t, dim, index, value):
    _scatter(t, dim, index, None, value)


# -- masks ----------------------------------------------------------------------------
def _mask_values(mask, t, tname, mname="mask"):
    """The mask's elements in t's logical order, after TH_TENSOR_APPLY2's checks."""
    if t.nelement() != mask.nelement():
        raise TorchError(
            "inconsistent tensor size, expected %s %s and %s %s to have the same number of "
            "elements, but got %d and %d elements respectively"
            % (tname, size_desc(t.size), mname, size_desc(mask.size), t.nelement(),
               mask.nelement()))
    if not t.size:
        return None
    m = mask.a if mask.size == t.size else mask.a.reshape(t.size)
    if (m > 1).any():
        raise TorchError("Mask tensor can take 0 and 1 values only")
    return m == 1


def index_masked_select(r, src, mask):
    given = r
    r = new_like(r, src.t)
    count = int(mask.a.sum(dtype=np.int64)) if mask.size else 0
    r.resize((count,))
    m = _mask_values(mask, src, "src")
    if m is not None and count:
        np.copyto(r.a, src.a[m])
    return answer(r, given)


def index_masked_fill(t, mask, value):
    m = _mask_values(mask, t, "tensor")
    if m is not None:
        t.a[m] = to_real(t.t, value)


def index_masked_copy(t, mask, src):
    if t.nelement() != mask.nelement():
        raise TorchError("Number of elements of destination tensor != Number of elements in mask")
    m = _mask_values(mask, t, "tensor")
    if m is None:
        return
    vals = src.a.reshape(-1) if src.size else src.a
    k = int(m.sum())
    if k > vals.size:
        raise TorchError("Number of elements of src < number of ones in mask")
    t.a[m] = vals[:k]


def index_nonzero(r, t):
    """LongTensor of the 1-based subscripts of t's non-zero elements, one row each,
    in TH_TENSOR_APPLY order."""
    given = r
    r = new_like(r, LONG)
    sub = np.argwhere(t.a != 0) + 1 if t.size else np.zeros((0, 0), np.int64)
    r.resize((sub.shape[0], t.dim()))
    if r.size:
        np.copyto(r.a, sub)
    return answer(r, given)


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("index_") and callable(fn)}
