"""optim.ConfusionMatrix and optim.Logger: counts, statistics, printed text, log files."""
import json
import sys
import textwrap

import numpy as np
import pytest

from torchlua import Runtime


@pytest.fixture(scope="module")
def rt():
    r = Runtime()
    r.execute("require 'optim'")
    return r


def g14(v):
    """Lua's tostring of a number (LuaJIT: %.14g)."""
    return "%.14g" % v


# (target, prediction) pairs of the hand-made example; the matrix they give:
#   cat  [2 1 0]   dog [0 3 1]   bird [1 0 1]
PAIRS = [(1, 1), (1, 1), (1, 2), (2, 2), (2, 2), (2, 2), (2, 3), (3, 1), (3, 3)]
MAT = [[2, 1, 0], [0, 3, 1], [1, 0, 1]]


def expected_stats():
    m = np.array(MAT, dtype=np.int64)
    rows, cols, diag = m.sum(1), m.sum(0), np.diag(m)
    valids = [np.float32(diag[i] / rows[i]) for i in range(3)]  # stored in a FloatTensor
    unions = [np.float32(diag[i] / (rows[i] + cols[i] - diag[i])) for i in range(3)]
    avg = 0.0
    for v in valids:
        avg += float(v)
    avgu = 0.0
    for u in unions:
        avgu += float(u)
    return valids, unions, avg / 3, avgu / 3, diag.sum() / m.sum()


def fill(rt, how):
    return rt.execute("""
      local how, pairs_ = ...
      local cm = optim.ConfusionMatrix({'cat', 'dog', 'bird'})
      local n = #pairs_
      if how == 'numbers' then
        for i = 1, n do cm:add(pairs_[i][2], pairs_[i][1]) end
      elseif how == 'vectors' then
        for i = 1, n do
          local t, p = pairs_[i][1], pairs_[i][2]
          local scores = torch.Tensor(3):fill(-1); scores[p] = 2
          local onehot = torch.zeros(3); onehot[t] = 1
          if i % 2 == 0 then cm:add(scores, t) else cm:add(scores, onehot) end
        end
      else
        local scores = torch.Tensor(n, 3):fill(0)
        local targets = torch.LongTensor(n + 1)
        for i = 1, n do scores[i][pairs_[i][2]] = 1; targets[i] = pairs_[i][1] end
        -- an extra row whose target 0 means "missing": ignored
        scores = torch.cat(scores, torch.Tensor{{1, 0, 0}}, 1); targets[n + 1] = 0
        cm:batchAdd(scores, targets)
      end
      return cm""", how, [list(p) for p in PAIRS])


@pytest.mark.parametrize("how", ["numbers", "vectors", "batch"])
def test_confusion_counts_and_stats(rt, how):
    cm = fill(rt, how)
    np.testing.assert_array_equal(cm.mat.numpy(), MAT)
    cm.updateValids()
    valids, unions, avg, avgu, total = expected_stats()
    np.testing.assert_array_equal(cm.valids.numpy(), np.array(valids, np.float32))
    np.testing.assert_array_equal(cm.unionvalids.numpy(), np.array(unions, np.float32))
    assert cm.averageValid == avg
    assert cm.averageUnionValid == avgu
    assert cm.totalValid == total


def test_confusion_text(rt):
    cm = fill(rt, "numbers")
    valids, unions, avg, avgu, total = expected_stats()
    pct = ["%2.3f" % (float(v) * 100) for v in valids]
    assert pct == ["66.667", "75.000", "50.000"]
    expected = (
        "ConfusionMatrix:\n"
        "[[       2       1       0]   " + pct[0] + "% \t[class: cat]\n"
        " [       0       3       1]   " + pct[1] + "% \t[class: dog]\n"
        " [       1       0       1]]  " + pct[2] + "% \t[class: bird]\n"
        " + average row correct: " + g14(avg * 100) + "% \n"
        " + average rowUcol correct (VOC measure): " + g14(avgu * 100) + "% \n"
        " + global correct: " + g14(total * 100) + "%")
    assert rt.execute("return tostring(...)", cm) == expected


