"""The torchlua pytest plugin: Lua Tester files as pytest items, recorded outputs."""
import os
import textwrap

import pytest

from torchlua import record

pytest_plugins = ["pytester"]

LUA_TESTS = """\
require 'torch'
local tester = torch.Tester()
local tests = torch.TestSuite()

function tests.passes()
  tester:asserteq(2 + 2, 4, 'arithmetic')
end

function tests.fails()
  tester:asserteq(1, 2, 'one is not two')
end

function tests.errors()
  local t = nil
  return t.field
end

tester:add(tests)
tester:run()
"""


@pytest.fixture
def lua_file(pytester):
    def make(name, text):
        p = pytester.path / name
        p.write_text(textwrap.dedent(text))
        return p
    return make


def test_lua_tests_become_items(pytester, lua_file):
    lua_file("test_basic.lua", LUA_TESTS)
    res = pytester.runpytest("-v", "-p", "no:randomly")
    res.assert_outcomes(passed=1, failed=2)
    # one item per Lua function, in the order they are defined
    res.stdout.re_match_lines([r"test_basic.lua::passes PASSED",
                               r"test_basic.lua::fails FAILED",
                               r"test_basic.lua::errors FAILED"])
    out = res.stdout.str()
    # the failure: the assertion message and the test's file:line
    assert "Lua test fails failed (test_basic.lua:9)" in out
    assert "one is not two\nEQ failed: 1 ~= 2\nstack traceback:" in out
    assert "\ttest_basic.lua:10: in function <test_basic.lua:9>" in out
    # the error: the Lua error with its traceback, without the harness's frames
    assert "Lua test errors raised an error (test_basic.lua:13)" in out
    assert "\ntest_basic.lua:15: attempt to index local 't' (a nil value)" in out
    assert "_pcall" not in out


def test_k_selects_lua_tests(pytester, lua_file):
    lua_file("test_basic.lua", LUA_TESTS)
    res = pytester.runpytest("-k", "passes or errors")
    res.assert_outcomes(passed=1, failed=1, deselected=1)


def test_last_failed_reruns_only_failures(pytester, lua_file):
    lua_file("test_basic.lua", LUA_TESTS)
    pytester.runpytest("-p", "cacheprovider").assert_outcomes(passed=1, failed=2)
    res = pytester.runpytest("-p", "cacheprovider", "--lf", "-v")
    res.assert_outcomes(failed=2)
    res.stdout.fnmatch_lines(["*rerun previous 2 failures*"])
    assert "::passes" not in res.stdout.str()


def test_file_state_shared_within_a_file_isolated_between_files(pytester, lua_file):
    body = """\
        local tester = torch.Tester()
        counter = counter or 0          -- a global of this file's Lua state
        local tests = torch.TestSuite()
        function tests.first()
          counter = counter + 1
          tester:asserteq(counter, 1)
        end
        function tests.second()
          counter = counter + 1
          tester:asserteq(counter, 2, 'tests of one file share one Lua state')
        end
        tester:add(tests):run()
        """
    lua_file("test_a.lua", body)
    lua_file("b_test.lua", body)
    pytester.runpytest().assert_outcomes(passed=4)


def test_setup_teardown_names_disable_and_several_testers(pytester, lua_file):
    lua_file("test_more.lua", """\
        local log = {}
        local t1 = torch.Tester()
        t1:add(function() table.insert(log, 'x') ; t1:assert(#log == 2) end, 'withSetUp')
        t1:add(function(name) table.insert(log, 'up') end, '_setUp')
        t1:add(function() t1:assert(false) end, 'skipped_by_name')
        t1:add(function() t1:assert(false) end, 'disabled')
        t1:disable('disabled')
        t1:run({'with', 'dis'})
        local t2 = torch.Tester()
        t2:add(function() t2:assertTableEq({1, {2}}, {1, {2}}) end, 'withSetUp')
        t2:run()
        """)
    res = pytester.runpytest("-v", "-rs")
    res.assert_outcomes(passed=2, skipped=1)
    res.stdout.fnmatch_lines(["*test_more.lua::withSetUp PASSED*",
                              "*test_more.lua::disabled SKIPPED*",
                              "*test_more.lua::withSetUp[[]2[]] PASSED*",
                              "*disabled with Tester:disable*"])
    assert "skipped_by_name" not in res.stdout.str()


