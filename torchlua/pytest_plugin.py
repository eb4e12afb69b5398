"""pytest plugin: Lua Torch7 test files and recorded script outputs as pytest tests.

On by default once torchlua is installed (entry point `pytest11`); off with
`-p no:torchlua` or the ini option `torchlua_enabled = false`.

* Lua test files (ini `torchlua_lua_files`, default `test_*.lua *_test.lua`) are run
  once, at collection, in a fresh torchlua Runtime in which `torch.Tester:run` only
  records which tester and which tests it was asked to run.  Each of those tests
  becomes one pytest item named after its Lua function; items of one file share that
  file's Lua state (files are isolated from each other), and each runs its test the
  way Tester:run would (set-up, protected call, tear-down).  A failed assertion shows
  the Tester's message with the test's file:line; an error shows the Lua traceback.
  Under pytest-xdist each worker keeps its own states; `--dist loadfile` keeps the
  tests of one file in one Lua state (otherwise a worker loads the file again).
* A script with a recording beside it (`script.lua.out`, written by `torchlua record`)
  becomes an item `script.lua::output` that runs it and compares with the recording
  (see torchlua.record); `--torchlua-update` rewrites the recordings instead.
"""
import fnmatch
import os
import warnings

import pytest

from . import record as _record


def pytest_addoption(parser):
    group = parser.getgroup("torchlua", "torchlua: Lua Torch7 tests and recorded outputs")
    group.addoption("--torchlua-update", action="store_true", default=False,
                    help="rewrite the recorded outputs (*.lua.out) instead of comparing")
    parser.addini("torchlua_enabled", type="bool", default=True,
                  help="collect Lua test files and recorded outputs (default true)")
    parser.addini("torchlua_lua_files", type="args", default=["test_*.lua", "*_test.lua"],
                  help="glob patterns of the Lua test files to collect")
    parser.addini("torchlua_rtol", default=str(_record.DEFAULT_RTOL),
                  help="relative tolerance for numbers in recorded outputs whose "
                       "header gives none")


def pytest_configure(config):
    config.addinivalue_line("markers", "torchlua: a test collected from Lua by torchlua")


def pytest_collect_file(file_path, parent):
    config = parent.config
    if not config.getini("torchlua_enabled"):
        return None
    name = file_path.name
    if not name.endswith(".lua"):
        return None
    is_test = any(fnmatch.fnmatch(name, p) for p in config.getini("torchlua_lua_files"))
    recorded = os.path.isfile(_record.out_path(file_path))
    if not (is_test or recorded):
        return None
    return LuaFile.from_parent(parent, path=file_path, is_test=is_test, recorded=recorded)


class LuaTesterWarning(UserWarning):
    """A warning that torch.Tester gave while running a Lua test."""


class LuaCollectError(Exception):
    pass


# -- the Lua side ---------------------------------------------------------------------
# Runs the file with Tester:run recording instead of running; returns the records
# {tester, names-argument} and the selected tests of each (name, line, disabled).
_HOOK = r"""
pcall(require, 'trepl')             -- th's environment: its print, paths, sys, xlua
local trepl = package.loaded.trepl
if type(trepl) == 'table' and trepl.set_colors then trepl.set_colors(false) end
local mt = torch.getmetatable('torch.Tester')
local original = rawget(mt, 'run')
local records = {}
rawset(mt, 'run', function(self, names)
  records[#records + 1] = {tester = self, names = names}
  return 0
end)
return records, function() rawset(mt, 'run', original) end
"""

_SELECT = r"""
local rec = ...
local tester = rec.tester
local tests = tester:_getTests(rec.names)
local list = {}
for name, fn in pairs(tests) do
  if type(name) ~= 'string' then name = tostring(name) end
  local info = debug.getinfo(fn, 'S')
  list[#list + 1] = {name = name, line = info.linedefined or 0, where = info.short_src,
                     disabled = tester.disabledTests[name] and true or false}
end
table.sort(list, function(a, b)
  if a.line ~= b.line then return a.line < b.line end
  return a.name < b.name
end)
return list
"""

