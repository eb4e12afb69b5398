"""torch.Tester and torch.TestSuite: assertions, the printed report, run's status."""
import re
import textwrap

import pytest

import torchlua


@pytest.fixture(scope="module")
def rt():
    return torchlua.Runtime()


def lua(rt, code):
    return rt.execute(textwrap.dedent(code))


# A tester whose assertions return (ok, message) instead of recording anything,
# as torch7's own test_Tester does, to look at the messages.
SUB = """
local sub = torch.Tester()
sub._success = function(self) return true, '' end
sub._failure = function(self, message) return false, message end
"""


def check(rt, call):
    """(ok, message) of one assertion `call` on the sub tester."""
    return rt.execute(SUB + "return sub:" + call)


# -- assertion messages -------------------------------------------------------------
@pytest.mark.parametrize("call, ok, message", [
    ("assert(true)", True, ""),
    ("assert(false, 'why')", False, "why\nBOOL violation condition=false"),
    ("asserteq(1, 2)", False, "EQ failed: 1 ~= 2"),
    ("asserteq('a', 'a', 'msg')", True, ""),
    ("assertne(3, 3, 'm')", False, "m\nNE failed: 3 == 3"),
    ("assertlt(2, 1)", False, "LT failed: 2 >= 1"),
    ("assertgt(1, 2)", False, "GT failed: 1 <= 2"),
    ("assertle(2, 1)", False, "LE failed: 2 > 1"),
    ("assertge(1, 2)", False, "GE failed: 1 < 2"),
    ("assertle(1, 1)", True, ""),
    ("assertalmosteq(1, 1.5, 0.1)", False, "ALMOST_EQ failed: 1 ~= 1.5 with tolerance=0.1"),
    ("assertalmosteq(1, 1.05, 0.1)", True, ""),
    ("assertalmosteq(1, 1 + 1e-10)", False, "ALMOST_EQ failed: 1 ~= 1.0000000001 with tolerance=1e-16"),
    ("eq(1, 1.5, 0.6)", True, ""),
    ("eq(1, 2, 0.5)", False, "EQ failed: 1 ~= 2 with tolerance=0.5"),
    ("eq(1, 2)", False, "EQ failed: 1 ~= 2"),
    ("ne(1, 1.2, 0.5)", False, "NE failed: 1 == 1.2 with tolerance=0.5"),
    ("eq('one', 1)", False, "EQ failed: values have different types (first: string, second: number)"),
    ("eq(true, false, 'msg')", False, "msg\nEQ failed: true (boolean) ~= false (boolean)"),
    ("ne('x', 'x')", False, "NE failed: x (string) == x (string)"),
    ("eq({1, {2, 3}}, {1, {2, 4}})", False, "At table location 2.2: EQ failed: 3 ~= 4"),
    ("eq({a = 1}, {})", False, "Entry a missing in second table (is 1 in first)"),
    ("eq({}, {b = 'x'})", False, "Entry b missing in first table (is x in second)"),
    ("eq({{1}}, {{{1}}})", False,
     "At table location 1.1: EQ failed: values have different types (first: number, second: table)"),
    ("assertTableEq({1, 2}, {1, 2})", True, ""),
    ("assertTableNe({1, 2}, {1, 2}, 'm')", False, "m\nThe tables are equal"),
    ("assertTableEq({1.0, 2}, {1.05, 2}, 0.1)", True, ""),
    ("assertTableEq({1.0, 2}, 'msg', {1.05, 2})", None, None),
    ("assertError(function() end, 'm')", False, "m\nERROR violation: err=nil"),
    ("assertError(function() error('x') end)", True, ""),
    ("assertNoError(function() error('boom', 0) end)", False, "ERROR violation: err=boom"),
    ("assertErrorMsg(function() error('exact', 0) end, 'exact')", True, ""),
    ("assertErrorMsg(function() error('exact') end, 'exact')", False, None),
    ("assertErrorPattern(function() error('a 12 b') end, '%d+ b')", True, ""),
    ("assertErrorObj(function() error({code = 3}) end, function(e) return e.code == 3 end)",
     True, ""),
])
def test_assertion_messages(rt, call, ok, message):
    if ok is None:  # a misuse: raises
        with pytest.raises(Exception):
            check(rt, call)
        return
    got_ok, got_msg = check(rt, call)
    assert got_ok is ok
    if message is not None:
        assert got_msg == message
    else:
        assert got_msg.startswith("ERROR violation: err=")


def test_tolerance_and_message_in_either_order(rt):
    assert check(rt, "eq(1, 1.2, 0.5, 'm')")[0] is True
    assert check(rt, "eq(1, 1.2, 'm', 0.5)")[0] is True
    assert check(rt, "eq(1, 2, 'm', 0.5)") == (False, "m\nEQ failed: 1 ~= 2 with tolerance=0.5")
    for bad in ("eq(1, 1, 0.1, 0.2)", "eq(1, 1, 'a', 'b')", "eq(1, 1, -1)", "eq(1, 1, {})",
                "asserteq(1, 1, 'm', 'extra')", "assert(true, 3)"):
        with pytest.raises(Exception):
            check(rt, bad)


