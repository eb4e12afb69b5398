"""require 'gnuplot': figures drawn with matplotlib (Agg) into PNG/EPS files (issue 13)."""
import re
import subprocess
import sys
import textwrap

import pytest

import torchlua

pytest.importorskip("matplotlib", reason="matplotlib (extra 'plot') is not installed")
Image = pytest.importorskip("PIL.Image", reason="Pillow is needed to check the written PNGs")

TORCHLUA = [sys.executable, "-I", "-m", "torchlua"]


def run_script(tmp_path, text):
    p = tmp_path / "plot.lua"
    p.write_text(textwrap.dedent(text))
    return subprocess.run(TORCHLUA + [str(p)], capture_output=True, text=True, cwd=tmp_path,
                          timeout=300)


def check_png(path, min_bytes=2000):
    assert path.exists(), path
    assert path.stat().st_size > min_bytes
    with Image.open(path) as im:
        assert im.format == "PNG"
        im.load()
        w, h = im.size
        assert w > 100 and h > 100
        # something was drawn: not a single flat colour
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is None or len(colours) > 10
        return im.size


def test_pngfigure_script(tmp_path):
    r = run_script(tmp_path, """
        require 'gnuplot'
        local x = torch.linspace(0, 2 * math.pi, 100)
        gnuplot.pngfigure('curves.png')
        gnuplot.plot({'sin', x, torch.sin(x), '-'}, {'cos', x, torch.cos(x), '+'})
        gnuplot.title('two curves')
        gnuplot.xlabel('x')
        gnuplot.ylabel('value')
        gnuplot.grid(true)
        gnuplot.movelegend('left', 'bottom')
        gnuplot.axis({0, 7, -1.5, 1.5})
        gnuplot.plotflush()
        gnuplot.close()
        print('done')
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "done"      # a file figure prints nothing
    check_png(tmp_path / "curves.png")


def test_window_figures_go_to_png_files_whose_paths_are_printed(tmp_path):
    r = run_script(tmp_path, """
        require 'gnuplot'
        torch.manualSeed(1)
        gnuplot.figure(1)
        gnuplot.plot(torch.rand(20))
        gnuplot.title('again')          -- redraws the same file, no second path
        gnuplot.figure(2)
        local h = gnuplot.hist(torch.randn(500), 25)
        print('bins', #h, h.raw:sum())
        gnuplot.figure(3)
        gnuplot.imagesc(torch.rand(16, 16), 'color')
        gnuplot.figure(4)
        gnuplot.plot(torch.range(1, 10), torch.range(1, 10):pow(2), '.')
    """)
    assert r.returncode == 0, r.stderr
    paths = re.findall(r"^gnuplot: figure written to (\S+\.png)$", r.stdout, re.M)
    assert len(paths) == 4 and len(set(paths)) == 4
    from pathlib import Path
    for p in paths:
        check_png(Path(p))
    assert re.search(r"^bins\t25\t500\t?$", r.stdout, re.M)


def test_epsfigure(tmp_path):
    r = run_script(tmp_path, """
        require 'gnuplot'
        gnuplot.epsfigure('fig.eps')
        gnuplot.plot(torch.Tensor{1, 3, 2})
        gnuplot.plotflush()
    """)
    assert r.returncode == 0, r.stderr
    data = (tmp_path / "fig.eps").read_bytes()
    assert data.startswith(b"%!PS-Adobe") and len(data) > 1000


def test_plot_argument_forms_and_errors():
    rt = torchlua.Runtime()
    rt.execute("require 'gnuplot'")
    ok, err = rt.eval("pcall(gnuplot.plot)")
    assert ok is False and "no inputs" in err
    ok, err = rt.eval("pcall(gnuplot.plot, 'name', 3)")
    assert ok is False and "expecting [string,] tensor" in err
    ok, err = rt.eval("pcall(gnuplot.plot, torch.rand(3), torch.rand(4))")
    assert ok is False and "dims are wrong" in err
    ok, err = rt.eval("pcall(gnuplot.imagesc, torch.rand(3))")
    assert ok is False and "matrices" in err
    ok, err = rt.eval("pcall(gnuplot.movelegend, 'up', 'top')")
    assert ok is False and "location" in err


def test_missing_matplotlib_names_the_extra(monkeypatch, tmp_path):
    import builtins
    real_import = builtins.__import__

    def no_mpl(name, *a, **kw):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("no matplotlib")
        return real_import(name, *a, **kw)

    rt = torchlua.Runtime()
    rt.execute("require 'gnuplot'")
    monkeypatch.setattr(builtins, "__import__", no_mpl)
    ok, err = rt.eval("pcall(function(p) gnuplot.pngfigure(p); gnuplot.plot(torch.rand(3)) end, ...)",
                      str(tmp_path / "x.png"))
    assert ok is False and "matplotlib" in err and "torchlua[plot]" in err
