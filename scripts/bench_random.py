"""Time Torch7-exact fills of 1e7 doubles against NumPy's own (different) streams.

Usage: python scripts/bench_random.py [n]
"""
import sys
import time

import numpy as np

from torchlua.core.random import Generator


def best(f, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10 ** 7
    g = Generator(1)
    out = np.empty(n)
    t = time.perf_counter()
    g.fill_normal(np.empty(4096))          # imports Numba and loads the cached kernels
    print("first large normal fill (Numba import + cache load): %.3f s" % (time.perf_counter() - t))
    rs = np.random.RandomState(1)
    rows = [
        ("uniform", lambda: g.fill_uniform(out), lambda: rs.rand(n)),
        ("normal", lambda: g.fill_normal(out), lambda: rs.randn(n)),
    ]
    for name, ours, theirs in rows:
        a, b = best(ours), best(theirs)
        print("%-8s n=%d  torchlua %.3f s   numpy %.3f s   ratio %.2f" % (name, n, a, b, a / b))


if __name__ == "__main__":
    main()
