"""Penlight as th gives it: `require 'pl'` lazy globals, the string `%` operator, and
the commonly used modules (path, dir, file, stringx, tablex, List, Map, Set,
OrderedMap, pretty, class, seq, text, lapp, utils)."""
import os
import subprocess
import sys

import pytest

from torchlua import Runtime

TORCHLUA = [sys.executable, "-I", "-m", "torchlua"]


def env():
    e = {k: v for k, v in os.environ.items() if k not in ("LUA_PATH", "LUA_INIT", "TORCHLUA_DEBUG")}
    return e


def run_cmd(tmp_path, code, *args):
    (tmp_path / "s.lua").write_text(code)
    return subprocess.run(TORCHLUA + ["s.lua"] + list(args), cwd=tmp_path, env=env(),
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def rt():
    r = Runtime()
    r.execute("require 'pl'")
    return r


# -- th's environment ---------------------------------------------------------------
def test_torchlua_command_sets_up_penlight_as_th(tmp_path):
    r = run_cmd(tmp_path, """
io.write(('%d items' % 5), '|', ('%s=%s' % {'k', 'v'}), '|', ('%5.2f' % 3.14159), '\\n')
io.write(type(path), ' ', type(stringx), ' ', type(tablex), ' ', type(List), ' ', type(OrderedMap), ' ',
         type(pretty), ' ', type(lapp), ' ', type(seq), ' ', type(class), ' ', type(utils), '\\n')
io.write(tostring(path == require 'pl.path'), ' ', path.join('a', 'b'), '\\n')
""")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "5 items|k=v| 3.14",
        "table table table table table table table table table table",
        "true a/b",
    ]


def test_runtime_th_option():
    r = Runtime(th=True)
    assert r.eval("'%d-%s' % {3, 'x'}") == "3-x"
    assert r.eval("type(stringx.split)") == "function"
    plain = Runtime()
    assert plain.eval("rawget(_G, 'stringx')") is None
    assert plain.eval("stringx") is None  # no Penlight unless asked for


def test_lazy_globals_load_on_first_use(rt):
    assert rt.eval("rawget(_G, 'array2d')") is None
    assert rt.eval("type(array2d.transpose)") == "function"
    assert rt.eval("rawget(_G, 'array2d') == require 'pl.array2d'") is True
    assert rt.eval("not_a_penlight_module") is None


def test_real_penlight_on_lua_path_wins(tmp_path):
    (tmp_path / "pl").mkdir()
    (tmp_path / "pl" / "stringx.lua").write_text("return {mine = true}")
    r = Runtime()
    r.add_package_path(tmp_path)
    assert r.eval("require('pl.stringx').mine") is True
    # modules the user's copy lacks still come from torchlua
    assert r.eval("type(require('pl.tablex').deepcompare)") == "function"


