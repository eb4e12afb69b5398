"""Torch7's text for tensors and storages (what `tostring(x)` returns).

Follows the rules of Torch7's Tensor.lua (HEAD): one print format chosen over all
elements after conversion to double, an optional `%g *` scale line, `Columns a to b`
blocks for wide matrices, `(i,j,.,.) = ` slice headers and a `[torch.XTensor of size ...]`
footer. The result ends with a newline; `print` adds another.

Fields are rendered with NumPy digit arithmetic so that a 1000x1000 tensor prints in a
fraction of a second; every field is byte-identical to C printf (`%7.4f`, `%11.4e`,
`%5d`, ...), values whose rounding is too close to call in floating point are redone
with Python's exactly rounded `%`, and anything unusual (overflowing widths, inf, the
NaN fallback to `%f`) goes through Python's `%` entirely.
"""
import math

import numpy as np

__all__ = ["format_tensor", "format_storage"]

_SPACE, _MINUS, _PLUS, _DOT, _ZERO, _E = (ord(c) for c in " -+.0e")
_POW10 = np.array([10 ** k for k in range(19)], dtype=np.int64)
# Torch splits matrices so that a line stays within 80 characters.
_LINE_WIDTH = 80


# ---------------------------------------------------------------- format choice

def _exponent(x):
    """floor(log10(x)) + 1 as Lua computes it, kept as a float so inf/NaN flow on."""
    if x == 0:
        return 1.0
    lg = math.log10(x)  # libm log10, as Lua's math.log10
    return float(math.floor(lg)) + 1.0 if math.isfinite(lg) else lg + 1.0


def _print_format(flat):
    """(printf format, scale or None, field size) for a non-empty float64 vector.

    The field size is NaN when a NaN is present; Torch then builds the format '%nan.4f'
    and falls back to '%f'.
    """
    # NaN fails the test (so no intMode); +-inf passes it.
    int_mode = bool(np.all(flat == np.ceil(flat)))
    mags = np.abs(flat)
    # np.min/np.max propagate NaN, as TH's minall/maxall do.
    exp_min = _exponent(float(mags.min()))
    exp_max = _exponent(float(mags.max()))
    scale = None
    if int_mode:
        if exp_max > 9:
            fmt, sz = "%11.4e", 11
        else:
            sz = exp_max + 1
            fmt = "%%%dd" % sz
    elif exp_max - exp_min > 4:
        sz = 11
        if abs(exp_max) > 99 or abs(exp_min) > 99:
            sz = 12
        fmt = "%%%d.4e" % sz
    elif exp_max > 5 or exp_max < 0:
        sz = 7
        fmt = "%7.4f"
        scale = math.pow(10, exp_max - 1)
    else:
        sz = 7 if exp_max == 0 else exp_max + 6
        fmt = "%f" if math.isnan(sz) else "%%%d.4f" % sz
    if scale == 1:
        scale = None
    return fmt, scale, sz


# ---------------------------------------------------------------- field rendering

def _ndigits(q):
    """Number of decimal digits of non-negative int64 values (0 has one)."""
    return np.maximum(np.searchsorted(_POW10, q, side="right"), 1)


def _put_digits(chars, end_col, value, count=None):
    """Write decimal digits of `value` right-aligned so the last one is at `end_col`.

    With `count` (per element) only that many low digits are written; without it, all
    elements get the same number of digits (the width of the widest value).
    """
    value = value.copy()
    ndig = len(str(int(value.max()))) if count is None else int(count.max())
    for j in range(ndig):
        digit = (_ZERO + value % 10).astype(np.uint8)
        col = end_col - j
        # Whole-column writes: fancy indexing per element is several times slower.
        chars[:, col] = digit if count is None else np.where(j < count, digit, chars[:, col])
        value //= 10


def _put_sign(chars, neg, col):
    """'-' at column col[i] (per element) for the negative elements."""
    idx = np.flatnonzero(neg)
    chars[idx, col[idx]] = _MINUS


def _render_int(vals, width):
    """'%<width>d' of integral doubles (C casts to an integer, so -0.0 prints 0)."""
    q = np.abs(vals).astype(np.int64)
    neg = vals < 0
    nd = _ndigits(q)
    if int((nd + neg).max()) > width:
        return None
    chars = np.full((vals.size, width), _SPACE, dtype=np.uint8)
    _put_digits(chars, width - 1, q, nd)
    _put_sign(chars, neg, width - 1 - nd)
    return chars