def test_confusion_text_without_names_and_wide_counts(rt):
    text = rt.execute("""
      local cm = optim.ConfusionMatrix(2)
      cm:add(1, 1); cm:add(2, 1)
      cm.mat[2][2] = 123456789
      return tostring(cm)""")
    lines = text.split("\n")
    # 1 + ceil(log10(123456789)) = 10 characters per count
    assert lines[1] == "[[" + "%10d%10d" % (1, 1) + "]   50.000% "
    assert lines[2] == " [" + "%10d%10d" % (0, 123456789) + "]]  100.000% "
    assert lines[5] == " + global correct: " + g14(123456790 / 123456791 * 100) + "%"


def test_confusion_empty_class_is_nan_and_skipped(rt):
    cm = rt.execute("""local cm = optim.ConfusionMatrix(3)
      cm:add(1, 1); cm:add(2, 2); cm:add(1, 2); cm:updateValids(); return cm""")
    v = cm.valids.numpy()
    assert v[0] == 1 and v[1] == 0.5 and np.isnan(v[2])
    assert cm.averageValid == 0.75  # the class without samples is left out
    assert "nan% " in rt.execute("return tostring(...)", cm).split("\n")[3]


def test_confusion_zero_and_farfrr(rt):
    cm = fill(rt, "numbers")
    cm.zero()
    assert cm.mat.numpy().sum() == 0 and cm.totalValid == 0 and cm.averageValid == 0
    classFrrs, classFars, frrs, fars = rt.execute("""
      local cm = ...
      cm.mat = torch.LongTensor{{2, 1, 0}, {0, 0, 0}, {1, 0, 3}}
      return cm:farFrr()""", cm)
    # class 2 has no samples: -1 in the per-class tensors, absent from the compact ones
    np.testing.assert_allclose(classFrrs.numpy(), [1 - 2 / 3, -1, 1 - 3 / 4])
    np.testing.assert_allclose(frrs.numpy(), [1 - 2 / 3, 1 - 3 / 4])
    np.testing.assert_allclose(classFars.numpy(), [1 / 4, -1, 0.0])
    np.testing.assert_allclose(fars.numpy(), [1 / 4, 0.0])


def test_confusion_render_image(rt):
    img = rt.execute("""local cm = optim.ConfusionMatrix({'a', 'b'})
      cm:add(1, 1); cm:add(2, 1); cm:add(2, 2); cm:add(2, 2); cm:add(1, 2)
      return cm:render('score', false, 4)""").numpy()
    assert img.shape == (8, 8)
    # sorted by score: class b (2/3 correct) comes before class a (1/2)
    assert img[0, 0] == pytest.approx(2 / 3) and img[0, 4] == pytest.approx(1 / 3)
    assert img[4, 4] == pytest.approx(0.5)
    assert img[3, 0] == 0.1 and img[0, 7] == 0.1


# ---------------------------------------------------------------------------
# Logger

def test_logger_setnames_file_format(rt, tmp_path):
    path = tmp_path / "sub" / "acc.log"
    rt.execute("""local path = ...
      local lg = optim.Logger(path)
      lg:setNames{'train', 'test', 'note'}
      lg:add{1, 0.25, 'ok'}
      lg:add{-12345.678, 1e-7, 'x y'}
      lg.file:close()""", str(path))
    assert path.read_text() == (
        "train\ttest\tnote\t\n"
        " 1.0000e+00\t 2.5000e-01\tok\t\n"
        "-1.2346e+04\t 1.0000e-07\tx y\t\n")