# -- path / dir / file ----------------------------------------------------------------
def test_path(rt, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("abc")
    assert rt.eval("path.join('a', 'b', 'c.t7')") == "a/b/c.t7"
    assert rt.eval("path.join('a/', '/abs')") == "/abs"
    assert rt.eval("path.exists(...)", str(f)) == str(f)
    assert rt.eval("path.exists(...)", str(tmp_path / "no")) is False
    assert rt.eval("path.isdir(...), path.isfile(...)", str(tmp_path)) == (True, False)
    assert rt.eval("path.getsize(...)", str(f)) == 3
    assert rt.eval("path.splitext('a/b.tar.gz')") == ("a/b.tar", ".gz")
    assert rt.eval("path.splitext('a/.hidden')") == ("a/.hidden", "")
    assert rt.eval("path.splitpath('/a/b/c.lua')") == ("/a/b", "c.lua")
    assert rt.eval("path.basename('/a/b/'), path.dirname('c')") == ("", "")
    assert rt.eval("path.normpath('a/./b/../c//d')") == "a/c/d"
    assert rt.eval("path.relpath('/a/b/c', '/a/x')") == "../b/c"
    assert rt.eval("path.abspath('q', '/r')") == "/r/q"
    assert rt.eval("path.common_prefix('/a/b/c', '/a/b/d')") == "/a/b/"
    ok, msg = rt.eval("pcall(path.join, 'a', {})")
    assert ok is False and "argument 2 expected a 'string', got a 'table'" in msg


def test_dir_and_file(rt, tmp_path):
    base = str(tmp_path / "t")
    assert rt.eval("dir.makepath(...)", base + "/x/y") is True
    assert os.path.isdir(base + "/x/y")
    assert rt.eval("file.write(..., 'hello')", base + "/x/a.lua") is True
    assert rt.eval("file.read(...)", base + "/x/a.lua") == "hello"
    assert rt.eval("file.read(...)", base + "/missing") == (None, base + "/missing: No such file or directory")
    assert rt.eval("dir.copyfile(...)", base + "/x/a.lua", base + "/x/y/b.txt") is True
    got = rt.execute("local fs = dir.getfiles((...) .. '/x', '*.lua'); return #fs, path.basename(fs[1])", base)
    assert got == (1, "a.lua")
    assert rt.execute("local n = 0; for root, dirs, files in dir.walk(...) do n = n + #files end; return n", base) == 2
    assert rt.eval("#dir.getallfiles(...)", base) == 2
    assert rt.eval("dir.fnmatch('model.t7', '*.t7'), dir.fnmatch('a.lua', '*.t7')") == (True, False)
    assert rt.eval("dir.rmtree(...)", base) is True
    assert not os.path.exists(base)
    assert rt.eval("dir.rmtree(...)", base) == (False, "not a directory")


# -- strings and tables ---------------------------------------------------------------
def test_stringx(rt):
    assert rt.eval("table.concat(stringx.split('  a b  c '), '|')") == "a|b|c"
    assert rt.eval("table.concat(stringx.split('a,b,', ','), '|')") == "a|b|"
    assert rt.eval("stringx.strip('  x  '), stringx.lstrip('xxy', 'x'), stringx.rstrip('y--', '-')") == ("x", "y", "y")
    assert rt.eval("stringx.startswith('hello', 'he'), stringx.endswith('a.lua', {'.t7', '.lua'})") == (True, True)
    assert rt.eval("stringx.replace('a.b.c', '.', '%'), stringx.count('abab', 'ab')") == ("a%b%c", 2)
    assert rt.eval("stringx.center('ab', 6, '*'), stringx.rjust('7', 3, '0')") == ("**ab**", "007")
    assert rt.eval("stringx.partition('k=v=w', '=')") == ("k", "=", "v=w")
    assert rt.eval("stringx.rpartition('k=v=w', '=')") == ("k=v", "=", "w")
    assert rt.eval("stringx.title('hello wORLD'), stringx.shorten('abcdefgh', 5)") == ("Hello World", "ab...")
    assert rt.eval("stringx.isdigit('123'), stringx.isalpha('a1'), stringx.isspace(' ')") == (True, False, True)
    assert rt.eval("#stringx.splitlines('a\\nb\\r\\nc')") == 3


def test_tablex(rt):
    assert rt.eval("tablex.size({a = 1, b = 2, 3})") == 3
    assert rt.eval("tablex.deepcompare({1, {a = 2}}, {1, {a = 2}}), tablex.deepcompare({1}, {2})") == (True, False)
    assert rt.eval("tablex.deepcompare({1.0001}, {1}, false, 0.001)") is True
    assert rt.execute("local t = {1, {2}}; local c = tablex.deepcopy(t); return c[2] ~= t[2] and c[2][1] == 2")
    assert rt.eval("tostring(tablex.range(1, 7, 3))") == "{1,4,7}"
    assert rt.eval("tablex.reduce('+', {1, 2, 3, 4}), tablex.find({5, 6, 7}, 6)") == (10, 2)
    assert rt.eval("tostring(tablex.filter({1, 2, 3, 4}, '|x| x > 2'))") == "{3,4}"
    assert rt.eval("tostring(tablex.imap('_ * 2', {1, 2}))") == "{2,4}"
    assert rt.eval("tablex.count_map({'a', 'b', 'a'}).a") == 2
    assert rt.eval("tostring(List(tablex.keys({x = 1})))") == "{x}"
    assert rt.eval("tablex.merge({a = 1, b = 2}, {b = 3, c = 4}, true).c") == 4
    assert rt.eval("tablex.difference({a = 1, b = 2}, {a = 3}).b") == 2
    assert rt.eval("#tablex.zip({1, 2}, {3, 4}), tablex.zip({1, 2}, {3, 4})[2][2]") == (2, 4)
    ok, msg = rt.eval("pcall(function() local r = tablex.readonly({1}); r[1] = 2 end)")
    assert ok is False and "read-only" in msg


def test_list(rt):
    got = rt.execute("""local l = List{3, 1, 2}; l:append(5)
      return tostring(l), tostring(l:sorted()), tostring(l:slice(2, 3)), tostring(l:map('_ * 2')),
             #l, l:contains(5), l:join(','), l:index(2), tostring(l:reverse()), l:pop(), tostring(l)""")
    assert got == ("{3,1,2,5}", "{1,2,3,5}", "{1,2}", "{6,2,4,10}", 4, True, "3,1,2,5", 3,
                   "{5,2,1,3}", 3, "{5,2,1}")
    assert rt.eval("tostring(List.range(1, 4)), List{1, 2, 3}:reduce('+')") == ("{1,2,3,4}", 6)
    assert rt.eval("List{1, 2} == List{1, 2}, tostring(List{1} .. List{2})") == (True, "{1,2}")
    assert rt.eval("tostring(List{1, 2, 3, 4}:partition(function(x) return x % 2 end)[1])") == "{1,3}"
    assert rt.eval("tostring(List.split('a b'))") == "{a,b}"
    assert rt.eval("List:is_a(List)") is not None


def test_map_set_orderedmap(rt):
    assert rt.eval("Set.len(Set{1, 2, 3} + Set{3, 4}), (Set{1, 2} * Set{2, 3})[2], Set{1} < Set{1, 2}") == (4, True, True)
    assert rt.eval("(Set{1, 2} - Set{2})[2], Set{1, 2} == Set{2, 1}") == (None, True)
    assert rt.execute("local om = OrderedMap(); om:set('z', 1); om:set('a', 2); om:set('m', 3)"
                      "; local ks = {}; for k, v in om:iter() do ks[#ks + 1] = k .. v end"
                      "; return table.concat(ks, ','), tostring(om:keys()), tostring(om)") == \
        ("z1,a2,m3", "{z,a,m}", "{z=1,a=2,m=3}")
    assert rt.eval("tostring(Map{a = 1}:keys()), Map{a = 1}:get('a')") == ("{a}", 1)


def test_pretty(rt):
    assert rt.eval("pretty.write({1, 2, a = 'x', b = {c = true}})") == \
        '{\n  1,\n  2,\n  a = "x",\n  b = {\n    c = true\n  }\n}'
    assert rt.eval("pretty.write({1, 2, a = 'x'}, '')") == '{1,2,a="x"}'
    assert rt.eval("pretty.write({['x y'] = 1, [10] = 2}, '')") == '{["x y"]=1,[10]=2}'
    assert rt.eval("pretty.read('{1, x = \"y\"}').x") == "y"
    assert rt.eval("pretty.read('{f = function() end}')") == (None, "cannot have functions or loops in table definition")
    assert rt.eval("pretty.read('os.exit()')")[0] is None


def test_class(rt):
    got = rt.execute("""
      local A = class(); function A:_init(x) self.x = x end; function A:get() return self.x end
      local B = class(A); function B:_init(x) self:super(x); self.y = 2 end
      local C = class(B)
      local c = C(5)
      return c:get(), c.y, c:is_a(A), A:class_of(c), B:class_of(A(1)), getmetatable(c) == C""")
    assert got == (5, 2, True, True, False, True)
    assert rt.execute("class.Animal(); function Animal:_init(n) self.n = n end; "
                      "return Animal('cat').n, Animal._name") == ("cat", "Animal")


def test_seq_text_utils(rt):
    assert rt.eval("seq.sum({1, 2, 3})") == (6, 3)
    assert rt.eval("tostring(seq.copy(seq.filter(seq.list{1, 2, 3, 4}, function(x) return x % 2 == 0 end)))") == "{2,4}"
    assert rt.eval("tostring(seq(seq.list{1, 2, 3}):map(function(x) return x * 10 end):copy())") == "{10,20,30}"
    assert rt.eval("seq.count(seq.list{1, 2, 3}, function(x) return x > 1 end)") == 2
    assert rt.eval("text.Template('hi $name ${x}!'):substitute{name = 'bob', x = 1}") == "hi bob 1!"
    assert rt.eval("text.Template('$a and $b'):safe_substitute{a = 1}") == "1 and $b"
    ok, msg = rt.eval("pcall(function() return text.Template('$b'):substitute{} end)")
    assert ok is False and "not present in table b" in msg
    assert rt.eval("text.dedent('  a\\n   b\\n')") == "a\n b\n"
    assert rt.eval("tostring(text.wrap('the quick brown fox jumps over', 10))") == "{the quick,brown fox,jumps over}"
    assert rt.eval("text.indent('a\\nb', 2)") == "  a\n  b\n"
    assert rt.eval("#utils.split('a,b,c', ','), utils.choose(false, 1, 2)") == (3, 2)
    assert rt.eval("utils.string_lambda('|x| x + 1')(1)") == 2
    assert rt.eval("utils.escape('a.b%')") == "a%.b%%"


def test_format_operator(rt):
    rt.execute("text.format_operator()")
    assert rt.eval("'%d items' % 5") == "5 items"
    assert rt.eval("'%s=%s' % {'k', 'v'}") == "k=v"
    assert rt.eval("'%5.2f' % 3.14159") == " 3.14"
    assert rt.eval("'%s|%s' % {true, 1}") == "true|1"
    assert rt.eval("'$x-$y' % {x = 1, y = 2}") == "1-2"


# -- lapp ---------------------------------------------------------------------------
USAGE = """prog
  -v,--verbose  talk
  -n,--count (default 3)  count
  -o,--out (string)  output
  --rate (number default 0.5)
  -m (1..10 default 2) bounded
  <input> (string)
  <rest...> (optional string)
"""


def test_lapp_parses(rt):
    got = rt.execute("local a = lapp.process_options_string(..., {'-v', '-o', 'x.txt', '--rate=2', 'in.txt', 'a', 'b'})"
                     "; return a.verbose, a.count, a.out, a.rate, a.input, #a.rest, a.rest[2], a.m", USAGE)
    assert got == (True, 3, "x.txt", 2, "in.txt", 2, "b", 2)
    got = rt.execute("local a = lapp.process_options_string(..., {'-ox', '-n5', 'i'}); return a.verbose, a.count, a.out", USAGE)
    assert got == (False, 5, "x")


def test_lapp_errors_quit_like_penlight(tmp_path):
    code = "local args = lapp [[\n" + USAGE + "]]\nprint(args.out)\n"
    r = run_cmd(tmp_path, code, "in.txt")
    assert r.returncode == 1
    assert r.stderr.startswith("s: missing required parameter: out\n\nprog\n  -v,--verbose  talk\n")
    r = run_cmd(tmp_path, code, "-o", "f", "-m", "20", "in.txt")
    assert r.returncode == 1 and "m out of range" in r.stderr
    r = run_cmd(tmp_path, code, "-o", "f", "-z", "in.txt")
    assert r.returncode == 1 and "unrecognized parameter: z" in r.stderr
    r = run_cmd(tmp_path, code, "in.txt", "-o")
    assert r.returncode == 1 and r.stderr.startswith("s: out was expecting a value\n")
    r = run_cmd(tmp_path, code, "--help")
    assert r.returncode == 1 and r.stderr.startswith("prog\n") and "-n,--count (default 3)" in r.stderr
    r = run_cmd(tmp_path, code, "-o", "out.txt", "in.txt")
    assert r.returncode == 0 and r.stdout.strip() == "out.txt"
