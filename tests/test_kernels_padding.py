"""Reflection / replication padding against numpy.pad (and crops for negative pads)."""
import numpy as np
import pytest

from torchlua.kernels import padding, KernelError

RNG = np.random.default_rng(21)
DTYPES = [np.float32, np.float64]


def ref_pad(x, pads, mode):
    """pads: per trailing axis (before, after); negative = crop."""
    lead = x.ndim - len(pads)
    grow = [(0, 0)] * lead + [(max(a, 0), max(b, 0)) for a, b in pads]
    y = np.pad(x, grow, mode=mode)
    sl = [slice(None)] * lead
    for (a, b), n in zip(pads, y.shape[lead:]):
        sl.append(slice(max(-a, 0), n - max(-b, 0)))
    return y[tuple(sl)]


CASES2 = [(1, 2, 2, 0), (0, 0, 0, 0), (3, 1, 0, 2), (-1, 2, 1, -2)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pads", CASES2)
@pytest.mark.parametrize("kind", ["reflection", "replication"])
@pytest.mark.parametrize("batch", [True, False])
def test_pad2d(dtype, pads, kind, batch):
    l, r, t, b = pads
    x = RNG.standard_normal((2, 3, 5, 6)).astype(dtype)
    xin = x if batch else x[0]
    fwd = getattr(padding, kind + "_pad2d_forward")
    bwd = getattr(padding, kind + "_pad2d_backward")
    y = fwd(xin, l, r, t, b)
    mode = "reflect" if kind == "reflection" else "edge"
    assert y.dtype == dtype
    assert np.array_equal(y, ref_pad(xin, [(t, b), (l, r)], mode))
    g = RNG.standard_normal(y.shape).astype(dtype)
    gi = bwd(xin, g, l, r, t, b)
    # adjoint of the copy: every output pixel's gradient goes to its source
    lhs = np.vdot(y.astype(np.float64), g.astype(np.float64))
    assert abs(lhs - np.vdot(xin.astype(np.float64), gi.astype(np.float64))) < 1e-4 * max(1, abs(lhs))
    idx = np.arange(xin.size, dtype=np.float64).reshape(xin.shape)
    src = ref_pad(idx, [(t, b), (l, r)], mode).astype(np.int64)
    want = np.bincount(src.ravel(), weights=g.astype(np.float64).ravel(), minlength=xin.size)
    assert np.allclose(gi.ravel(), want, atol=1e-5)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pads", [(1, 2, 0, 3, 2, 1), (0, 0, 1, 1, 0, 0), (-1, 1, 2, -1, 1, 0)])
def test_replication_pad3d(dtype, pads):
    pl, pr, pt, pb, pf, pk = pads
    x = RNG.standard_normal((2, 2, 4, 5, 3)).astype(dtype)
    y = padding.replication_pad3d_forward(x, pl, pr, pt, pb, pf, pk)
    assert np.array_equal(y, ref_pad(x, [(pf, pk), (pt, pb), (pl, pr)], "edge"))
    g = RNG.standard_normal(y.shape).astype(dtype)
    gi = padding.replication_pad3d_backward(x, g, pl, pr, pt, pb, pf, pk)
    idx = np.arange(x.size, dtype=np.float64).reshape(x.shape)
    src = ref_pad(idx, [(pf, pk), (pt, pb), (pl, pr)], "edge").astype(np.int64)
    want = np.bincount(src.ravel(), weights=g.astype(np.float64).ravel(), minlength=x.size)
    assert gi.dtype == dtype and np.allclose(gi.ravel(), want, atol=1e-5)
    y1 = padding.replication_pad3d_forward(x[1], pl, pr, pt, pb, pf, pk)
    assert np.array_equal(y1, y[1])


def test_padding_errors():
    x = np.zeros((1, 3, 3))
    # THNN would read outside the input for a reflection as wide as the input
    with pytest.raises(KernelError):
        padding.reflection_pad2d_forward(x, 3, 0, 0, 0)
    with pytest.raises(KernelError) as e:
        padding.replication_pad2d_forward(x, -2, -2, -2, -2)
    assert str(e.value) == "input (H: 3, W: 3)is too small. Calculated output H: -1 W: -1"
    y = padding.replication_pad2d_forward(x, 1, 1, 1, 1)
    with pytest.raises(KernelError, match="^gradOutput width unexpected. Expected: 5, Got: 4$"):
        padding.replication_pad2d_backward(x, y[..., :4], 1, 1, 1, 1)
    with pytest.raises(KernelError, match="^4D or 5D"):
        padding.replication_pad3d_forward(x, 1, 1, 1, 1, 1, 1)
