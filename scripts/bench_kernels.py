"""Benchmark of the convolution kernels behind nn.SpatialConvolution.

    python scripts/bench_kernels.py [--iters N] [--all-kernels]

1. nn.SpatialConvolution(3,128,9,9,9,9,1,1) forward + backward (updateGradInput
   and accGradParameters) on a 2x3x100x100 float64 batch, with the
   torchlua.kernels.conv helpers: ms/iter and the share of time spent in the
   GEMMs vs im2col / col2im.
2. First-call time in a fresh process with an empty Numba cache (temporary
   NUMBA_CACHE_DIR: import numba + compile + write the cache) and again with the
   cache filled (import numba + load), for the kernels that step uses
   (``--all-kernels``: every kernel of every family, float32 and float64).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

# nn.SpatialConvolution(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
NIN, NOUT, KW, KH, DW, DH, PADW, PADH = 3, 128, 9, 9, 9, 9, 1, 1
SHAPE = (2, NIN, 100, 100)

FIRST_CALL = r"""
import time, json
t0 = time.perf_counter()
import numba
t1 = time.perf_counter()
import numpy as np
from torchlua.kernels import conv
x = np.ones((2, 3, 100, 100)); w = np.ones((128, 3, 9, 9)); b = np.zeros(128)
gw = np.zeros_like(w); gb = np.zeros_like(b)
t2 = time.perf_counter()
y = conv.conv2d_forward(x, w, b, 9, 9, 9, 9, 1, 1)
conv.conv2d_backward_input(x, y, w, 9, 9, 9, 9, 1, 1)
conv.conv2d_acc_grad_params(x, y, gw, gb, 9, 9, 9, 9, 1, 1, scale=1.0)
t3 = time.perf_counter()
print(json.dumps({"import_numba": t1 - t0, "first_call": t3 - t2}))
"""

ALL_KERNELS = r"""
import time, json
t0 = time.perf_counter()
import numpy as np
from torchlua.kernels import (conv, volumetric as V, pooling as P, fractional as F,
                              temporal as T, lrn, padding as PD, upsampling as U)
for dt in (np.float32, np.float64):
    r = lambda *s: np.ones(s, dt)
    x = r(2, 2, 7, 7)
    y = conv.conv2d_forward(x, r(3, 2, 3, 3), r(3), 3, 3, 1, 1, 1, 1)
    conv.conv2d_backward_input(x, y, r(3, 2, 3, 3), 3, 3, 1, 1, 1, 1)
    conv.conv2d_acc_grad_params(x, y, r(3, 2, 3, 3), r(3), 3, 3, 1, 1, 1, 1)
    y = conv.full_conv2d_forward(x, r(2, 3, 3, 3), r(3), 3, 3, 2, 2, 1, 1)
    conv.full_conv2d_backward_input(x, y, r(2, 3, 3, 3), 3, 3, 2, 2, 1, 1)
    conv.full_conv2d_acc_grad_params(x, y, r(2, 3, 3, 3), r(3), 3, 3, 2, 2, 1, 1)
    v = r(2, 2, 5, 5, 5)
    y = V.conv3d_forward(v, r(3, 2, 2, 2, 2), r(3), 2, 2, 2, 1, 1, 1, 0, 0, 0)
    V.conv3d_backward_input(v, y, r(3, 2, 2, 2, 2), 2, 2, 2, 1, 1, 1, 0, 0, 0)
    V.conv3d_acc_grad_params(v, y, r(3, 2, 2, 2, 2), r(3), 2, 2, 2, 1, 1, 1, 0, 0, 0)
    y = V.full_conv3d_forward(v, r(2, 3, 2, 2, 2), r(3), 2, 2, 2, 0, 0, 0)
    V.full_conv3d_backward_input(v, y, r(2, 3, 2, 2, 2), 2, 2, 2, 0, 0, 0)
    o, i = V.max_pool3d_forward(v, 2, 2, 2, 2, 2, 2)
    V.max_pool3d_backward(v, o, i, 2, 2, 2, 2, 2, 2)
    V.max_unpool3d_backward(o, V.max_unpool3d_forward(o, i, 4, 4, 4, 2, 2, 2), i, 4, 4, 4, 2, 2, 2)
    o = V.avg_pool3d_forward(v, 2, 2, 2, 2, 2, 2); V.avg_pool3d_backward(v, o, 2, 2, 2, 2, 2, 2)
    o, i = P.max_pool2d_forward(x, 2, 2, 2, 2); P.max_pool2d_backward(x, o, i, 2, 2, 2, 2)
    P.max_unpool2d_backward(o, P.max_unpool2d_forward(o, i, 6, 6), i, 6, 6)
    o = P.avg_pool2d_forward(x, 2, 2, 2, 2); P.avg_pool2d_backward(x, o, 2, 2, 2, 2)
    o, i = P.adaptive_max_pool2d_forward(x, 3, 3); P.adaptive_max_pool2d_backward(x, o, i)
    o = P.adaptive_avg_pool2d_forward(x, 3, 3); P.adaptive_avg_pool2d_backward(x, o)
    o, i = F.fractional_max_pool2d_forward(x, 3, 3, 2, 2, np.full((2, 2, 2), .5, dt))
    F.fractional_max_pool2d_backward(x, o, 3, 3, 2, 2, i)
    o, i = F.fractional_max_pool3d_forward(v, 2, 2, 2, 2, 2, 2, np.full((2, 2, 3), .5, dt))
    F.fractional_max_pool3d_backward(v, o, 2, 2, 2, 2, 2, 2, i)
    s = r(2, 9, 4)
    o, i = T.temporal_max_pool_forward(s, 2, 2); T.temporal_max_pool_backward(s, o, i, 2, 2)
    y = T.temporal_conv_forward(s, r(3, 8), r(3), 2, 1, 4, 3)
    T.temporal_conv_acc_grad_params(s, y, r(3, 8), r(3), 2, 1)
    y = T.row_conv_forward(s, r(4, 1, 2), r(4), 2, 1, 0, False)
    T.row_conv_acc_grad_params(s, y, r(4, 1, 2), r(4), 2, 1, 0, False)
    o, sc = lrn.cross_map_lrn_forward(x, 3); lrn.cross_map_lrn_backward(x, o, sc, o, 3)
    o = PD.reflection_pad2d_forward(x, 1, 1, 1, 1); PD.reflection_pad2d_backward(x, o, 1, 1, 1, 1)
    o = PD.replication_pad3d_forward(v, 1, 1, 1, 1, 1, 1)
    PD.replication_pad3d_backward(v, o, 1, 1, 1, 1, 1, 1)
    o = U.upsampling_nearest2d_forward(x, 2); U.upsampling_nearest2d_backward(x, o, 2)
    o = U.upsampling_bilinear2d_forward(x, 9, 9)
    U.upsampling_bilinear2d_backward(o, 2, 2, 7, 7, 9, 9)
