"""Spatial convolution kernels against plain NumPy references."""
import numpy as np
import pytest

from torchlua.kernels import conv
from torchlua.kernels import KernelError

RNG = np.random.default_rng(1234)
TOL = {np.float32: 2e-5, np.float64: 1e-12}


def rnd(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


def close(a, b, dtype):
    scale = max(1.0, float(np.abs(b).max()) if np.size(b) else 1.0)
    assert np.abs(np.asarray(a, np.float64) - b).max() <= TOL[dtype] * scale * 10


def ref_conv(x, w, b, kH, kW, dH, dW, pH, pW, dilH=1, dilW=1):
    """Direct definition: zero-padded input, strided/dilated taps."""
    x = x.astype(np.float64)
    w = w.astype(np.float64).reshape(w.shape[0], x.shape[1], kH, kW)
    N, C, H, W = x.shape
    xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))
    xp[:, :, pH:pH + H, pW:pW + W] = x
    oH = (H + 2 * pH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * pW - (dilW * (kW - 1) + 1)) // dW + 1
    out = np.zeros((N, w.shape[0], oH, oW))
    for i in range(kH):
        for j in range(kW):
            patch = xp[:, :, i * dilH:i * dilH + dH * (oH - 1) + 1:dH,
                       j * dilW:j * dilW + dW * (oW - 1) + 1:dW]
            out += np.einsum("ncyx,oc->noyx", patch, w[:, :, i, j])
    if b is not None:
        out += b.astype(np.float64)[None, :, None, None]
    return out


