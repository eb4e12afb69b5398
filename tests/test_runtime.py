"""torchlua.Runtime: the Lua state, its output, os.exit, files and modules."""
import pytest

import torchlua
from torchlua import LuaError, LuaExit, Runtime


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_execute_and_eval_return_lua_values(rt):
    assert rt.eval("1 + 1") == 2
    assert rt.eval("'a' .. 'b'") == "ab"
    assert rt.eval("nil") is None
    assert rt.eval("1, 'x', true") == (1, "x", True)
    assert rt.execute("local a, b = ...; return a * b", 6, 7) == 42
    assert rt.eval("torch.typename(torch.Tensor())") == "torch.DoubleTensor"


def test_lua_52_names(rt):
    assert rt.eval("select('#', table.unpack({1, 2, 3}))") == 3
    assert rt.eval("table.pack(1, nil, 3).n") == 3
    assert rt.eval("math.pow(2, 10)") == 1024


def test_python_is_hidden_by_default(rt):
    assert rt.eval("python") is None
    assert rt.eval("package.loaded.python") is None
    # a Python object handed to Lua is opaque: its attributes cannot be read
    with pytest.raises(Exception):
        rt.eval("(...).__class__", object())


def test_python_visible_on_request():
    r = Runtime(python=True)
    assert r.eval("type(python)") == "table"
    assert r.eval("(...).imag", 3 + 4j) == 4  # Python attributes readable from Lua


def test_print_and_io_write_go_through_sys_stdout(rt, capsys):
    capsys.readouterr()
    rt.execute("print('a', 1, nil); io.write('b', 2, '\\n'); io.stderr:write('err\\n')")
    out = capsys.readouterr()
    assert out.out == "a\t1\tnil\nb2\n"
    assert out.err == "err\n"


def test_os_exit_raises_luaexit_and_the_runtime_stays_usable(rt):
    with pytest.raises(LuaExit) as e:
        rt.execute("os.exit(3)")
    assert e.value.code == 3
    assert rt.eval("2 + 2") == 4
    with pytest.raises(LuaExit) as e:
        rt.execute("os.exit(true)")
    assert e.value.code == 0
    with pytest.raises(LuaExit) as e:
        rt.execute("os.exit(false)")
    assert e.value.code == 1


def test_os_exit_is_not_caught_by_pcall(rt):
    rt.execute("reached = false")
    with pytest.raises(LuaExit) as e:
        rt.execute("pcall(function() pcall(os.exit, 9) end); reached = true")
    assert e.value.code == 9
    assert rt.eval("reached") is False
    assert rt.eval("pcall(error, 'x')") == (False, "x")  # pcall works again afterwards


def test_os_exit_checks_its_argument(rt):
    with pytest.raises(LuaError, match="bad argument #1 to 'exit' \\(number expected, got string\\)"):
        rt.execute("os.exit('x')")


def test_lua_errors_carry_file_and_line(rt):
    with pytest.raises(LuaError, match="boom"):
        rt.execute("error('boom')")


def test_run_file_sets_arg_dots_and_finds_sibling_modules(tmp_path, monkeypatch):
    (tmp_path / "helper.lua").write_text("return {value = 5}")
    main = tmp_path / "main.lua"
    main.write_text("local h = require 'helper'\nreturn arg[0], arg[1], select('#', ...), h.value")
    monkeypatch.chdir("/")
    r = Runtime()
    assert r.run_file(main, ["x", "y"]) == (str(main), "x", 2, 5)


def test_load_module(tmp_path, monkeypatch):
    (tmp_path / "layers.lua").write_text("return {double = function(x) return 2 * x end}")
    (tmp_path / "model.lua").write_text(
        "local name = ...\nlocal layers = require 'layers'\n"
        "local M = {name = name}\nfunction M.run(x) return layers.double(x) end\nreturn M")
    (tmp_path / "noreturn.lua").write_text("noreturn_ran = true")
    monkeypatch.chdir("/")
    r = Runtime()
    m = r.load_module(tmp_path / "model.lua")
    assert m.name == "model"
    assert m.run(21) == 42
    assert r.eval("package.loaded.model.name") == "model"
    assert r.eval("require('model') == package.loaded.model") is True
    assert r.load_module(str(tmp_path / "noreturn.lua")) is True
    assert r.eval("noreturn_ran") is True
    assert r.load_module(tmp_path / "model.lua", name="other").name == "other"


def test_load_module_reports_syntax_errors(tmp_path):
    (tmp_path / "bad.lua").write_text("x = = 1")
    with pytest.raises(LuaError, match="bad.lua:1: unexpected symbol"):
        Runtime().load_module(tmp_path / "bad.lua")


def test_lua_path_environment_variable(tmp_path, monkeypatch):
    (tmp_path / "fromenv.lua").write_text("return 'found via LUA_PATH'")
    monkeypatch.setenv("LUA_PATH", str(tmp_path / "?.lua") + ";;")
    r = Runtime()
    assert r.eval("require 'fromenv'") == "found via LUA_PATH"
    assert r.eval("package.path:find('./?.lua', 1, true) ~= nil") is True  # ';;' kept the default


def test_prelude_modules_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = Runtime()
    assert r.eval("type(require 'paths')") == "table"


def test_version_is_exported():
    assert torchlua.__version__.count(".") == 2
