"""NumPy/SciPy baselines of the benchmark cases of scripts/bench.py.

Each baseline computes what the matching Lua case (scripts/bench_lua.py)
computes, written directly in NumPy (SciPy's BLAS wrapper for addmm when
available), and is timed in this process with the same repeat policy as the
Lua harness: warm-up, then repeats until enough repeats and enough time; each
result is (median, minimum) in seconds.
"""
import os
import tempfile
import time

import numpy as np

try:
    from scipy.linalg import blas as _blas
except ImportError:  # SciPy is optional: addmm then uses matmul + add
    _blas = None


def measure(f, repeat, inner=1, clock=time.perf_counter):
    for _ in range(repeat["warm"]):
        f()
    ts = []
    start = clock()
    while True:
        t0 = clock()
        f()
        ts.append((clock() - t0) / inner)
        if (len(ts) >= repeat["min"] and clock() - start >= repeat["budget"]) \
                or len(ts) >= repeat["max"]:
            break
    return float(np.median(ts)), float(min(ts))


# -- 2. small ops -------------------------------------------------------------------------

def small_ops(P, repeat):
    N = P["small_n"]
    rng = np.random.default_rng(0)
    x, y = rng.random(10), rng.random(10) * 1e-6
    sink = [None]
    cpu = time.process_time

    def add():
        for _ in range(N):
            np.add(x, y, out=x)

    def size():
        s = 0
        for _ in range(N):
            s = s + x.shape[0]
        sink[0] = s

    def index():
        s = 0.0
        for i in range(1, N + 1):
            s = s + x[i % 10]
        sink[0] = s

    def narrow():
        for _ in range(N):
            sink[0] = x[1:4]

    return {k: measure(f, repeat, N, cpu) for k, f in
            (("add", add), ("size", size), ("index", index), ("narrow", narrow))}


# -- 3. large ops ---------------------------------------------------------------------------

def large_mm(P, repeat):
    n = P["mm_n"]
    rng = np.random.default_rng(0)
    A, B, C = rng.random((n, n)), rng.random((n, n)), rng.random((n, n))
    sink = [None]

    def mm():
        sink[0] = A @ B

    if _blas is not None:
        # C (row-major) += A @ B  is  C.T (column-major) += B.T @ A.T, in place
        def addmm():
            _blas.dgemm(1.0, B.T, A.T, beta=1.0, c=C.T, overwrite_c=1)
    else:
        tmp = np.empty_like(C)

        def addmm():
            np.matmul(A, B, out=tmp)
            np.add(C, tmp, out=C)

    return {"mm": measure(mm, repeat), "addmm": measure(addmm, repeat)}


def large_ewise(P, repeat):
    n = P["ew_n"]
    x, y, z = np.full(n, 0.75), np.full(n, 1.25), np.empty(n)
    return {"cmul": measure(lambda: np.multiply(x, y, out=z), repeat),
            "exp": measure(lambda: np.exp(x, out=z), repeat)}


def large_sum(P, repeat):
    n = P["sum_n"]
    m = np.full((n, n), 0.5)
    sink = [None]

    def sum2():
        sink[0] = m.sum(axis=1, keepdims=True)

    return {"sum2": measure(sum2, repeat)}


# -- 4. nn ----------------------------------------------------------------------------------

def _linear_init(rng, nin, nout, dtype=np.float64):
    s = 1.0 / np.sqrt(nin)
    return (rng.uniform(-s, s, (nout, nin)).astype(dtype),
            rng.uniform(-s, s, nout).astype(dtype))


def _logsoftmax(z):
    m = z.max(axis=1, keepdims=True)
    e = z - m
    return e - np.log(np.exp(e).sum(axis=1, keepdims=True))


def _nll_backward(logp, t):
    """ClassNLLCriterion (sizeAverage): the loss and d loss / d logp."""
    b = logp.shape[0]
    rows = np.arange(b)
    loss = -logp[rows, t].mean()
    g = np.zeros_like(logp)
    g[rows, t] = -1.0 / b
    return loss, g


def _logsoftmax_backward(logp, g):
    return g - np.exp(logp) * g.sum(axis=1, keepdims=True)


def nn_mlp(P, repeat):
    b, nin, nh, nout = P["mlp_batch"], P["mlp_in"], P["mlp_hidden"], P["mlp_out"]
    rng = np.random.default_rng(0)
    W1, b1 = _linear_init(rng, nin, nh)
    W2, b2 = _linear_init(rng, nh, nout)
    params = [W1, b1, W2, b2]
    grads = [np.zeros_like(p) for p in params]
    gW1, gb1, gW2, gb2 = grads
    x = rng.random((b, nin))
    t = np.arange(1, b + 1) % nout

    def step():
        for g in grads:
            g.fill(0)
        h = np.tanh(x @ W1.T + b1)
        logp = _logsoftmax(h @ W2.T + b2)
        _, g = _nll_backward(logp, t)
        gz = _logsoftmax_backward(logp, g)
        gW2[...] += gz.T @ h
        gb2[...] += gz.sum(axis=0)
        gh = (gz @ W2) * (1 - h * h)
        gW1[...] += gh.T @ x
        gb1[...] += gh.sum(axis=0)
        _gx = gh @ W1                      # nn computes the first layer's gradInput too
        for p, gp in zip(params, grads):
            p -= 0.01 * gp

    return {"mlp": measure(step, repeat)}


