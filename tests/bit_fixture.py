"""Bitwise fixtures: a Lua script returns a table {name = tensor or number}; its
results are compared bit for bit with the ones recorded in an .npz file (results
larger than BIG elements are kept as a digest of their bits, dtype and shape).

A test module using it records its fixture with
    python tests/<module>.py --record
which must be run only from code known to be right (checked against Torch7's th).

The results go through BLAS, whose kernels (and so last bits) depend on the CPU and
the OpenBLAS build: a fixture also stores a probe of this BLAS's rounding, and is
skipped, not failed, on a machine whose BLAS rounds differently."""
import hashlib
import os
import sys

import numpy as np

BIG = 4096


PROBE = "__blas_probe__"


def _blas_probe():
    """Digest of a few products whose bits differ between BLAS kernels."""
    rng = np.random.default_rng(0)
    h = hashlib.sha256()
    for dt in (np.float64, np.float32):
        for k in (7, 64, 500):
            a = rng.standard_normal((37, k)).astype(dt)
            b = rng.standard_normal((k, 29)).astype(dt)
            h.update(np.matmul(a, b).tobytes())
            h.update(np.matmul(a, b[:, 0]).tobytes())
        # big enough for OpenBLAS to split the work over its threads
        m = rng.standard_normal((1500, 1500)).astype(dt)
        h.update(np.matmul(m, m[0]).tobytes())
        h.update(np.matmul(m.T, m[1]).tobytes())
        h.update(np.matmul(m[:300], m[:, :300]).tobytes())
    return np.frombuffer(h.digest(), np.uint8)


def run_script(script):
    """{name: array} of every result the script returns (fresh Runtime)."""
    from torchlua import Runtime, to_python
    out = {}
    for k, v in to_python(Runtime().execute(script)).items():
        v = np.array(v, copy=True)
        out[k] = _digest(v) if v.size > BIG else v
    return out


def _digest(a):
    h = hashlib.sha256(("%s %s " % (a.dtype, a.shape)).encode())
    h.update(np.ascontiguousarray(a).tobytes())
    return np.frombuffer(h.digest(), np.uint8)


def _bits(a):
    return a.view({4: np.uint32, 8: np.uint64}.get(a.itemsize, a.dtype))


def assert_same_bits(fixture, script):
    import pytest
    expected = np.load(fixture)
    if not np.array_equal(expected[PROBE], _blas_probe()):
        pytest.skip("this machine's BLAS rounds differently from the one the fixture was "
                    "recorded with")
    got = run_script(script)
    got[PROBE] = expected[PROBE]
    assert sorted(got) == sorted(expected.files)
    bad = [k for k in expected.files
           if expected[k].dtype != got[k].dtype or expected[k].shape != got[k].shape
           or not np.array_equal(_bits(expected[k]), _bits(got[k]))]
    assert not bad, "results differ from the recorded bits: %s" % bad[:20]


def main(fixture, script, test_file):
    """`--record` writes the fixture; otherwise run the test file."""
    if sys.argv[1:] == ["--record"]:
        os.makedirs(os.path.dirname(fixture), exist_ok=True)
        np.savez_compressed(fixture, **run_script(script), **{PROBE: _blas_probe()})
        print("recorded", fixture)
    else:
        import pytest
        pytest.main([test_file, "-q"])