def ref_full_conv(x, w, b, kH, kW, dH, dW, pH, pW, aH, aW, dilH=1, dilW=1):
    """Transposed convolution by scattering every input pixel."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    N, C, H, W = x.shape
    nOut = w.shape[1]
    oH = (H - 1) * dH - 2 * pH + dilH * (kH - 1) + 1 + aH
    oW = (W - 1) * dW - 2 * pW + dilW * (kW - 1) + 1 + aW
    big = np.zeros((N, nOut, oH + 2 * pH + dH * 2 + dilH * kH, oW + 2 * pW + dW * 2 + dilW * kW))
    for i in range(H):
        for j in range(W):
            for ki in range(kH):
                for kj in range(kW):
                    big[:, :, i * dH + ki * dilH, j * dW + kj * dilW] += \
                        np.einsum("nc,co->no", x[:, :, i, j], w[:, :, ki, kj])
    out = big[:, :, pH:pH + oH, pW:pW + oW]
    if b is not None:
        out = out + b.astype(np.float64)[None, :, None, None]
    return out


CASES = [
    # C, H, W, kH, kW, dH, dW, pH, pW, dilH, dilW
    (3, 7, 9, 3, 2, 1, 2, 2, 1, 2, 1),
    (2, 5, 5, 5, 5, 1, 1, 0, 0, 1, 1),
    (4, 11, 8, 3, 3, 2, 3, 1, 1, 1, 1),
    (1, 6, 7, 2, 3, 3, 1, 0, 2, 2, 3),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", CASES)
def test_im2col_layout_and_adjoint(dtype, case):
    C, H, W, kH, kW, dH, dW, pH, pW, dilH, dilW = case
    x = rnd(C, H, W, dtype=dtype)
    cols = conv.im2col(x, kH, kW, dH, dW, pH, pW, dilH, dilW)
    assert cols.dtype == dtype
    oH, oW = conv.conv2d_output_size(H, W, kH, kW, dH, dW, pH, pW, dilH, dilW)
    assert cols.shape == (C * kH * kW, oH * oW)
    # row (c*kH + i)*kW + j holds tap (i, j) of channel c
    xp = np.zeros((C, H + 2 * pH, W + 2 * pW), dtype)
    xp[:, pH:pH + H, pW:pW + W] = x
    for c in range(C):
        for i in range(kH):
            for j in range(kW):
                want = xp[c, i * dilH:i * dilH + dH * (oH - 1) + 1:dH,
                          j * dilW:j * dilW + dW * (oW - 1) + 1:dW].ravel()
                assert np.array_equal(cols[(c * kH + i) * kW + j], want)
    # col2im is the adjoint of im2col
    y = rnd(*cols.shape, dtype=dtype)
    back = conv.col2im(y, C, H, W, kH, kW, dH, dW, pH, pW, dilH, dilW)
    assert back.dtype == dtype and back.shape == (C, H, W)
    lhs = np.vdot(cols.astype(np.float64), y.astype(np.float64))
    rhs = np.vdot(x.astype(np.float64), back.astype(np.float64))
    assert abs(lhs - rhs) <= TOL[dtype] * 100 * max(1, abs(lhs))
    # accumulation into a given buffer
    acc = np.ones((C, H, W), dtype)
    conv.col2im(y, C, H, W, kH, kW, dH, dW, pH, pW, dilH, dilW, out=acc)
    close(acc, back.astype(np.float64) + 1, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("batch", [True, False])
def test_conv2d_forward_backward(dtype, case, batch):
    C, H, W, kH, kW, dH, dW, pH, pW, dilH, dilW = case
    N, nOut = 2, 3
    x = rnd(N, C, H, W, dtype=dtype)
    w = rnd(nOut, C, kH, kW, dtype=dtype)
    b = rnd(nOut, dtype=dtype)
    args = (kW, kH, dW, dH, pW, pH, dilW, dilH)
    xin = x if batch else x[0]
    y = conv.conv2d_forward(xin, w, b, *args)
    assert y.dtype == dtype and y.ndim == xin.ndim
    ref = ref_conv(x, w, b, kH, kW, dH, dW, pH, pW, dilH, dilW)
    close(y, ref if batch else ref[0], dtype)
    # 'mm' accepts the 2-D weight too
    if dilH == dilW == 1:
        y2 = conv.conv2d_forward(xin, w.reshape(nOut, -1), b, *args)
        assert np.array_equal(y, y2)
    # backward input: adjoint of the (bias-free) forward
    g = rnd(*y.shape, dtype=dtype)
    gi = conv.conv2d_backward_input(xin, g, w, *args)
    assert gi.shape == xin.shape and gi.dtype == dtype
    y0 = conv.conv2d_forward(xin, w, None, *args)
    lhs = np.vdot(y0.astype(np.float64), g.astype(np.float64))
    rhs = np.vdot(xin.astype(np.float64), gi.astype(np.float64))
    assert abs(lhs - rhs) <= TOL[dtype] * 1000 * max(1, abs(lhs))
    # parameters: <conv(x; v), g> = <v, dW>, bias gradient = scale * sum(g)
    gw = np.full(w.shape, 0.5, dtype)
    gb = np.full(b.shape, 0.25, dtype)
    finput = np.empty((N if batch else 1, C * kH * kW, y.shape[-2] * y.shape[-1]), dtype)
    conv.conv2d_forward(xin, w, b, *args, finput=finput)
    conv.conv2d_acc_grad_params(xin, g, gw, gb, *args, scale=0.5, finput=finput)
    v = rnd(*w.shape, dtype=np.float64)
    yv = ref_conv(x, v, None, kH, kW, dH, dW, pH, pW, dilH, dilW)
    gg = g.astype(np.float64) if batch else g.astype(np.float64)[None]
    lhs = 0.5 * np.vdot(yv[:gg.shape[0]], gg)
    rhs = np.vdot(v, gw.astype(np.float64) - 0.5)
    assert abs(lhs - rhs) <= TOL[dtype] * 1000 * max(1, abs(lhs))
    axes = (0, 2, 3) if batch else (1, 2)
    close(gb, 0.25 + 0.5 * g.astype(np.float64).sum(axis=axes), dtype)
    # recomputing the columns gives the same gradient
    gw2 = np.full(w.shape, 0.5, dtype)
    conv.conv2d_acc_grad_params(xin, g, gw2, None, *args, scale=0.5)
    assert np.array_equal(gw, gw2)


FULL = [
    # C, H, W, kH, kW, dH, dW, pH, pW, aH, aW, dilH, dilW
    (3, 4, 5, 3, 3, 2, 2, 1, 1, 1, 0, 1, 1),
    (2, 3, 3, 4, 2, 1, 3, 0, 1, 0, 2, 1, 1),
    (2, 5, 4, 3, 2, 2, 1, 1, 0, 0, 0, 2, 3),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", FULL)
@pytest.mark.parametrize("batch", [True, False])
def test_full_conv2d(dtype, case, batch):
    C, H, W, kH, kW, dH, dW, pH, pW, aH, aW, dilH, dilW = case
    N, nOut = 2, 3
    x = rnd(N, C, H, W, dtype=dtype)
    w = rnd(C, nOut, kH, kW, dtype=dtype)
    b = rnd(nOut, dtype=dtype)
    args = (kW, kH, dW, dH, pW, pH, aW, aH, dilW, dilH)
    xin = x if batch else x[0]
    y = conv.full_conv2d_forward(xin, w, b, *args)
    ref = ref_full_conv(x, w, b, kH, kW, dH, dW, pH, pW, aH, aW, dilH, dilW)
    assert y.dtype == dtype
    close(y, ref if batch else ref[0], dtype)
    g = rnd(*y.shape, dtype=dtype)
    gi = conv.full_conv2d_backward_input(xin, g, w, *args)
    y0 = conv.full_conv2d_forward(xin, w, None, *args)
    lhs = np.vdot(y0.astype(np.float64), g.astype(np.float64))
    rhs = np.vdot(xin.astype(np.float64), gi.astype(np.float64))
    assert abs(lhs - rhs) <= TOL[dtype] * 1000 * max(1, abs(lhs))
    gw = np.zeros(w.shape, dtype)
    gb = np.zeros(b.shape, dtype)
    conv.full_conv2d_acc_grad_params(xin, g, gw, gb, *args, scale=2.0)
    v = rnd(*w.shape)
    yv = ref_full_conv(x, v, None, kH, kW, dH, dW, pH, pW, aH, aW, dilH, dilW)
    gg = g.astype(np.float64) if batch else g.astype(np.float64)[None]
    lhs = 2.0 * np.vdot(yv[:gg.shape[0]], gg)
    assert abs(lhs - np.vdot(v, gw.astype(np.float64))) <= TOL[dtype] * 1000 * max(1, abs(lhs))
    close(gb, 2.0 * gg.sum(axis=(0, 2, 3)), dtype)


def test_conv_against_scipy():
    signal = pytest.importorskip("scipy.signal")
    x = rnd(1, 2, 9, 8)
    w = rnd(3, 2, 4, 3)
    y = conv.conv2d_forward(x, w, None, 3, 4, 1, 1, 0, 0)
    for o in range(3):
        want = sum(signal.correlate2d(x[0, c], w[o, c], mode="valid") for c in range(2))
        assert np.allclose(y[0, o], want, atol=1e-12)


def test_thnn_error_messages():
    x = rnd(3, 5, 5)
    w = rnd(128, 3, 7, 7)
    with pytest.raises(KernelError) as e:
        conv.conv2d_forward(x, w, None, 7, 7, 1, 1, 0, 0)
    assert str(e.value) == ("Given input size: (3 x 5 x 5). Calculated output size: "
                            "(128 x -1 x -1). Output size is too small")
    with pytest.raises(ValueError, match=r"^3D or 4D input tensor expected but got: \[5 x 5\]$"):
        conv.conv2d_forward(rnd(5, 5), w, None, 7, 7, 1, 1, 0, 0)
    with pytest.raises(KernelError) as e:
        conv.conv2d_forward(rnd(2, 8, 8), rnd(4, 3, 3, 3), None, 3, 3, 1, 1, 0, 0)
    assert str(e.value) == ("Need input of dimension 3 and input.size[0] == 3 but got input "
                            "to be of shape: [2 x 8 x 8]")
    with pytest.raises(KernelError) as e:
        conv.conv2d_forward(rnd(3, 8, 8), rnd(4, 3, 3, 3), None, 0, 3, 1, 1, 0, 0)
    assert e.value.argnum == 9
    assert str(e.value) == "kernel size should be greater than zero, but got kH: 3 kW: 0"
    with pytest.raises(KernelError) as e:
        conv.conv2d_backward_input(rnd(3, 8, 8), rnd(4, 6, 5), rnd(4, 3, 3, 3), 3, 3, 1, 1, 0, 0)
    assert str(e.value) == ("Need gradOutput of dimension 3 and gradOutput.size[2] == 6 but "
                            "got gradOutput to be of shape: [4 x 6 x 5]")
    with pytest.raises(KernelError) as e:
        conv.conv2d_forward(rnd(3, 8, 8), rnd(4, 3, 3, 3), rnd(5), 3, 3, 1, 1, 0, 0)
    assert str(e.value).startswith("Need bias of dimension 1 and bias.size[0] == 4")
    with pytest.raises(KernelError) as e:
        conv.conv2d_forward(rnd(3, 8, 8), rnd(4, 3, 3, 3), None, 3, 3, 1, 1, 0, 0,
                            variant="dilated", dilW=0)
    assert e.value.argnum == 15
    with pytest.raises(KernelError, match="^4D weight tensor"):
        conv.conv2d_forward(rnd(3, 8, 8), rnd(4, 27), None, 3, 3, 1, 1, 0, 0, 2, 2)
    with pytest.raises(KernelError, match="^output padding must be smaller"):
        conv.full_conv2d_forward(rnd(3, 4, 4), rnd(3, 2, 3, 3), None, 3, 3, 1, 1, 0, 0, 1, 0)
    gw = np.zeros((4, 3, 3, 3))[..., ::-1]
    with pytest.raises(KernelError, match="^gradWeight needs to be contiguous$"):
        conv.conv2d_acc_grad_params(rnd(3, 8, 8), rnd(4, 6, 6), gw, None, 3, 3, 1, 1, 0, 0)
    with pytest.raises(KernelError, match=r"^size mismatch, m1: \[4 x 26\], m2: \[18 x 36\]$"):
        conv.conv2d_forward(rnd(2, 8, 8), rnd(4, 26), None, 3, 3, 1, 1, 0, 0)


def test_truncated_output_size_reads_no_garbage():
    # C truncation makes THNN compute one output row for an input shorter than
    # the kernel; the missing taps must read as zeros, not as foreign memory.
    x = rnd(1, 1, 4, 6)
    w = rnd(1, 1, 5, 1)
    y = conv.conv2d_forward(x, w, None, 1, 5, 1, 2, 0, 0)
    assert y.shape == (1, 1, 1, 6)
    assert np.allclose(y[0, 0, 0], (w[0, 0, :4, 0, None] * x[0, 0]).sum(0))


def test_profile_hook_records_phases():
    x = rnd(2, 3, 12, 12)
    w = rnd(4, 3, 3, 3)
    with conv.profile() as t:
        y = conv.conv2d_forward(x, w, rnd(4), 3, 3, 1, 1, 1, 1)
        conv.conv2d_backward_input(x, y, w, 3, 3, 1, 1, 1, 1)
    assert t["gemm"] > 0 and t["im2col"] > 0 and t["col2im"] > 0