def im2col(x, kh, kw, dh, dw, ph, pw):
    """(B, C, H, W) -> columns (B, C*kh*kw, oh*ow), and (oh, ow)."""
    if ph or pw:
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    B, C, H, W = x.shape
    oh, ow = (H - kh) // dh + 1, (W - kw) // dw + 1
    sb, sc, sh, sw = x.strides
    win = np.lib.stride_tricks.as_strided(
        x, (B, C, kh, kw, oh, ow), (sb, sc, sh, sw, sh * dh, sw * dw), writeable=False)
    return win.reshape(B, C * kh * kw, oh * ow), (oh, ow)


def col2im(cols, shape, kh, kw, dh, dw, ph, pw, oh, ow):
    """Adjoint of im2col: (B, C*kh*kw, oh*ow) -> (B, C, H, W)."""
    B, C, H, W = shape
    gpad = np.zeros((B, C, H + 2 * ph, W + 2 * pw), cols.dtype)
    c6 = cols.reshape(B, C, kh, kw, oh, ow)
    for i in range(kh):
        for j in range(kw):
            gpad[:, :, i:i + dh * oh:dh, j:j + dw * ow:dw] += c6[:, :, i, j]
    return gpad[:, :, ph:ph + H, pw:pw + W]


class Conv:
    """nn.SpatialConvolution in NumPy: im2col + GEMM."""

    def __init__(self, rng, nin, nout, k, d, pad, dtype):
        s = 1.0 / np.sqrt(k * k * nin)
        self.w = rng.uniform(-s, s, (nout, nin, k, k)).astype(dtype)
        self.b = rng.uniform(-s, s, nout).astype(dtype)
        self.gw, self.gb = np.zeros_like(self.w), np.zeros_like(self.b)
        self.k, self.d, self.pad = k, d, pad

    def forward(self, x):
        k, d, p = self.k, self.d, self.pad
        self.cols, (oh, ow) = im2col(x, k, k, d, d, p, p)
        self.ohw = oh, ow
        w2 = self.w.reshape(self.w.shape[0], -1)
        y = np.matmul(w2, self.cols) + self.b[:, None]
        return y.reshape(x.shape[0], -1, oh, ow)

    def backward(self, x, gy, need_input=True):
        k, d, p = self.k, self.d, self.pad
        B, nout = gy.shape[0], gy.shape[1]
        g2 = gy.reshape(B, nout, -1)
        w2 = self.w.reshape(nout, -1)
        self.gw += np.tensordot(g2, self.cols, axes=([0, 2], [0, 2])).reshape(self.w.shape)
        self.gb += g2.sum(axis=(0, 2))
        if not need_input:
            return None
        gcols = np.matmul(w2.T, g2)
        return col2im(gcols, x.shape, k, k, d, d, p, p, *self.ohw)

    def params(self):
        return [(self.w, self.gw), (self.b, self.gb)]


def nn_conv(P, repeat):
    c = P["conv"]
    rng = np.random.default_rng(0)
    conv = Conv(rng, c["nin"], c["nout"], c["k"], c["k"], 1, np.float64)
    x = rng.uniform(-1, 1, (c["batch"], c["nin"], c["size"], c["size"]))
    gy = rng.uniform(-1, 1, conv.forward(x).shape)

    def step():
        conv.forward(x)
        conv.backward(x, gy)

    return {"conv": measure(step, repeat)}


_POOL_SLICES = [(slice(None), slice(None), slice(i, None, 2), slice(j, None, 2))
                for i in (0, 1) for j in (0, 1)]


def _maxpool2(x):
    """2x2 stride-2 max pooling (even sizes): the output and the argmax (first wins)."""
    win = np.stack([x[s] for s in _POOL_SLICES])
    idx = win.argmax(axis=0)
    return np.take_along_axis(win, idx[None], axis=0)[0], idx


def _maxpool2_backward(idx, gy):
    B, C, h, w = gy.shape
    g = np.empty((B, C, 2 * h, 2 * w), gy.dtype)
    for k, s in enumerate(_POOL_SLICES):
        g[s] = np.where(idx == k, gy, 0)
    return g