# One test, as Tester:_run runs it, without the progress line; returns
# (no error, no failure, errors, warnings, number of asserts).
_RUN_ONE = r"""
local T, name = ...
local fn = T.tests[name]
for _, k in ipairs({'assertionPass', 'assertionFail', 'testError', 'haveWarning'}) do
  if type(T[k]) ~= 'table' then T[k] = {} end
end
T.assertionPass[name], T.assertionFail[name], T.testError[name] = 0, 0, 0
T._warningCount[name] = 0
T._currentTestName = name
local e0, w0 = #T.errors, #T.warnings
local ok, pass = true, true
local function guarded(f, what)
  local s, e = xpcall(function() f(name) end, debug.traceback)
  if not s then
    T.errors[#T.errors + 1] = name .. '\n Function call failed (' .. what .. ')\n'
      .. tostring(e) .. '\n'
  end
  return s
end
if T._setUp then ok = guarded(T._setUp, '_setUp') end
if ok then
  local _
  ok, _, pass = T:_pcall(fn)
  if not ok then T.testError[name] = 1 end
end
if T._tearDown then ok = guarded(T._tearDown, '_tearDown') and ok end
local errors, warns = {}, {}
for i = e0 + 1, #T.errors do errors[#errors + 1] = T.errors[i] end
for i = w0 + 1, #T.warnings do warns[#warns + 1] = T.warnings[i] end
return ok, pass, errors, warns, T.assertionPass[name] + T.assertionFail[name]
"""


def _lua_list(t):
    return [t[i] for i in range(1, len(t) + 1)]


class _FileState:
    """One Lua test file loaded in its own Runtime, its Tester:run calls recorded."""

    def __init__(self, path):
        from .runtime import LuaExit, Runtime
        self.rt = Runtime()
        lua = self.rt.lua
        records, restore = lua.execute(_HOOK)
        # named relative to the working folder when inside it, as `th test.lua` would
        # name it (Lua shortens long names in messages)
        name = os.path.relpath(str(path))
        if name.startswith(os.pardir):
            name = str(path)
        try:
            self.rt.run_file(name)
        except LuaExit:  # os.exit at the end of a test file: the tests are recorded
            pass
        except Exception as e:  # a Lua error at the file's top level
            raise LuaCollectError(str(e)) from None
        finally:
            restore()
        self.records = _lua_list(records)
        self.select = lua.execute("return function(...) " + _SELECT + " end")
        self.run_one = lua.execute("return function(...) " + _RUN_ONE + " end")

    def tests(self):
        """[(record index, name, line, source, disabled)] in the order of the run calls,
        each tester's tests in the order they are defined in the file."""
        out = []
        for i, rec in enumerate(self.records):
            try:
                selected = self.select(rec)
            except Exception as e:  # e.g. Tester:run('name') with no such test
                raise LuaCollectError(str(e)) from None
            for t in _lua_list(selected):
                out.append((i, t["name"], t["line"], t["where"], t["disabled"]))
        return out


# The Lua files' states of one session (one pytest process or one xdist worker).
_STATES_KEY = pytest.StashKey[dict]()


def _states(config):
    return config.stash.setdefault(_STATES_KEY, {})


def _state(config, path):
    states = _states(config)
    key = str(path)
    st = states.get(key)
    if st is None:
        st = states[key] = _FileState(path)
    return st


def _drop_state(config, path):
    _states(config).pop(str(path), None)


def pytest_collection_finish(session):
    # files none of whose tests were selected (-k, --lf...) release their state now
    wanted = {str(item.parent.path) for item in session.items if isinstance(item, LuaTestItem)}
    states = _states(session.config)
    for key in list(states):
        if key not in wanted:
            del states[key]


def pytest_unconfigure(config):
    _states(config).clear()


