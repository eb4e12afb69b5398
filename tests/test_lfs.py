"""lfs (LuaFileSystem's interface): attributes, dir, mkdir/rmdir, chdir, touch, locks,
with LuaFileSystem's failure convention (nil, message, errno)."""
import errno
import os

import pytest

from torchlua import Runtime


@pytest.fixture(scope="module")
def rt():
    r = Runtime()
    r.execute("require 'lfs'")
    return r


def test_require_sets_global(rt):
    assert rt.eval("type(lfs) == 'table' and lfs == require 'lfs'") is True


def test_attributes_table_and_name_form(rt, tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"hello")
    os.chmod(f, 0o640)
    st = os.stat(f)
    got = rt.execute("local a = lfs.attributes(...); return a.mode, a.size, a.modification, "
                     "a.permissions, a.ino, a.nlink", str(f))
    assert got == ("file", 5, int(st.st_mtime), "rw-r-----", st.st_ino, 1)
    assert rt.eval("lfs.attributes(..., 'mode')", str(tmp_path)) == "directory"
    assert rt.eval("lfs.attributes(..., 'size')", str(f)) == 5
    # a table given as second argument is filled and returned
    assert rt.execute("local t = {}; local r = lfs.attributes(..., t); return r == t, t.mode", str(f)) == (True, "file")


def test_attributes_failure_and_bad_name(rt, tmp_path):
    missing = str(tmp_path / "nope")
    got = rt.execute("return lfs.attributes(...)", missing)
    assert got == (None, "cannot obtain information from file '%s': No such file or directory" % missing,
                   errno.ENOENT)
    ok, msg = rt.execute("return pcall(lfs.attributes, ..., 'colour')", missing.replace("nope", ""))
    assert ok is False and "invalid attribute name 'colour'" in msg


def test_symlinkattributes(rt, tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("x")
    link = tmp_path / "l"
    os.symlink(str(target), str(link))
    assert rt.eval("lfs.symlinkattributes(..., 'mode')", str(link)) == "link"
    assert rt.eval("lfs.attributes(..., 'mode')", str(link)) == "file"
    assert rt.eval("lfs.symlinkattributes(...).target", str(link)) == str(target)


def test_dir_iterates_entries_and_raises_on_missing(rt, tmp_path):
    (tmp_path / "x").write_text("")
    (tmp_path / "y").mkdir()
    names = rt.execute("local t = {}; for n in lfs.dir(...) do t[#t + 1] = n end; "
                       "table.sort(t); return table.concat(t, ',')", str(tmp_path))
    assert names == ".,..,x,y"
    ok, msg = rt.execute("return pcall(lfs.dir, ...)", str(tmp_path / "none"))
    assert ok is False and msg.endswith("cannot open %s: No such file or directory" % (tmp_path / "none"))
    # the directory object form: iter, obj = lfs.dir(p); obj:next(), obj:close()
    n = rt.execute("local it, d = lfs.dir(...); local k = 0; while d:next() do k = k + 1 end; "
                   "d:close(); return k", str(tmp_path))
    assert n == 4


def test_mkdir_rmdir(rt, tmp_path):
    d = str(tmp_path / "new")
    assert rt.eval("lfs.mkdir(...)", d) is True
    assert os.path.isdir(d)
    assert rt.execute("return lfs.mkdir(...)", d) == (None, "File exists", errno.EEXIST)
    (tmp_path / "new" / "f").write_text("")
    assert rt.execute("return lfs.rmdir(...)", d) == (None, "Directory not empty", errno.ENOTEMPTY)
    os.remove(tmp_path / "new" / "f")
    assert rt.eval("lfs.rmdir(...)", d) is True
    assert not os.path.exists(d)


def test_currentdir_chdir(rt, tmp_path):
    old = os.getcwd()
    try:
        assert rt.eval("lfs.chdir(...)", str(tmp_path)) is True
        assert rt.eval("lfs.currentdir()") == os.path.realpath(str(tmp_path))
        got = rt.execute("return lfs.chdir(...)", str(tmp_path / "missing"))
        assert got[0] is None and got[1].startswith("Unable to change working directory to '")
        assert got[1].endswith("'\nNo such file or directory\n") and len(got) == 2
    finally:
        os.chdir(old)


def test_touch(rt, tmp_path):
    f = tmp_path / "t"
    f.write_text("")
    assert rt.eval("lfs.touch(..., 1000, 2000)", str(f)) is True
    st = os.stat(f)
    assert (int(st.st_atime), int(st.st_mtime)) == (1000, 2000)
    assert rt.eval("lfs.touch(..., 3000)", str(f)) is True
    assert int(os.stat(f).st_mtime) == 3000
    got = rt.execute("return lfs.touch(...)", str(tmp_path / "no" / "file"))
    assert got[0] is None and got[1] == "No such file or directory"


def test_lock_unlock(rt, tmp_path):
    f = str(tmp_path / "lk")
    got = rt.execute("local fh = io.open(..., 'w'); local a = lfs.lock(fh, 'w'); local b = lfs.unlock(fh); "
                     "fh:close(); return a, b", f)
    assert got == (True, True)
    ok, msg = rt.execute("local fh = io.open(..., 'w'); local r = {pcall(lfs.lock, fh, 'x')}; fh:close(); "
                         "return r[1], r[2]", f)
    assert ok is False and "lock mode" in msg
    # lock_dir makes lockfile.lfs, a second lock fails until freed
    d = str(tmp_path)
    assert rt.execute("local l = lfs.lock_dir(...); local r = {lfs.lock_dir(...)}; l:free(); return #r, r[2]", str(tmp_path)) == (2, "File exists")
    got = rt.execute("local l = lfs.lock_dir(...); local l2, e = lfs.lock_dir(...); local ex = lfs.symlinkattributes"
                     "((...) .. '/lockfile.lfs', 'mode'); l:free(); return l2, e, ex, "
                     "(lfs.symlinkattributes((...) .. '/lockfile.lfs', 'mode'))", d)
    assert got == (None, "File exists", "link", None)