def test_error_at_top_level_is_a_collection_error(pytester, lua_file):
    lua_file("test_broken.lua", "local x = nil\nprint(x.y)\n")
    res = pytester.runpytest()
    res.assert_outcomes(errors=1)
    res.stdout.fnmatch_lines(["*Lua error while loading test_broken.lua*",
                              "*test_broken.lua:2: attempt to index local 'x' (a nil value)*"])


def test_os_exit_and_unknown_test_names(pytester, lua_file):
    lua_file("test_exit.lua", """\
        local t = torch.Tester()
        t:add(function() os.exit(3) end, 'exits')
        t:add(function() t:assert(true) end, 'after')
        os.exit(t:run())
        """)
    lua_file("test_names.lua", """\
        local t = torch.Tester()
        t:add(function() end, 'a')
        t:run('nosuchtest')
        """)
    res = pytester.runpytest("-v", "--continue-on-collection-errors")
    res.assert_outcomes(passed=1, failed=1, errors=1)
    res.stdout.fnmatch_lines(["*test_exit.lua::exits FAILED*", "*test_exit.lua::after PASSED*",
                              "*Lua error while loading test_names.lua*"])
    text = res.stdout.str()
    assert "the test called os.exit(3)" in text
    assert "Couldn't find test 'nosuchtest'" in text


def test_warnings_become_pytest_warnings(pytester, lua_file):
    lua_file("test_warn.lua", """\
        local t = torch.Tester()
        t:add(function() t:assert(1) end, 'warns')
        t:run()
        """)
    res = pytester.runpytest("-W", "always")
    res.assert_outcomes(passed=1, warnings=1)
    assert ":assert should only be used for boolean conditions" in res.stdout.str()


def test_switches_patterns_and_disabling(pytester, lua_file):
    lua_file("test_basic.lua", LUA_TESTS)
    lua_file("spec_x.lua", "local t = torch.Tester(); t:add(function() end, 'spec'); t:run()")
    pytester.runpytest("-p", "no:torchlua").assert_outcomes()
    pytester.makeini("[pytest]\ntorchlua_enabled = false\n")
    pytester.runpytest().assert_outcomes()
    pytester.makeini("[pytest]\ntorchlua_lua_files = spec_*.lua\n")
    res = pytester.runpytest("-v")
    res.assert_outcomes(passed=1)
    res.stdout.fnmatch_lines(["*spec_x.lua::spec PASSED*"])


# -- recorded outputs -------------------------------------------------------------------
SCRIPT = r"""
local n = tonumber(arg[1])
io.write('sizes\t', n, '\t', 2 * n, '\n')
io.write(string.format('%.17g', 1 / 3), '\n')
io.stderr:write('note: ' .. n .. ' items\n')
os.exit(n > 5 and 3 or 0)
"""


def record_script(path, *args, rtol=None):
    opts = [] if rtol is None else ["--rtol", rtol]
    assert record.main(opts + [str(path)] + list(args)) == 0
    return path.parent / (path.name + ".out")