class LuaFile(pytest.File):
    def __init__(self, *, is_test=False, recorded=False, **kw):
        super().__init__(**kw)
        self.is_test = is_test
        self.recorded = recorded

    def collect(self):
        if self.is_test:
            try:
                tests = _state(self.config, self.path).tests()
            except LuaCollectError as e:
                _drop_state(self.config, self.path)
                raise self.CollectError("Lua error while loading %s:\n%s"
                                        % (self.path.name, e)) from None
            seen = {}
            for index, name, line, where, disabled in tests:
                n = seen[name] = seen.get(name, 0) + 1
                item_name = name if n == 1 else "%s[%d]" % (name, n)
                item = LuaTestItem.from_parent(self, name=item_name, record=index,
                                               test=name, line=line, where=where)
                if disabled:
                    item.add_marker(pytest.mark.skip(reason="disabled with Tester:disable"))
                yield item
        if self.recorded:
            yield RecordedOutputItem.from_parent(self, name="output")


class LuaTestFailure(Exception):
    def __init__(self, text, kind):
        super().__init__(text)
        self.text, self.kind = text, kind


def _trim_traceback(block):
    """Drop the frames of the test harness under the test's protected call."""
    lines = block.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == "[C]: in function 'xpcall'":
            return "\n".join(lines[:i]).rstrip("\n")
    return block.rstrip("\n")


class LuaTestItem(pytest.Item):
    def __init__(self, *, record, test, line, where, **kw):
        super().__init__(**kw)
        self.record, self.test, self.line = record, test, line
        self.where = where  # the file defining the test function, as Lua names it
        self.add_marker(pytest.mark.torchlua)

    def runtest(self):
        st = _state(self.config, self.parent.path)
        rec = st.records[self.record]
        from .runtime import LuaExit
        try:
            ok, passed, errors, warns, nasserts = st.run_one(rec["tester"], self.test)
        except LuaExit as e:
            st.rt._clear_exit()
            raise LuaTestFailure("the test called os.exit(%s)" % (e.code,), "error") from None
        head = self.test + "\n"
        errors = [_trim_traceback(e[len(head):] if e.startswith(head) else e)
                  for e in _lua_list(errors)]
        for w in _lua_list(warns):
            warnings.warn(LuaTesterWarning(w.rstrip("\n")))
        if not ok:
            raise LuaTestFailure("\n\n".join(errors), "error")
        if not passed:
            raise LuaTestFailure("\n\n".join(errors), "failure")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, LuaTestFailure):
            e = excinfo.value
            what = "raised an error" if e.kind == "error" else "failed"
            return "Lua test %s %s (%s:%d)\n%s" % (self.test, what, self.where, self.line,
                                                   e.text)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        same_file = os.path.basename(self.where) == self.path.name
        return self.path, (max(self.line - 1, 0) if same_file else None), \
            "lua test: %s" % self.test


def pytest_runtest_teardown(item, nextitem):
    # a file's Lua state is released once the next test is in another file (it is
    # loaded again if one of its tests comes later, e.g. under xdist)
    if isinstance(item, LuaTestItem):
        if not isinstance(nextitem, LuaTestItem) or nextitem.parent is not item.parent:
            _drop_state(item.config, item.parent.path)


class RecordedOutputFailure(Exception):
    pass


class RecordedOutputItem(pytest.Item):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.add_marker(pytest.mark.torchlua)

    @property
    def out_path(self):
        return _record.out_path(self.path)

    def runtest(self):
        expected = _record.read_recording(self.out_path)
        rtol = expected.rtol
        if rtol is None:
            rtol = float(self.config.getini("torchlua_rtol"))
        got = _record.run_script(self.path, expected.args)
        if self.config.getoption("torchlua_update"):
            _record.write_recording(self.path, got, rtol)
            return
        problems = _record.compare(expected, got, rtol)
        if problems:
            raise RecordedOutputFailure(
                "output of %s differs from %s (rtol %g; `pytest --torchlua-update` "
                "rewrites the recording):\n%s" % (self.path.name, os.path.basename(self.out_path),
                                                  rtol, "\n".join(problems)))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, (RecordedOutputFailure, _record.FormatError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, "recorded output: %s" % self.path.name