from torchlua.kernels import _common
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "kernels": sum(k._disp is not None for k in _common.all_kernels())}))
"""


def step(conv, x, w, b, go, gw, gb, finput):
    conv.conv2d_forward(x, w, b, KW, KH, DW, DH, PADW, PADH, finput=finput)
    conv.conv2d_backward_input(x, go, w, KW, KH, DW, DH, PADW, PADH)
    conv.conv2d_acc_grad_params(x, go, gw, gb, KW, KH, DW, DH, PADW, PADH, scale=1.0,
                                finput=finput)


def bench_step(iters):
    from torchlua.kernels import conv
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE)
    w = rng.standard_normal((NOUT, NIN, KH, KW)) * 0.05
    b = rng.standard_normal(NOUT)
    oH, oW = conv.conv2d_output_size(SHAPE[2], SHAPE[3], KH, KW, DH, DW, PADH, PADW)
    go = rng.standard_normal((SHAPE[0], NOUT, oH, oW))
    gw, gb = np.zeros_like(w), np.zeros_like(b)
    finput = np.empty((SHAPE[0], NIN * KH * KW, oH * oW))
    for _ in range(3):
        step(conv, x, w, b, go, gw, gb, finput)
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        step(conv, x, w, b, go, gw, gb, finput)
        times.append(time.perf_counter() - t0)
    with conv.profile() as prof:
        t0 = time.perf_counter()
        for _ in range(iters):
            step(conv, x, w, b, go, gw, gb, finput)
        total = time.perf_counter() - t0
    print("SpatialConvolution(%d,%d,%d,%d,%d,%d,%d,%d) fwd+bwd on %s float64, output %dx%d"
          % (NIN, NOUT, KW, KH, DW, DH, PADW, PADH, "x".join(map(str, SHAPE)), oH, oW))
    print("  %.3f ms/iter (median of %d, min %.3f ms)"
          % (1e3 * float(np.median(times)), iters, 1e3 * min(times)))
    other = total - sum(prof.values())
    for k in ("gemm", "im2col", "col2im", "bias"):
        print("  %-7s %5.1f%%  (%.3f ms/iter)" % (k, 100 * prof[k] / total, 1e3 * prof[k] / iters))
    print("  %-7s %5.1f%%  (%.3f ms/iter: checks, allocation, Python)"
          % ("other", 100 * other / total, 1e3 * other / iters))


def first_call(code, env):
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def bench_compile(all_kernels):
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, NUMBA_CACHE_DIR=d)
        cold = first_call(FIRST_CALL, env)
        warm = first_call(FIRST_CALL, env)
        print("first call of the conv step in a fresh process (import numba: %.2f s):"
              % warm["import_numba"])
        print("  empty cache: %.2f s   cache filled: %.3f s"
              % (cold["first_call"], warm["first_call"]))
    if all_kernels:
        with tempfile.TemporaryDirectory() as d:
            env = dict(os.environ, NUMBA_CACHE_DIR=d)
            cold = first_call(ALL_KERNELS, env)
            warm = first_call(ALL_KERNELS, env)
            print("every family, float32+float64 (%d kernels): empty cache %.1f s, "
                  "cache filled %.2f s" % (cold["kernels"], cold["seconds"], warm["seconds"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iters", type=int, default=50)
    ap.add_argument("--all-kernels", action="store_true",
                    help="also time cold/warm compilation of every kernel")
    a = ap.parse_args()
    bench_step(a.iters)
    bench_compile(a.all_kernels)


if __name__ == "__main__":
    main()
