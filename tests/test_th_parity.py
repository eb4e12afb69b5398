"""Differential parity with Torch7's th: each expectation below is the text that
Torch7's th (/work/torch7ref/th) printed for the same script, with the
" at /path/file.c:NNN" suffix of TH's C errors removed (torchlua omits it on purpose)."""
import os
import re
import subprocess
import sys

import pytest


def run_script(tmp_path, text):
    (tmp_path / "p.lua").write_text(text)
    env = {k: v for k, v in os.environ.items()
           if k not in ("TORCHLUA_DEBUG", "LUA_PATH", "LUA_INIT", "TORCHLUA_HISTORY")}
    proc = subprocess.run([sys.executable, "-I", "-m", "torchlua", "p.lua"], cwd=tmp_path,
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


_POS = re.compile(r"(^|\t)p\.lua:\d+: ", re.M)


def assert_th_words_with_positions(got, th):
    """torchlua's text equals th's, except that torchlua puts the script's file:line
    in front of errors th raised from C code without one (torchlua's promise: every
    error names the user's line when the script is on the stack)."""
    assert _POS.sub(r"\1", got) == _POS.sub(r"\1", th)
    assert len(_POS.findall(got)) >= len(_POS.findall(th))


# Torch's C functions reached from another C function (torch.X dispatchers, x[i],
# constructors, operators) raised errors without file:line; torchlua adds the script's.
ERR_POS_LUA = r'''local a, b = torch.Tensor(2,3), torch.Tensor(3,2)
print(pcall(function() local r = a:add(torch.Tensor(4)); return r end))
print(pcall(function() local r = torch.mm(a, a); return r end))
print(pcall(function() local r = a[3]; return r end))
print(pcall(function() local r = a[{3,1}]; return r end))
print(pcall(function() a[3] = 1 end))
print(pcall(function() local v = torch.Tensor(3); v[4] = 1 end))
print(pcall(function() local r = torch.Tensor('x'); return r end))
print(pcall(function() local r = torch.Tensor({1,{2}}); return r end))
print(pcall(function() local r = a + torch.Tensor(4); return r end))
print(pcall(function() local r = a * torch.Tensor(4); return r end))
print(pcall(function() local r = torch.randperm(0); return r end))
print(pcall(function() local r = torch.multinomial(torch.Tensor{0,0}, 1); return r end))
print(pcall(function() return a:narrow(1, 2, 5) end))
print(pcall(a.narrow, a, 1, 2, 5))
print(pcall(function() local r = a:narrow(1, 2, 5); return r end))
'''
# produced by Torch7's th
ERR_POS_TH = r'''false	p.lua:2: inconsistent tensor size, expected r_ [2 x 3], t [2 x 3] and src [4] to have the same number of elements, but got 6, 6 and 4 elements respectively	
false	size mismatch, m1: [2 x 3], m2: [2 x 3]	
false	bad argument #2 to '?' (out of range)	
false	bad argument #2 to '?' (index out of bound)	
false	bad argument #3 to '?' (out of range)	
false	bad argument #2 to '?' (out of range)	
false	bad argument #1 to '?' (expecting number or torch.DoubleTensor or torch.DoubleStorage)	
false	invalid element (not a number)	
false	inconsistent tensor size, expected r_ [2 x 3], t [2 x 3] and src [4] to have the same number of elements, but got 6, 6 and 4 elements respectively	
false	size mismatch, [2 x 3], [4]	
false	bad argument #1 to '?' (must be strictly positive)	
false	bad argument #2 to '?' (invalid multinomial distribution (sum of probabilities <= 0))	
false	bad argument #4 to '?' (out of range)	
false	bad argument #4 to '?' (out of range)	
false	p.lua:16: bad argument #3 to 'narrow' (out of range)	
'''


def test_errors_keep_th_words_and_gain_the_script_position(tmp_path):
    got = run_script(tmp_path, ERR_POS_LUA)
    assert_th_words_with_positions(got, ERR_POS_TH)
    lines = got.splitlines()
    assert lines[1].startswith("false\tp.lua:3: size mismatch")
    assert lines[13].startswith("false\tbad argument #4 to '?'")   # pcall(a.narrow, ...): no script frame


# mm/mv/ger/bmm into a result the script passed: no resize, addmm's own size checks.
MM_GIVEN_LUA = r'''local a = torch.Tensor(2,3):zero()
print(pcall(function() local r = a:mm(torch.ones(3,2), torch.ones(2,4)); return r end))
print(pcall(function() local r = a:mm(torch.ones(3,2), torch.ones(3,4)); return r end))
print(a:size(1), a:size(2))
local out = torch.Tensor()
print(pcall(function() local r = torch.mm(out, torch.ones(3,2), torch.ones(2,4)); return r end))
out = torch.Tensor(7)
print(pcall(function() local r = out:mv(torch.ones(3,2), torch.ones(2)); return r end))
print(pcall(function() local r = out:ger(torch.ones(3), torch.ones(2)); return r end))
print(pcall(function() local r = out:bmm(torch.ones(2,3,2), torch.ones(2,2,2)); return r end))
print(out:size(1))
out = torch.Tensor(2,2):fill(5)
print(out:ger(torch.ones(2), torch.range(1,2)))
print(torch.Tensor(2,2):fill(0/0):mm(torch.ones(2,2), torch.ones(2,2)))
'''
# produced by Torch7's th
MM_GIVEN_TH = r'''false	p.lua:2: size mismatch, t: [2 x 3], m1: [3 x 2], m2: [2 x 4]	
false	p.lua:3: size mismatch, m1: [3 x 2], m2: [3 x 4]	
2	3	
false	matrix expected, got 0D tensor for t	
false	p.lua:8: size mismatch, t: [7], mat: [3 x 2]	
false	p.lua:9: expected matrix, got 1D tensor for t	
false	p.lua:10: calling 'bmm' on bad self (output tensor of incorrect size)	
7	
 1  2
 1  2
[torch.DoubleTensor of size 2x2]

 2  2
 2  2
[torch.DoubleTensor of size 2x2]

'''


def test_a_given_result_of_mm_mv_ger_bmm_is_not_resized(tmp_path):
    assert_th_words_with_positions(run_script(tmp_path, MM_GIVEN_LUA), MM_GIVEN_TH)


# fill is cwrap-declared ("invalid arguments"); transpose numbers its checks 1 and 2.
FILL_LUA = r'''local a = torch.Tensor(2)
print(pcall(function() local r = a:fill(); return r end))
print(pcall(function() local r = a:fill('x'); return r end))
print(pcall(function() local r = a:fill(1, 2); return r end))
print(pcall(function() local r = torch.FloatTensor(2):fill(nil); return r end))
print(pcall(function() local r = torch.ByteTensor(2):fill(true); return r end))
print(a:fill('3'))
print(pcall(function() local r = a:transpose(1,3); return r end))
print(pcall(function() local r = torch.Tensor(2,2):transpose(3,1); return r end))
'''
# produced by Torch7's th
FILL_TH = r'''false	p.lua:2: invalid arguments: DoubleTensor 
expected arguments: *DoubleTensor* double	
false	p.lua:3: invalid arguments: DoubleTensor string 
expected arguments: *DoubleTensor* double	
false	p.lua:4: invalid arguments: DoubleTensor number number 
expected arguments: *DoubleTensor* double	
false	p.lua:5: invalid arguments: FloatTensor nil 
expected arguments: *FloatTensor* float	
false	p.lua:6: invalid arguments: ByteTensor boolean 
expected arguments: *ByteTensor* unsigned char	
 3
 3
[torch.DoubleTensor of size 2]

false	p.lua:8: bad argument #1 to 'transpose' (out of range)	
false	p.lua:9: calling 'transpose' on bad self (out of range)	
'''


def test_fill_and_transpose_argument_errors(tmp_path):
    assert_th_words_with_positions(run_script(tmp_path, FILL_LUA), FILL_TH)


# torch.typename gives no value for a non-Torch object; logspace uses libm pow;
# `require 'nn'` draws four uniforms (upstream nn/test.lua builds an nn.Linear(1, 2)).
MISC_LUA = r'''print(torch.typename(1))
print(torch.type(1), torch.typename({}))
print(select('#', torch.typename('x')), torch.typename(torch.Tensor()))
for _, v in ipairs({torch.logspace(0, 1, 5), torch.logspace(-3, 2, 9):float(), torch.logspace(torch.FloatTensor(), 0, 1, 5)}) do
  local t = {}
  for i = 1, v:nElement() do t[i] = string.format('%.17g', v[i]) end
  print(table.concat(t, ' '))
end
torch.manualSeed(1)
require 'nn'
print(string.format('%.14g', torch.uniform()))
'''
# produced by Torch7's th
MISC_TH = r'''number	
0	torch.DoubleTensor	
1 1.7782794100389228 3.1622776601683795 5.6234132519034912 10	
0.0010000000474974513 0.0042169648222625256 0.017782794311642647 0.074989423155784607 0.31622776389122009 1.3335214853286743 5.6234130859375 23.713737487792969 100	
1 1.7782794237136841 3.1622776985168457 5.6234130859375 10	
0.00011438108049333	
'''


def test_typename_logspace_and_the_stream_after_require_nn(tmp_path):
    assert_th_words_with_positions(run_script(tmp_path, MISC_LUA), MISC_TH)


# Operators as luaT's metamethods: the left operand's metatable when it has one; the
# quirky "got boolean" of TensorOperator.c; "does not implement" errors of a torch.X
# dispatcher itself carry the caller's line.
OPS_LUA = r'''print(pcall(function() return 2 / torch.Tensor(3) end))
print(pcall(function() return 'x' / torch.Tensor(3) end))
print(pcall(function() return {} / torch.Tensor(3) end))
print(pcall(function() return 2 % torch.Tensor(3) end))
print(pcall(function() return 2 / torch.FloatTensor(3) end))
print(pcall(function() return torch.Tensor(3) / 'a' end))
print(pcall(function() return torch.Tensor(3) * 'a' end))
print(pcall(function() return torch.Tensor(3) + {} end))
print(pcall(function() return torch.Tensor(3) - nil end))
print(pcall(function() return '3' + torch.Tensor(3) end))
print(pcall(function() return torch.DoubleStorage(3) * torch.Tensor(3) end))
print(pcall(function() local r = torch.uniform(torch.LongTensor(2)); return r end))
print(pcall(function() local r = torch.sqrt(torch.LongTensor(2)); return r end))
print(pcall(function() local r = torch.rand(2, 'torch.LongTensor'); return r end))
'''
# produced by Torch7's th
OPS_TH = r'''false	bad argument #1 to '?' (torch.DoubleTensor expected, got boolean)	
false	p.lua:2: both (null) and torch.DoubleTensor have no division operator	
false	bad argument #1 to '?' (torch.DoubleTensor expected, got boolean)	
false	bad argument #1 to '?' (torch.DoubleTensor expected, got boolean)	
false	bad argument #1 to '?' (torch.FloatTensor expected, got boolean)	
false	bad argument #2 to '?' (number expected)	
false	bad argument #2 to '?' (number expected, got string)	
false	bad argument #2 to '?' (number expected, got table)	
false	bad argument #2 to '?' (number expected, got nil)	
false	p.lua:10: both (null) and torch.DoubleTensor have no addition operator	
false	p.lua:11: both torch.DoubleStorage and torch.DoubleTensor have no multiplication operator	
false	p.lua:12: torch.LongTensor does not implement the torch.uniform() function	
false	p.lua:13: torch.LongTensor does not implement the torch.sqrt() function	
false	p.lua:14: torch.LongTensor does not implement the torch.rand() function	
'''


def test_operator_and_dispatcher_errors(tmp_path):
    assert_th_words_with_positions(run_script(tmp_path, OPS_LUA), OPS_TH)

# Storage indexing and copy errors; "cannot be indexed" is luaT's own error (a position).
STOR_LUA = r'''local s = torch.DoubleStorage(3)
print(pcall(function() local r = s[4]; return r end))
print(pcall(function() s[4] = 1 end))
print(pcall(function() s[1] = 'a' end))
print(pcall(function() s.x = 1 end))
print(pcall(function() local r = torch.DoubleStorage(-1); return r end))
print(pcall(function() local r = torch.IntStorage(2):copy(torch.IntStorage(3)); return r end))
print(pcall(function() local r = torch.IntStorage(2):copy(3); return r end))
local x = torch.Tensor(2)
print(pcall(function() x['a'] = 1 end))
print(pcall(function() local r = x['a']; return r end))
'''
# produced by Torch7's th
STOR_TH = r'''false	bad argument #2 to '?' (out of bounds)	
false	bad argument #2 to '?' (out of bounds)	
false	bad argument #3 to '?' (number expected, got string)	
false	p.lua:5: the class torch.DoubleStorage cannot be indexed	
false	$ Torch: invalid memory size -- maybe an overflow?	
false	p.lua:7: bad argument #1 to 'copy' (size mismatch)	
false	p.lua:8: bad argument #1 to 'copy' (torch.*Storage expected, got number)	
false	p.lua:10: the class torch.DoubleTensor cannot be indexed	
true	nil	
'''


def test_storage_errors(tmp_path):
    assert_th_words_with_positions(run_script(tmp_path, STOR_LUA), STOR_TH)

# paths.concat normalises lexically (paths.c); dirname('/') and extname('.bashrc').
PATHS_LUA = r'''print(paths.concat('/x', '../y'))
print(paths.concat('/a/./b', 'c/../d'))
print(paths.concat('a/', '/b'))
print(paths.concat('/'))
print(paths.concat('/a/b/../../..', 'c'))
print(paths.concat('/a//b/', './c/'))
print(paths.dirname('a'), paths.dirname('/'), paths.dirname('a/b/'), paths.basename('a/b/'), paths.basename('/'))
print(paths.extname('a.tar.gz'), paths.extname('a'), paths.extname('.bashrc'), paths.basename('a.tar.gz', 'gz'))
'''
# produced by Torch7's th
PATHS_TH = r'''/y	
/a/b/d	
/b	
/	
/c	
/a/b/c	
.	/	a	b		
gz	nil	bashrc	a.tar	
'''


def test_paths(tmp_path):
    assert_th_words_with_positions(run_script(tmp_path, PATHS_LUA), PATHS_TH)

# File argument checks in luaL_argerror's words (method calls do not count self);
# a quiet failed read returns one value.
FILE_LUA = r'''local f = torch.MemoryFile('r')
print(pcall(function() local r = f:writeInt(1); return r end))
print(pcall(function() local r = f:writeString('x'); return r end))
print(pcall(function() local r = f:seek(0); return r end))
print(pcall(function() local r = f:longSize(3); return r end))
f:close()
print(pcall(function() local r = f:readInt(); return r end))
print(pcall(function() local r = f:seek(1); return r end))
local w = torch.MemoryFile('w')
print(pcall(function() local r = w:readDouble(2); return r end))
print(pcall(function() local r = torch.MemoryFile():readString('x'); return r end))
print(pcall(function() local r = torch.MemoryFile():writeString(3); return r end))
print(pcall(function() local r = torch.MemoryFile('x'); return r end))
print(torch.MemoryFile():quiet():readInt())
'''
# produced by Torch7's th
FILE_TH = r'''false	p.lua:2: calling 'writeInt' on bad self (attempt to write in a read-only file)	
false	p.lua:3: calling 'writeString' on bad self (attempt to write in a read-only file)	
false	p.lua:4: bad argument #1 to 'seek' (position has to be greater than 0!)	
false	p.lua:5: calling 'longSize' on bad self (Invalid long size specified)	
false	p.lua:7: calling 'readInt' on bad self (attempt to use a closed file)	
false	p.lua:8: calling 'seek' on bad self (attempt to use a closed file)	
false	p.lua:10: calling 'readDouble' on bad self (attempt to read in a write-only file)	
false	p.lua:11: bad argument #1 to 'readString' (format must be '*a' or '*l')	
false	p.lua:12: bad argument #1 to 'writeString' (string expected, got number)	
false	bad argument #2 to '?' (file mode should be 'r','w' or 'rw')	
0	
'''


def test_file_errors(tmp_path):
    assert_th_words_with_positions(run_script(tmp_path, FILE_LUA), FILE_TH)