def test_tensor_and_storage_comparisons(rt):
    assert check(rt, "assertTensorEq(torch.Tensor{1, 2}, torch.Tensor{1, 2})")[0] is True
    assert check(rt, "assertTensorEq(torch.Tensor{1, 2}, torch.Tensor{1, 2.5}, 'm')") == (
        False, "m\nTensorEQ(==) violation: max diff=0.5, tolerance=0")
    assert check(rt, "assertTensorEq(torch.Tensor{1, 2}, torch.Tensor{1, 2.5}, 0.6)")[0] is True
    assert check(rt, "assertTensorNe(torch.Tensor{1}, torch.Tensor{1})") == (
        False, "TensorNE(==) violation: max diff=0, tolerance=0")
    assert check(rt, "assertTensorEq(torch.Tensor{1}, torch.FloatTensor{1})") == (
        False, "The tensors have different types")
    assert check(rt, "assertTensorEq(torch.Tensor{1, 2}, torch.Tensor{1, 2, 3})") == (
        False, "The tensors have different sizes")
    # byte tensors have no abs: compared as doubles
    assert check(rt, "assertTensorEq(torch.ByteTensor{1, 5}, torch.ByteTensor{1, 3})") == (
        False, "TensorEQ(==) violation: max diff=2, tolerance=0")
    # same elements, other shape: equal for assertTensorEq (with a warning), not for eq
    assert check(rt, "assertTensorEq(torch.Tensor{{1, 2}}, torch.Tensor{1, 2})")[0] is True
    assert check(rt, "eq(torch.Tensor{{1, 2}}, torch.Tensor{1, 2})") == (
        False, "The tensors have different dimensions")
    assert check(rt, "eq(torch.Tensor(), torch.Tensor())") == (True, "")
    assert check(rt, "eq({t = torch.Tensor{1}}, {t = torch.Tensor{1.5}}, 0.1)") == (
        False, "At table location t: TensorEQ(==) violation: max diff=0.5, tolerance=0.1")
    assert check(rt, "eq(torch.Storage{1, 2}, torch.Storage{1, 3})") == (
        False, "StorageEQ(==) violation: max diff=1, tolerance=0")
    assert check(rt, "eq(torch.FloatStorage{1}, torch.LongStorage{1})") == (
        False, "The storages have different types")
    assert check(rt, "eq(torch.Storage{1}, torch.Storage{1, 2})") == (
        False, "The storages have different sizes")
    with pytest.raises(Exception, match="Second argument should be a Tensor"):
        check(rt, "assertTensorEq(torch.Tensor{1}, 2)")


# -- running and the report ---------------------------------------------------------
def dots_line(i, n, name):
    w = len(str(n))
    return "%*d/%d %s %s " % (w, i, n, name, "." * (80 - 8 - (2 * w + 2) - len(name)))


ANSI = re.compile("\x1b\\[[0-9;]*m")


def test_report_text(tmp_path, capsys):
    rt = torchlua.Runtime()  # run_file sets `arg`: the report is coloured, as under th
    f = tmp_path / "suite.lua"
    f.write_text(textwrap.dedent("""\
        local tester = torch.Tester()
        local tests = torch.TestSuite()
        function tests.good()
          tester:asserteq(1, 1)
          tester:assert(true)
        end
        function tests.bad()
          tester:asserteq(1, 2, 'one is not two')
        end
        tester:add(tests)
        return pcall(tester.run, tester, {'good', 'bad'})
    """))
    ok, err = rt.run_file(f)
    coloured = capsys.readouterr().out
    assert ok is False and "An error was found while running tests!" in err
    assert "[\x1b[0;32mPASS\x1b[0m]\n" in coloured and "[\x1b[0;31mFAIL\x1b[0m]\n" in coloured
    assert "with \x1b[0;31m1 failure\x1b[0m and \x1b[0;32m0 errors\x1b[0m\n" in coloured
    out = ANSI.sub("", coloured)
    lines = out.split("\n")
    assert lines[0] == "Running 2 tests"
    progress = [l for l in lines if "/2 " in l]
    assert len(progress) == 2
    for line in progress:
        before, after = line.split("\r")
        name = re.search(r"/2 (\w+) ", before).group(1)
        i = int(before.split("/")[0])
        assert before == dots_line(i, 2, name) + "[WAIT]"
        status = "PASS" if name == "good" else "FAIL"
        assert after == dots_line(i, 2, name) + "[%s]" % status
        assert len(after) == 80
    summary = lines.index("Completed 3 asserts in 2 tests with 1 failure and 0 errors")
    assert lines[summary + 1:] == [
        "-" * 80, "bad", "one is not two", "EQ failed: 1 ~= 2", "stack traceback:",
        "\t%s:8: in function <%s:7>" % (f, f), "-" * 80, ""]


