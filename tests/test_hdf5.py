"""hdf5 (torch-hdf5's interface) over h5py, and the message when h5py is absent."""
import subprocess
import sys

import numpy as np
import pytest

from torchlua import Runtime


@pytest.fixture(scope="module")
def rt():
    r = Runtime()
    r.execute("require 'hdf5'")
    return r


def test_without_h5py_names_the_extra(tmp_path):
    code = (
        "import sys; sys.modules['h5py'] = None\n"
        "import torchlua\n"
        "rt = torchlua.Runtime()\n"
        "print(rt.execute(\"require 'hdf5'; return select(2, pcall(hdf5.open, ..., 'w'))\", %r))\n"
        % str(tmp_path / "x.h5"))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "pip install 'torchlua[hdf5]'" in r.stdout
    assert "h5py is not installed" in r.stdout


h5py = pytest.importorskip("h5py")


def test_write_then_read_all(rt, tmp_path):
    f = str(tmp_path / "a.h5")
    got = rt.execute("""local f = hdf5.open(..., 'w')
      local x = torch.linspace(1, 12, 12):resize(3, 4)
      f:write('/data/x', x)
      f:write('ints', torch.IntTensor({1, 2, 3}))
      f:close()
      local g = hdf5.open(..., 'r')
      local y = g:read('/data/x'):all()
      local i = g:read('/ints'):all()
      g:close()
      return torch.typename(y), y:size(1), y:size(2), y[3][4], torch.typename(i), i:sum(), x:equal(y)""", f)
    assert got == ("torch.DoubleTensor", 3, 4, 12, "torch.IntTensor", 6, True)
    with h5py.File(f, "r") as h:  # what Python sees is the same array
        np.testing.assert_array_equal(h["data/x"][()], np.arange(1, 13, dtype=np.float64).reshape(3, 4))
        assert h["ints"].dtype == np.int32


def test_read_file_written_by_h5py(rt, tmp_path):
    f = str(tmp_path / "b.h5")
    with h5py.File(f, "w") as h:
        h["m"] = np.arange(20, dtype=np.float32).reshape(4, 5)
        h["g/v"] = np.array([7, 8], dtype=np.int64)
    got = rt.execute("""local f = hdf5.open(..., 'r')
      local ds = f:read('m')
      local size = ds:dataspaceSize()
      local p = ds:partial({2, 3}, {1, 2})
      local all = f:read('/'):all()
      local r = {torch.typename(ds:all()), size[1], size[2], #size, p:size(1), p:size(2), p[1][1], p[2][2],
                 torch.typename(all.g.v), all.g.v[2], ds:getTensorFactory() == torch.FloatTensor}
      f:close()
      return unpack(r)""", f)
    assert got == ("torch.FloatTensor", 4, 5, 2, 2, 2, 5, 11, "torch.LongTensor", 8, True)


def test_errors(rt, tmp_path):
    f = str(tmp_path / "c.h5")
    rt.execute("local f = hdf5.open(..., 'w'); f:write('x', torch.ones(2, 2)); f:close()", f)
    ok, msg = rt.execute("local f = hdf5.open(..., 'r'); local r = {pcall(f.read, f, '/nope')}; f:close(); "
                         "return r[1], r[2]", f)
    assert ok is False and "no dataset or group named /nope" in msg
    ok, msg = rt.execute("local f = hdf5.open(..., 'r'); local r = {pcall(function() return f:read('x'):partial({1, 3}, {1, 1}) end)}"
                         "; f:close(); return r[1], r[2]", f)
    assert ok is False and "out of bounds" in msg
    ok, msg = rt.execute("return pcall(hdf5.open, ..., 'r')", str(tmp_path / "missing.h5"))
    assert ok is False and "cannot open" in msg
    ok, msg = rt.execute("local f = hdf5.open(..., 'r'); f:close(); return pcall(f.read, f, 'x')", f)
    assert ok is False and "closed" in msg