def test_record_writes_a_readable_file(pytester, lua_file):
    script = lua_file("demo.lua", SCRIPT)
    assert record.main(["--rtol", "1e-9", str(script), "7"]) == 0
    out = pytester.path / "demo.lua.out"
    assert out.read_text() == (
        "torchlua recorded output\n"
        "command: torchlua demo.lua 7\n"
        "rtol: 1e-09\n"
        "exit status: 3\n"
        "---- stdout: 2 lines ----\n"
        "sizes\t7\t14\n"
        "0.33333333333333331\n"
        "---- stderr: 1 line ----\n"
        "note: 7 items\n")
    rec = record.read_recording(out)
    assert (rec.args, rec.status, rec.rtol) == (["7"], 3, 1e-9)
    assert rec.stderr == "note: 7 items\n"
    # re-recording keeps the tolerance already in the file
    assert record.main([str(script), "7"]) == 0
    assert "rtol: 1e-09\n" in out.read_text()


def test_format_round_trip_without_final_newline():
    rec = record.Recording(args=["a b", "c"], stdout="x\n\ny", stderr="", status=1)
    text = record.format_recording("s.lua", rec, 0.5)
    assert "---- stdout: 3 lines, no newline at end ----\n" in text
    assert "---- stderr: 0 lines ----\n" in text
    back = record.parse_recording(text)
    assert (back.args, back.stdout, back.stderr, back.status, back.rtol) == (
        ["a b", "c"], "x\n\ny", "", 1, 0.5)
    with pytest.raises(record.FormatError):
        record.parse_recording("something else\n")


def test_line_comparison_with_tolerance():
    d = record.line_difference
    assert d("x = 0.333333333333", "x = 0.333333333333001", 1e-9) is None
    assert d("1.5e-3 and 2", "0.0015 and 2", 1e-12) is None
    assert d("[torch.DoubleTensor of size 2x4]", "[torch.DoubleTensor of size 2x5]", 1e-6)
    assert d("loss 0.5", "loss 0.6", 1e-6).startswith("number 0.5 != 0.6")
    assert d("loss 0.5", "gain 0.5", 1) == "text differs"
    assert d(" 1.0000  2.0000", " 1.0000   2.0000", 0) is None  # column padding
    assert d("a 1 2", "a 1", 1) == "text differs"
    assert d("nan", "nan", 0) is None and d("nan", "1", 1)


def test_recorded_output_matches(pytester, lua_file):
    script = lua_file("demo.lua", SCRIPT)
    record_script(script, "7")
    res = pytester.runpytest("-v")
    res.assert_outcomes(passed=1)
    res.stdout.fnmatch_lines(["*demo.lua::output PASSED*"])


