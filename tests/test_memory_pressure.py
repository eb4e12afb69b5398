"""Lua's collector is told about NumPy buffers (torchlua/core/memory.py), so a loop
of large temporaries does not grow memory until Lua happens to collect."""
import subprocess
import sys

SCRIPT = r"""
import torchlua
rt = torchlua.Runtime()
rt.execute('''
for i = 1, 200 do local big = torch.Tensor(1000000):fill(i) end   -- 200 x 8 MB of garbage
local x = torch.Tensor(10)
for i = 1, 200000 do local v = x:narrow(1, 2, 3) end
''')
# VmHWM is this process's own peak; ru_maxrss would also count the parent's peak
# (Linux carries it over fork and exec), which in a long pytest run is large
with open('/proc/self/status') as f:
    print(next(int(l.split()[1]) for l in f if l.startswith('VmHWM:')) // 1024)
"""


def test_garbage_tensors_are_collected_before_memory_balloons():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=300, check=True).stdout
    peak_mb = int(out.split()[-1])
    # 1.6 GB of buffers become garbage; without the pressure signal Lua keeps them all
    assert peak_mb < 600, peak_mb