def test_errors_warnings_disabled_and_summary_only(rt, capsys):
    status = lua(rt, """
        local t = torch.Tester()
        t:add(function() error('kaboom') end, 'explodes')
        t:add(function() t:assert(1) end, 'warns')
        t:add(function() end, 'off')
        t:disable('off')
        local ok = pcall(t.run, t)
        return ok, t.countasserts
    """)
    out = capsys.readouterr().out
    assert status == (False, 1)
    assert "Completed 1 assert in 3 tests with 0 failures and 1 error and 1 warning and 1 disabled" in out
    assert "[ERROR]" in out and "[SKIP]" in out
    assert "\n" + " " * 70 + "[+warning]\n" in out
    assert "explodes\n Function call failed\n" in out and "kaboom\nstack traceback:" in out
    assert ":assert should only be used for boolean conditions" in out

    lua(rt, """
        local t = torch.Tester()
        t:setSummaryOnly(true)
        t:add(function() t:asserteq(1, 2) end, 'f')
        pcall(t.run, t)
    """)
    out = capsys.readouterr().out
    assert "Completed 1 assert in 1 test with 1 failure and 0 errors\n" in out
    assert "EQ failed" not in out and "-" * 80 not in out


def test_run_returns_zero_and_selects_by_pattern(rt, capsys):
    res = lua(rt, """
        local t = torch.Tester()
        local ran = {}
        t:add{test_a = function() ran[#ran + 1] = 'a' end,
              test_b = function() ran[#ran + 1] = 'b' end,
              other = function() ran[#ran + 1] = 'o' end}
        local status = t:run('test_')
        table.sort(ran)
        local ok, err = pcall(t.run, t, 'nothing')
        return status, table.concat(ran, ','), ok, err
    """)
    assert res[:3] == (0, "a,b", False)
    assert "Couldn't find test 'nothing'" in res[3]
    out = capsys.readouterr().out
    assert "Running 2 tests" in out
    # a plain table of tests gives a warning (counted outside any test)
    assert "1 warning" in out and "Should use TestSuite rather than plain lua table" in out


def test_early_abort_rethrow_setup_teardown(rt, capsys):
    res = lua(rt, """
        local calls = 0
        local t = torch.Tester()
        t:setEarlyAbort(true)
        t:add(function() calls = calls + 1; t:assert(false) end, 'x1')
        t:add(function() calls = calls + 1; t:assert(false) end, 'x2')
        pcall(t.run, t)

        local r = torch.Tester()
        r:setRethrowErrors(true)
        r:add(function() r:asserteq(1, 2, 'rethrown') end, 'y')
        local ok, err = pcall(r.run, r)

        local log = {}
        local s = torch.Tester()
        s:add{_setUp = function(name) log[#log + 1] = 'up ' .. name end,
              _tearDown = function(name) log[#log + 1] = 'down ' .. name end,
              only = function() log[#log + 1] = 'run' end}
        s:run()
        return calls, ok, err, table.concat(log, ';')
    """)
    assert res[0] == 1
    assert res[1] is False and "rethrown\nEQ failed: 1 ~= 2" in res[2]
    assert res[3] == "up only;run;down only"
    assert "Aborting on first error, not all tests have been executed" in capsys.readouterr().out


def test_add_errors_and_testsuite(rt):
    for code, msg in [
        ("local t = torch.Tester(); t:add(function() end, 'a'); t:add(function() end, 'a')",
         "Test with name a already exists!"),
        ("torch.Tester():add({{function() end}})", "Nested sets of tests are not supported"),
        ("torch.Tester():add(3)", "Only tables of functions and functions supported"),
        ("torch.Tester():add({}, 'name')", "Name parameter is forbidden"),
        ("torch.Tester():disable('missing')", "Unrecognized test 'missing'"),
        ("local s = torch.TestSuite(); function s.a() end; function s.a() end",
         "Test a is already defined."),
        ("local s = torch.TestSuite(); s.x = {}", "Nested tables of tests are not supported"),
        ("local s = torch.TestSuite(); s.x = 1", "Only functions are supported as members of a TestSuite"),
    ]:
        with pytest.raises(Exception, match=re.escape(msg)):
            lua(rt, code)
    assert lua(rt, """
        local s = torch.TestSuite()
        function s.a() return 1 end
        local t = torch.Tester():add(s)
        return torch.type(t), s.a(), t.tests.a == s.a, s.__isTestSuite
    """) == ("torch.Tester", 1, True, True)


def test_io_write_is_looked_up_at_each_call(rt):
    """Scripts silence a Tester by replacing io.write (torch7's own tests do)."""
    text = lua(rt, """
        local seen = {}
        local saved = io.write
        io.write = function(...) for _, s in ipairs({...}) do seen[#seen + 1] = s end end
        local t = torch.Tester()
        t:add(function() t:assertTensorEq(torch.Tensor{{1}}, torch.Tensor{1}) end, 'dims')
        t:run()
        io.write = saved
        return table.concat(seen)
    """)
    assert "but different dimensions" in text
    assert "Completed 1 assert in 1 test with 0 failures and 0 errors and 1 warning" in text