def _render_fixed(vals, width):
    """'%<width>.4f': the exact binary value rounded half-even to 4 decimals."""
    mags = np.abs(vals)
    y = mags * 1e4
    # Below 2^31 the product's error (half an ulp, < 2.4e-7) cannot move a value
    # across a rounding boundary unless it lies within 1e-6 of one.
    hard = (y >= 2.0 ** 31) | (np.abs(y - np.floor(y) - 0.5) < 1e-6)
    q = np.rint(np.where(hard, 0.0, y)).astype(np.int64)
    for i in np.flatnonzero(hard):
        exact = int(("%.4f" % mags[i]).replace(".", ""))
        if exact >= 10 ** 18:
            return None  # wider than any Torch field; let Python format everything
        q[i] = exact
    ip, fp = q // 10000, q % 10000
    nd = _ndigits(ip)
    neg = np.signbit(vals)  # C prints the sign of -0.0 and of negatives rounding to 0
    if int((nd + neg).max()) + 5 > width:
        return None
    chars = np.full((vals.size, width), _SPACE, dtype=np.uint8)
    _put_digits(chars, width - 1, fp + 10000)  # the leading 1 is overwritten by '.'
    chars[:, width - 5] = _DOT
    _put_digits(chars, width - 6, ip, nd)
    _put_sign(chars, neg, width - 6 - nd)
    return chars


def _mantissa(mags, e):
    """mags / 10^(e-4), using the exactly representable power where there is one."""
    return np.where(e >= 4, mags / np.power(10.0, np.maximum(e - 4, 0)),
                    mags * np.power(10.0, np.maximum(4 - e, 0)))


def _render_exp(vals, width):
    """'%<width>.4e': 5 significant digits, exponent of at least two digits."""
    mags = np.abs(vals)
    zero = mags == 0
    e = np.floor(np.log10(np.where(zero, 1.0, mags)))
    extreme = (e > 300) | (e < -300)  # powers of ten would overflow: do them exactly
    e = np.where(extreme, 0.0, e).astype(np.int64)
    # Extreme values give inf/NaN mantissas here; they are redone exactly below.
    with np.errstate(over="ignore", invalid="ignore"):
        m = _mantissa(mags, e)
        # log10 may be off by one near powers of ten; move the exponent once.
        e = e - ((m < 10000) & ~zero) + (m >= 100000)
        m = _mantissa(mags, e)
        hard = extreme | (~zero & ((m < 10000) | (m >= 100000))) \
            | (np.abs(m - np.floor(m) - 0.5) < 1e-6)
    q = np.rint(np.where(hard, 0.0, m)).astype(np.int64)
    carry = q == 100000
    q[carry] = 10000
    e[carry] += 1
    for i in np.flatnonzero(hard):
        digits, exp = ("%.4e" % mags[i]).split("e")
        q[i] = int(digits.replace(".", ""))
        e[i] = int(exp)
    e[zero] = 0
    neg = np.signbit(vals)
    eabs = np.abs(e)
    ne = np.where(eabs >= 100, 3, 2)
    if int((ne + neg).max()) + 8 > width:
        return None
    chars = np.full((vals.size, width), _SPACE, dtype=np.uint8)
    # Elements sharing an exponent length share every column but the sign's.
    for digits in (2, 3):
        idx = np.flatnonzero(ne == digits)
        if idx.size == 0:
            continue
        sub = chars if idx.size == vals.size else chars[idx]
        _put_digits(sub, width - 1, eabs[idx] + 10 ** digits)  # leading 1 overwritten
        col = width - 1 - digits
        sub[:, col] = np.where(e[idx] < 0, _MINUS, _PLUS)
        sub[:, col - 1] = _E
        _put_digits(sub, col - 2, q[idx] % 10000 + 10000)  # leading 1 overwritten
        sub[:, col - 6] = _DOT
        sub[:, col - 7] = _ZERO + q[idx] // 10000
        _put_sign(sub, neg[idx], np.full(idx.size, col - 8))
        if sub is not chars:
            chars[idx] = sub
    return chars


def _render(fmt, vals):
    """Fields for `vals` (float64, 1-D): a uint8 array (n, width) of equal-width fields,
    or an object array of str when they cannot all be rendered at the format's width."""
    chars = None
    if fmt != "%f" and vals.size and np.all(np.isfinite(vals)):
        width = int(fmt[1:].split(".")[0].rstrip("d"))
        kind = fmt[-1]
        if kind == "d":
            chars = _render_int(vals, width)
        elif kind == "f":
            chars = _render_fixed(vals, width)
        else:
            chars = _render_exp(vals, width)
    if chars is not None:
        return chars
    # Python's %d truncates a float as Lua's does (-0.0 gives 0).
    out = np.empty(vals.size, dtype=object)
    out[:] = [fmt % v for v in vals.tolist()]
    return out