def test_logger_named_add_file_format(rt, tmp_path):
    path = tmp_path / "named.log"
    symbols = rt.execute("""local path = ...
      local lg = optim.Logger(path)
      for i = 1, 3 do lg:add{['loss'] = 1 / i, ['acc'] = 10 * i} end
      lg.file:close()
      return lg.symbols""", str(path))
    lines = path.read_text().split("\n")
    assert lines[-1] == ""
    names = lines[0].split("\t")
    assert names[-1] == "" and sorted(names[:-1]) == ["acc", "loss"]
    for i, line in enumerate(lines[1:4], start=1):
        cells = line.split("\t")
        assert cells[-1] == ""
        values = dict(zip(names[:-1], cells[:-1]))
        assert values["loss"] == "%11.4e" % (1 / i)
        assert values["acc"] == "%11.4e" % (10 * i)
    assert list(symbols["loss"].values()) == [1.0, 0.5, 1 / 3]


def test_logger_rejects_other_values(rt, tmp_path):
    with pytest.raises(Exception, match="can only log numbers and strings"):
        rt.execute("local lg = optim.Logger(...); lg:add{{1}}", str(tmp_path / "bad.log"))


def test_logger_to_stdout(rt, capsys):
    capsys.readouterr()
    rt.execute("local lg = optim.Logger(); lg:setNames{'a'}; lg:add{2}")
    out = capsys.readouterr().out
    assert out == "<Logger> warning: no path provided, logging to std out\na\t\n 2.0000e+00\t\n"


def test_logger_timestamp_name(rt, tmp_path):
    base = tmp_path / "ts.log"
    rt.execute("local lg = optim.Logger(..., true); lg:add{['x'] = 1}; lg.file:close()", str(base))
    made = [p.name for p in tmp_path.iterdir()]
    assert len(made) == 1 and made[0].startswith("ts.log-")


def test_logger_plot_without_matplotlib(rt, tmp_path, monkeypatch, capfd):
    empty = tmp_path / "nompl"
    empty.mkdir()
    (empty / "matplotlib.py").write_text("raise ImportError('no matplotlib here')\n")
    monkeypatch.setenv("PYTHONPATH", str(empty))
    monkeypatch.setenv("TORCHLUA_PYTHON", sys.executable)
    capfd.readouterr()
    rt.execute("""local lg = optim.Logger(...)
      lg:setNames{'a', 'b'}
      for i = 1, 3 do lg:add{i, -i} end
      lg:style{'-', '+-'}
      lg:plot(); lg:plot()""", str(tmp_path / "p.log"))
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "matplotlib is not installed" in err
    assert not (tmp_path / "p.log.png").exists()


FAKE_PYPLOT = textwrap.dedent("""
    import json
    calls = []
    class _Ax:
        def plot(self, x, y, fmt, label=None):
            calls.append(["plot", list(x), list(y), fmt, label])
        def set_yscale(self, s):
            calls.append(["yscale", s])
        def grid(self, on):
            calls.append(["grid", on])
        def legend(self):
            pass
        def set_title(self, t):
            calls.append(["title", t])
    class _Fig:
        def savefig(self, path):
            with open(path, "w") as f:
                json.dump(calls, f)
    def subplots():
        return _Fig(), _Ax()
""")


def test_logger_plot_with_matplotlib(rt, tmp_path, monkeypatch):
    fake = tmp_path / "fakempl"
    (fake / "matplotlib").mkdir(parents=True)
    (fake / "matplotlib" / "__init__.py").write_text("def use(name):\n    pass\n")
    (fake / "matplotlib" / "pyplot.py").write_text(FAKE_PYPLOT)
    monkeypatch.setenv("PYTHONPATH", str(fake))
    monkeypatch.setenv("TORCHLUA_PYTHON", sys.executable)
    log = tmp_path / "curves.log"
    rt.execute("""local lg = optim.Logger(...)
      lg:setNames{'train', 'test'}
      for i = 1, 3 do lg:add{1 / i, 0.5 * i} end
      lg:style{'-', '+-'}
      lg:setlogscale(true)
      lg:plot('test')""", str(log))
    calls = json.loads((tmp_path / "curves.log.png").read_text())
    assert ["plot", [1, 2, 3], [0.5, 1.0, 1.5], "+-", "test"] in calls
    assert not any(c[0] == "plot" and c[4] == "train" for c in calls)
    assert ["yscale", "log"] in calls
    assert ["title", "<Logger::" + str(log) + ">"] in calls
