"""Numba is imported lazily, and compiled kernels are reused from the on-disk
cache by the next process instead of being compiled again."""
import json
import os
import subprocess
import sys

FAMILIES = "conv, volumetric, pooling, fractional, temporal, lrn, padding, upsampling, threshold"

RUN_KERNELS = """
import json, time
import numpy as np
from torchlua.kernels import conv, pooling, lrn, _common
t0 = time.perf_counter()
for dt in (np.float32, np.float64):
    x = np.arange(2 * 2 * 6 * 6, dtype=dt).reshape(2, 2, 6, 6)
    y = conv.conv2d_forward(x, np.ones((3, 2, 3, 3), dt), np.zeros(3, dt), 3, 3, 1, 1, 1, 1)
    conv.conv2d_backward_input(x, y, np.ones((3, 2, 3, 3), dt), 3, 3, 1, 1, 1, 1)
    o, i = pooling.max_pool2d_forward(x, 2, 2, 2, 2)
    lrn.cross_map_lrn_forward(x, 3)
elapsed = time.perf_counter() - t0
used = [k for k in _common.all_kernels() if k._disp is not None]
hits = sum(sum(k.dispatcher.stats.cache_hits.values()) for k in used)
misses = sum(sum(k.dispatcher.stats.cache_misses.values()) for k in used)
print(json.dumps({"kernels": len(used), "hits": hits, "misses": misses, "seconds": elapsed}))
"""


def _run(code, env=None):
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def test_import_does_not_load_numba():
    out = _run("import sys\nimport torchlua.kernels\nfrom torchlua.kernels import %s\n"
               "print('numba' in sys.modules)" % FAMILIES)
    assert out == "False"


def test_second_process_loads_kernels_from_cache(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    first = json.loads(_run(RUN_KERNELS, env))
    assert first["kernels"] >= 4
    assert first["misses"] > 0 and first["hits"] == 0          # compiled and written
    index_files = list(tmp_path.rglob("*.nbi"))
    assert len(index_files) >= first["kernels"]
    second = json.loads(_run(RUN_KERNELS, env))
    assert second["misses"] == 0                                # nothing recompiled
    assert second["hits"] == first["misses"]
    assert second["seconds"] < first["seconds"]
