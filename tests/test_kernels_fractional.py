"""Fractional max pooling against a NumPy reference of THNN's interval rule."""
import numpy as np
import pytest

from torchlua.kernels import fractional, KernelError

RNG = np.random.default_rng(7)
DTYPES = [np.float32, np.float64]


def ref_intervals(u, n_in, n_out, pool, dtype):
    real = np.dtype(dtype).type
    if n_out == 1:
        return [n_in - pool]
    alpha = real(n_in - pool) / real(n_out - 1)
    seq = [int(real(real(i) + u) * alpha) - int(real(u * alpha)) for i in range(n_out - 1)]
    return seq + [n_in - pool]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("sizes", [(9, 11, 4, 5, 2, 3), (7, 7, 1, 3, 2, 2), (10, 6, 6, 2, 3, 4)])
def test_fractional_2d(dtype, sizes):
    H, W, oH, oW, pH, pW = sizes
    N, C = 2, 3
    x = RNG.standard_normal((N, C, H, W)).astype(dtype)
    u = RNG.random((N, C, 2)).astype(dtype)
    out, ind = fractional.fractional_max_pool2d_forward(x, oW, oH, pW, pH, u)
    assert out.dtype == dtype and out.shape == (N, C, oH, oW)
    g = RNG.standard_normal(out.shape).astype(dtype)
    want_gi = np.zeros((N, C, H * W))
    for n in range(N):
        for c in range(C):
            sw = ref_intervals(u[n, c, 0], W, oW, pW, dtype)
            sh = ref_intervals(u[n, c, 1], H, oH, pH, dtype)
            for i in range(oH):
                for j in range(oW):
                    win = x[n, c, sh[i]:sh[i] + pH, sw[j]:sw[j] + pW]
                    k = win.argmax()
                    assert out[n, c, i, j] == win.max()
                    flat = (sh[i] + k // pW) * W + sw[j] + k % pW
                    assert ind[n, c, i, j] == flat + 1
                    want_gi[n, c, flat] += g[n, c, i, j]
    gi = fractional.fractional_max_pool2d_backward(x, g, oW, oH, pW, pH, ind)
    assert gi.dtype == dtype and np.allclose(gi.reshape(N, C, -1), want_gi, atol=1e-6)
    o3, i3 = fractional.fractional_max_pool2d_forward(x[1], oW, oH, pW, pH, u[1])
    assert np.array_equal(o3, out[1]) and np.array_equal(i3, ind[1])


@pytest.mark.parametrize("dtype", DTYPES)
def test_fractional_3d(dtype):
    N, C, H, W, T = 2, 2, 7, 6, 8
    oH, oW, oT, pH, pW, pT = 3, 4, 5, 2, 2, 3
    x = RNG.standard_normal((N, C, H, W, T)).astype(dtype)
    u = RNG.random((N, C, 3)).astype(dtype)   # [T, W, H]
    out, ind = fractional.fractional_max_pool3d_forward(x, oT, oW, oH, pT, pW, pH, u)
    assert out.shape == (N, C, oH, oW, oT)
    g = RNG.standard_normal(out.shape).astype(dtype)
    want = np.zeros((N, C, H * W * T))
    for n in range(N):
        for c in range(C):
            st = ref_intervals(u[n, c, 0], T, oT, pT, dtype)
            sw = ref_intervals(u[n, c, 1], W, oW, pW, dtype)
            sh = ref_intervals(u[n, c, 2], H, oH, pH, dtype)
            for i in range(oH):
                for j in range(oW):
                    for k in range(oT):
                        win = x[n, c, sh[i]:sh[i] + pH, sw[j]:sw[j] + pW, st[k]:st[k] + pT]
                        a = np.unravel_index(win.argmax(), win.shape)
                        flat = ((sh[i] + a[0]) * W + sw[j] + a[1]) * T + st[k] + a[2]
                        assert out[n, c, i, j, k] == win.max()
                        assert ind[n, c, i, j, k] == flat + 1
                        want[n, c, flat] += g[n, c, i, j, k]
    gi = fractional.fractional_max_pool3d_backward(x, g, oT, oW, oH, pT, pW, pH, ind)
    assert np.allclose(gi.reshape(N, C, -1), want, atol=1e-6)


def test_fractional_errors():
    x = np.zeros((1, 3, 6, 6))
    u = np.full((1, 3, 2), 0.5)
    with pytest.raises(KernelError) as e:
        fractional.fractional_max_pool2d_forward(x, 3, 4, 2, 3, u)
    assert e.value.argnum == 7
    assert str(e.value) == "poolSizeH (3) too large relative to input height (6)"
    x = np.full((1, 1, 5, 5), -np.inf)
    with pytest.raises(KernelError, match="Assertion `maxVal != -THInf' failed"):
        fractional.fractional_max_pool2d_forward(x, 2, 2, 2, 2, np.full((1, 1, 2), 0.3))
    x = np.zeros((1, 1, 5, 5))
    out, ind = fractional.fractional_max_pool2d_forward(x, 2, 2, 2, 2, np.full((1, 1, 2), 0.3))
    with pytest.raises(KernelError, match="^gradOutput width unexpected$"):
        fractional.fractional_max_pool2d_backward(x, out[..., :1], 2, 2, 2, 2, ind)
    ind[0, 0, 0, 0] = 26
    with pytest.raises(KernelError, match="Assertion `index >= 0"):
        fractional.fractional_max_pool2d_backward(x, out, 2, 2, 2, 2, ind)