def nn_lenet(P, repeat):
    L = P["lenet"]
    f32 = np.float32
    rng = np.random.default_rng(0)
    s2 = ((L["size"] - 4) // 2 - 4) // 2
    c1 = Conv(rng, 1, L["c1"], 5, 1, 0, f32)
    c2 = Conv(rng, L["c1"], L["c2"], 5, 1, 0, f32)
    W1, b1 = _linear_init(rng, L["c2"] * s2 * s2, L["hidden"], f32)
    W2, b2 = _linear_init(rng, L["hidden"], 10, f32)
    lin = [(W1, np.zeros_like(W1)), (b1, np.zeros_like(b1)),
           (W2, np.zeros_like(W2)), (b2, np.zeros_like(b2))]
    allp = c1.params() + c2.params() + lin
    x = rng.uniform(0, 1, (L["batch"], 1, L["size"], L["size"])).astype(f32)
    t = np.arange(1, L["batch"] + 1) % 10

    def step():
        for _, g in allp:
            g.fill(0)
        a1 = np.maximum(c1.forward(x), 0)
        p1, m1 = _maxpool2(a1)
        a2 = np.maximum(c2.forward(p1), 0)
        p2, m2 = _maxpool2(a2)
        v = p2.reshape(p2.shape[0], -1)
        h = np.maximum(v @ W1.T + b1, 0)
        logp = _logsoftmax(h @ W2.T + b2)
        _, g = _nll_backward(logp, t)
        gz = _logsoftmax_backward(logp, g).astype(f32)
        lin[2][1][...] += gz.T @ h
        lin[3][1][...] += gz.sum(axis=0)
        gh = (gz @ W2) * (h > 0)
        lin[0][1][...] += gh.T @ v
        lin[1][1][...] += gh.sum(axis=0)
        gv = (gh @ W1).reshape(p2.shape)
        ga2 = _maxpool2_backward(m2, gv) * (a2 > 0)
        gp1 = c2.backward(p1, ga2)
        ga1 = _maxpool2_backward(m1, gp1) * (a1 > 0)
        c1.backward(x, ga1)                # nn also computes the input's gradient
        for p, gp in allp:
            p -= f32(0.01) * gp

    return {"lenet": measure(step, repeat)}


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def nn_lstm(P, repeat):
    R, B, I = P["lstm_rnn"], P["lstm_batch"], P["lstm_input"]
    rng = np.random.default_rng(0)
    Wx, bx = _linear_init(rng, I, 4 * R)
    Wh, bh = _linear_init(rng, R, 4 * R)
    gWx, gbx, gWh, gbh = (np.zeros_like(a) for a in (Wx, bx, Wh, bh))
    x, c0, h0 = rng.random((B, I)), rng.random((B, R)), rng.random((B, R))
    gc, gh = rng.random((B, R)), rng.random((B, R))

    def step():
        # forward
        a = x @ Wx.T + bx + h0 @ Wh.T + bh
        a4 = a.reshape(B, 4, R)
        i, f, o = _sigmoid(a4[:, 0]), _sigmoid(a4[:, 1]), _sigmoid(a4[:, 2])
        u = np.tanh(a4[:, 3])
        c = f * c0 + i * u
        tc = np.tanh(c)
        _h = o * tc
        # backward (gradOutput: {gc, gh})
        go = gh * tc
        gcc = gc + gh * o * (1 - tc * tc)
        gf, gi, gu = gcc * c0, gcc * u, gcc * i
        _gc0 = gcc * f
        ga = np.empty((B, 4, R))
        ga[:, 0] = gi * i * (1 - i)
        ga[:, 1] = gf * f * (1 - f)
        ga[:, 2] = go * o * (1 - o)
        ga[:, 3] = gu * (1 - u * u)
        ga = ga.reshape(B, 4 * R)
        gWx[...] += ga.T @ x
        gbx[...] += ga.sum(axis=0)
        gWh[...] += ga.T @ h0
        gbh[...] += ga.sum(axis=0)
        _gx, _gh0 = ga @ Wx, ga @ Wh

    return {"lstm": measure(step, repeat)}


# -- 6. serialization -----------------------------------------------------------------------

def serialize(P, repeat):
    rng = np.random.default_rng(0)
    w = P["ser_width"]
    arrays = []
    for _ in range(P["ser_layers"]):   # nn.Linear: weight, bias, gradWeight, gradBias
        arrays += [rng.random((w, w)), rng.random(w), np.zeros((w, w)), np.zeros(w)]
    d = tempfile.mkdtemp(prefix="torchlua_bench_")
    paths = [os.path.join(d, "a%d.npy" % i) for i in range(len(arrays))]
    sink = [None]

    def save():
        for p, a in zip(paths, arrays):
            np.save(p, a)

    def load():
        sink[0] = [np.load(p) for p in paths]

    try:
        return {"save": measure(save, repeat), "load": measure(load, repeat),
                "bytes": sum(a.nbytes for a in arrays)}
    finally:
        for p in paths:
            if os.path.exists(p):
                os.remove(p)
        os.rmdir(d)