def _lines(block, prefix):
    """Rows of a (rows, cols[, width]) field block: prefix, fields joined by one space, newline."""
    if block.dtype == object:
        return "".join(prefix + " ".join(row) + "\n" for row in block.tolist())
    nrows, ncols, width = block.shape
    pre = prefix.encode("ascii")
    out = np.empty((nrows, len(pre) + ncols * (width + 1)), dtype=np.uint8)
    out[:, :len(pre)] = np.frombuffer(pre, dtype=np.uint8)
    body = out[:, len(pre):].reshape(nrows, ncols, width + 1)
    body[:, :, :width] = block
    body[:, :, width] = _SPACE
    body[:, -1, width] = ord("\n")
    return out.tobytes().decode("ascii")


def _fields_shaped(fields, shape):
    if fields.dtype == object:
        return fields.reshape(shape)
    return fields.reshape(tuple(shape) + (fields.shape[1],))


# ---------------------------------------------------------------- layout

def _scaled(flat, scale):
    if scale is None:
        return flat
    # pow(10, e) underflows to 0 below 1e-323; Lua then divides by zero without complaint.
    with np.errstate(divide="ignore", invalid="ignore"):
        return flat / scale


def _vector_text(flat, fmt, scale):
    head = ("%g *\n" % scale) if scale is not None else ""
    vals = _scaled(flat, scale)
    fields = _render(fmt, vals)
    return head + _lines(_fields_shaped(fields, (flat.size, 1)), "")


def _matrix_text(fields, indent, scale, sz):
    """One matrix; `fields` is shaped (rows, cols[, width])."""
    ncols = fields.shape[1]
    if math.isnan(sz):
        per_line = ncols  # NaN column count: Torch never splits
    else:
        per_line = int((_LINE_WIDTH - len(indent)) // (sz + 1))
    split = per_line < ncols
    # Quirks kept from Torch: only the first 'Columns' line carries the indent, and
    # scaled rows get one space more than the indent.
    prefix = indent + (" " if scale is not None else "")
    parts = []
    first = 1
    while first <= ncols:
        last = min(first + per_line - 1, ncols)
        if split:
            parts.append("%sColumns %d to %d\n" % (indent if first == 1 else "\n", first, last))
        if scale is not None:
            parts.append("%s%g *\n" % (indent, scale))
        parts.append(_lines(fields[:, first - 1:last], prefix))
        first = last + 1
    return "".join(parts)


def _slices_text(fields, shape, scale, sz):
    """Tensors of 3 or more dimensions: one matrix per leading index, first index fastest."""
    lead = shape[:-2]
    counter = [1] * len(lead)
    parts = []
    while True:
        header = "(" + "".join("%d," % c for c in counter) + ".,.) = \n"
        parts.append(header + _matrix_text(fields[tuple(c - 1 for c in counter)], " ", scale, sz))
        for i, n in enumerate(lead):
            if counter[i] < n:
                counter[i] += 1
                break
            counter[i] = 1
        else:
            break
    return "\n".join(parts)


def format_tensor(typename, arr):
    """Exactly what Torch7's tostring(tensor) returns, final newline included.

    typename: the tensor's torch.typename (e.g. 'torch.FloatTensor'), used verbatim.
    arr: the tensor's elements with its shape; a 0-size or 0-d array is a tensor
    with no dimension.
    """
    arr = np.asarray(arr)
    if arr.ndim == 0 or arr.size == 0:
        return "[%s with no dimension]\n" % typename
    shape = arr.shape
    flat = np.ascontiguousarray(arr, dtype=np.float64).reshape(-1)
    fmt, scale, sz = _print_format(flat)
    size_text = "x".join(str(n) for n in shape)
    footer = "[%s of size %s]\n" % (typename, size_text)
    if arr.ndim == 1:
        return _vector_text(flat, fmt, scale) + footer
    fields = _fields_shaped(_render(fmt, _scaled(flat, scale)), shape)
    if arr.ndim == 2:
        return _matrix_text(fields, "", scale, sz) + footer
    return _slices_text(fields, shape, scale, sz) + footer


def format_storage(typename, arr):
    """Exactly what Torch7's tostring(storage) returns (e.g. print(x:size()) for a
    LongStorage): one element a line, then '[torch.LongStorage of size N]'."""
    flat = np.ascontiguousarray(np.asarray(arr), dtype=np.float64).reshape(-1)
    footer = "[%s of size %d]\n" % (typename, flat.size)
    if flat.size == 0:
        return footer
    fmt, scale, _ = _print_format(flat)
    return _vector_text(flat, fmt, scale) + footer
