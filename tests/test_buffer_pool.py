"""Big buffers of collected storages are reused (torchlua/core/memory.py), never while
anything can still see them, and always handed out zeroed."""
import numpy as np

import torchlua
from torchlua.core import memory
from torchlua.core.storage import Storage
from torchlua.core.types import TYPES

DOUBLE = next(t for t in TYPES if t.dtype == np.float64)
N = memory.POOL_MIN_BYTES // 8   # the smallest pooled double buffer


def _pooled(dtype, n):
    return len(memory._pool.get((np.dtype(dtype), n), ()))


def test_dead_storage_buffer_is_reused_zeroed():
    s = Storage.new(DOUBLE, N + 1)
    s.data.fill(7)
    addr = s.data.ctypes.data
    del s
    assert _pooled(np.float64, N + 1) == 1
    s2 = Storage.new(DOUBLE, N + 1)
    assert s2.data.ctypes.data == addr
    assert not s2.data.any()
    assert _pooled(np.float64, N + 1) == 0


def test_buffer_seen_elsewhere_is_not_reused():
    s = Storage.new(DOUBLE, N + 2)
    view = s.data[5:9]
    whole = s.data
    del s
    assert _pooled(np.float64, N + 2) == 0
    view[:] = 3
    assert whole[5] == 3
    s2 = Storage.new(DOUBLE, N + 2)
    assert not np.shares_memory(s2.data, whole)


def test_small_buffers_and_other_lengths_are_not_pooled():
    s = Storage.new(DOUBLE, 100)
    del s
    assert _pooled(np.float64, 100) == 0
    s = Storage.new(DOUBLE, N + 3)
    del s
    s2 = Storage.new(DOUBLE, N + 4)   # a different length gets its own buffer
    assert _pooled(np.float64, N + 3) == 1
    del s2


def test_numpy_array_handed_to_lua_is_never_recycled():
    rt = torchlua.Runtime()
    arr = np.arange(N + 5, dtype=np.float64)
    rt.execute("T = ...", arr)
    rt.execute("T = nil; collectgarbage(); collectgarbage()")
    assert _pooled(np.float64, N + 5) == 0
    assert arr[10] == 10


def test_lua_loop_of_big_results_reuses_memory_and_stays_right():
    rt = torchlua.Runtime()
    out = rt.execute("""
      local A, B = torch.rand(400, 400), torch.rand(400, 400)
      local want = torch.mm(A, B):sum()
      for i = 1, 40 do
        local r = torch.mm(A, B)
        if r:sum() ~= want then return 'wrong at ' .. i end
        local z = torch.Tensor(400, 400)
        if z:abs():sum() ~= 0 then return 'not zeroed at ' .. i end
      end
      return 'ok'
    """)
    assert out == "ok"