def edit_out(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_recorded_output_within_tolerance_passes(pytester, lua_file):
    script = lua_file("demo.lua", SCRIPT)
    out = record_script(script, "2", rtol="1e-9")
    edit_out(out, "0.33333333333333331", "0.33333333333366")   # 1e-12 relative
    pytester.runpytest().assert_outcomes(passed=1)


def test_recorded_output_beyond_tolerance_fails(pytester, lua_file):
    script = lua_file("demo.lua", SCRIPT)
    out = record_script(script, "2", rtol="1e-9")
    edit_out(out, "0.33333333333333331", "0.3334")
    res = pytester.runpytest()
    res.assert_outcomes(failed=1)
    res.stdout.fnmatch_lines([
        "*output of demo.lua differs from demo.lua.out (rtol 1e-09*",
        "stdout line 2: number 0.3334 != 0.33333333333333331 (relative difference 0.0002 > rtol 1e-09)",
        "  recorded: '0.3334'",
        "  now:      '0.33333333333333331'"])


def test_recorded_output_words_status_and_lines(pytester, lua_file):
    script = lua_file("demo.lua", SCRIPT)
    out = record_script(script, "2")
    edit_out(out, "sizes\t", "shapes\t")
    edit_out(out, "exit status: 0", "exit status: 1")
    edit_out(out, "---- stderr: 1 line ----\nnote: 2 items\n",
             "---- stderr: 2 lines ----\nnote: 2 items\nmore\n")
    res = pytester.runpytest()
    res.assert_outcomes(failed=1)
    text = res.stdout.str()
    assert "exit status 0 instead of 1" in text
    assert "stdout line 1: text differs" in text
    assert "stderr has 1 lines instead of 2" in text and "-more" in text


def test_ini_rtol_used_when_header_has_none(pytester, lua_file):
    script = lua_file("demo.lua", SCRIPT)
    out = record_script(script, "2")
    edit_out(out, "rtol: 1e-06\n", "")
    edit_out(out, "0.33333333333333331", "0.3333")
    pytester.makeini("[pytest]\ntorchlua_rtol = 1e-3\n")
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.makeini("[pytest]\ntorchlua_rtol = 1e-5\n")
    pytester.runpytest().assert_outcomes(failed=1)


def test_update_flag_rewrites_recordings(pytester, lua_file):
    script = lua_file("demo.lua", SCRIPT)
    out = record_script(script, "2", rtol="1e-7")
    edit_out(out, "sizes\t", "shapes\t")
    pytester.runpytest().assert_outcomes(failed=1)
    pytester.runpytest("--torchlua-update").assert_outcomes(passed=1)
    text = out.read_text()
    assert "sizes\t2\t4\n" in text and "rtol: 1e-07\n" in text
    assert "command: torchlua demo.lua 2\n" in text
    pytester.runpytest().assert_outcomes(passed=1)


def test_lua_errors_and_in_process_fallback(tmp_path, monkeypatch):
    script = tmp_path / "bad.lua"
    script.write_text("print('before')\nerror('broken here')\n")
    via_command = record.run_script(script)
    monkeypatch.setattr(record, "_command_available", lambda: False)
    in_process = record.run_script(script)
    assert via_command.stdout == in_process.stdout  # th's print in both
    for rec in (via_command, in_process):
        assert rec.status == 1
        assert rec.stdout.startswith("before")
        assert rec.stderr.startswith("torchlua: bad.lua:2: broken here")
    exits = tmp_path / "exits.lua"
    exits.write_text("io.write('x')\nos.exit(4)\n")
    rec = record.run_script(exits)
    assert (rec.stdout, rec.status) == ("x", 4)


def test_xdist(pytester, lua_file):
    pytest.importorskip("xdist")
    lua_file("test_basic.lua", LUA_TESTS)
    lua_file("test_other.lua", LUA_TESTS)
    script = lua_file("demo.lua", SCRIPT)
    record_script(script, "2")
    res = pytester.runpytest("-n", "2")
    res.assert_outcomes(passed=3, failed=4)


def test_record_subcommand_of_the_torchlua_command(tmp_path):
    import subprocess
    import sys
    script = tmp_path / "demo.lua"
    script.write_text(SCRIPT)
    cmd = [sys.executable, "-m", "torchlua", "record", "--rtol", "0.01", str(script), "2"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "wrote %s.out (exit status 0" % script in proc.stdout
    rec = record.read_recording(str(script) + ".out")
    assert (rec.args, rec.rtol, rec.stdout) == (["2"], 0.01, "sizes\t2\t4\n0.33333333333333331\n")
    missing = subprocess.run([sys.executable, "-m", "torchlua", "record", str(tmp_path / "no.lua")],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "cannot open" in missing.stderr


def test_tests_defined_in_another_file_report_that_file(pytester, lua_file):
    lua_file("shared_tests.lua", """\
        local M = {}
        function M.fromHelper(tester)
          return function() tester:asserteq('a', 'b', 'defined elsewhere') end
        end
        return M
        """)
    lua_file("test_uses_helper.lua", """\
        local helpers = dofile('shared_tests.lua')
        local t = torch.Tester()
        t:add(helpers.fromHelper(t), 'helped')
        t:run()
        """)
    res = pytester.runpytest()
    res.assert_outcomes(failed=1)
    res.stdout.fnmatch_lines(["Lua test helped failed (shared_tests.lua:3)",
                              "defined elsewhere", "EQ failed: a ~= b"])
