"""Core exports behind require 'gnuplot' (lua_prelude/gnuplot/init.lua).

Figures are drawn with matplotlib's Agg backend (the optional extra `plot`),
imported only when something is drawn.  Each figure keeps what gnuplot would
have been told (series, title, labels, grid, ranges, legend position) and is
rendered again after every change, into its file: the one given to
pngfigure/epsfigure, or for a window figure (there is no display here) a PNG in a
per-run temporary directory.  The Lua side prints a file's path the first time
it is written."""
import os
import tempfile

import numpy as np

from .errors import TorchError

_FIGS = {}
_STATE = {"current": None, "dir": None}


def _plt():
    try:
        import matplotlib
        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise TorchError("gnuplot: plotting needs matplotlib "
                         "(pip install 'torchlua[plot]' or pip install matplotlib)") from None
    return plt


class _Figure:
    def __init__(self, n, path, fmt):
        self.n = n
        self.path = path
        self.fmt = fmt
        self.reset_content()
        self.title = self.xlabel = self.ylabel = None
        self.grid = False
        self.xrange = self.yrange = None
        self.equal = False
        self.legend = None
        self.logscale = False
        self.written = False
        self.window = False

    def reset_content(self):
        self.series = []      # (legend, x, y, style)
        self.bars = None      # (x, heights)
        self.image = None     # (matrix, palette)


def _window_path(n):
    if _STATE["dir"] is None:
        _STATE["dir"] = tempfile.mkdtemp(prefix="torchlua-gnuplot-")
    return os.path.join(_STATE["dir"], "figure%d.png" % n)


def _current():
    n = _STATE["current"]
    if n is None or n not in _FIGS:
        n = gp_figure(None)
    return _FIGS[n]


def gp_figure(n):
    """Select (creating when new) window figure n; returns its number."""
    if n is None:
        n = (max(_FIGS) + 1) if _FIGS else 1
    n = int(n)
    if n not in _FIGS:
        _FIGS[n] = _Figure(n, _window_path(n), "png")
        _FIGS[n].window = True
    _STATE["current"] = n
    return n


def gp_filefigure(path, fmt, n):
    """pngfigure/epsfigure: a figure drawn into `path`."""
    if n is None:
        n = (max(_FIGS) + 1) if _FIGS else 1
    n = int(n)
    _FIGS[n] = _Figure(n, str(path), fmt)
    _STATE["current"] = n
    return n


def _vec(h):
    return np.asarray(h.a, dtype=np.float64).copy()


def gp_clear():
    _current().reset_content()


def gp_series(legend, xh, yh, style):
    _current().series.append((legend or "", _vec(xh), _vec(yh), style or ""))


def gp_bars(xh, yh):
    f = _current()
    f.bars = (_vec(xh), _vec(yh))


def gp_image(h, palette):
    f = _current()
    a = _vec(h)
    if a.ndim != 2:
        raise TorchError("x is expected to be matrices x = %dD" % a.ndim)
    f.image = (a, palette or "gray")


def gp_set(key, a=None, b=None, c=None, d=None):
    f = _current()
    if key in ("title", "xlabel", "ylabel"):
        setattr(f, key, a)
    elif key == "grid":
        f.grid = bool(a)
    elif key == "logscale":
        f.logscale = bool(a)
    elif key == "legend":
        f.legend = (a, b)
    elif key == "axis_auto":
        f.xrange = f.yrange = None
        f.equal = False
    elif key == "axis_equal":
        f.equal = True
    elif key == "axis_fill":
        f.equal = False
    elif key == "axis_range":
        f.xrange, f.yrange = (a, b), (c, d)
    else:
        raise TorchError("gnuplot: unknown setting %s" % key)


_STYLE = {"": "-", "-": "-", "lines": "-", "+": "+", "points": "+", ".": ".",
          "dots": ".", "+-": "+-", "linespoints": "+-", "~": "-", "csplines": "-"}

_LEGEND_LOC = {("left", "top"): "upper left", ("right", "top"): "upper right",
               ("center", "top"): "upper center", ("left", "bottom"): "lower left",
               ("right", "bottom"): "lower right", ("center", "bottom"): "lower center",
               ("left", "middle"): "center left", ("right", "middle"): "center right",
               ("center", "middle"): "center"}


def gp_render():
    """Draw the current figure into its file; returns (path, True when a window
    figure's file is written for the first time)."""
    f = _current()
    plt = _plt()
    fig = plt.figure(figsize=(6.4, 4.8), dpi=100)
    try:
        ax = fig.add_subplot(111)
        has_legend = False
        for legend, x, y, style in f.series:
            ys = y if y.ndim == 2 else y[:, None]
            for k in range(ys.shape[1]):
                label = legend if (legend and k == 0) else None
                has_legend = has_legend or bool(label)
                if style in ("|", "boxes"):
                    width = np.min(np.diff(np.sort(x))) if x.size > 1 else 1.0
                    ax.bar(x, ys[:, k], width=width, label=label)
                else:
                    st = _STYLE.get(style, "-")
                    marker = {"+": "+", ".": ".", "+-": "+"}.get(st)
                    ls = "-" if st in ("-", "+-") else "none"
                    ax.plot(x, ys[:, k], linestyle=ls, marker=marker, label=label)
        if f.bars is not None:
            x, y = f.bars
            width = (x[1] - x[0]) if x.size > 1 else 1.0
            ax.bar(x, y, width=width, edgecolor="black")
        if f.image is not None:
            a, palette = f.image
            cmap = "gray" if palette == "gray" else "jet"
            im = ax.imshow(a, cmap=cmap, interpolation="nearest", aspect="auto"
                           if not f.equal else "equal")
            fig.colorbar(im, ax=ax)
        if f.title:
            ax.set_title(f.title)
        if f.xlabel:
            ax.set_xlabel(f.xlabel)
        if f.ylabel:
            ax.set_ylabel(f.ylabel)
        if f.grid:
            ax.grid(True)
        if f.logscale:
            ax.set_xscale("log")
            ax.set_yscale("log")
        if f.xrange:
            ax.set_xlim(*f.xrange)
        if f.yrange:
            ax.set_ylim(*f.yrange)
        if f.equal and f.image is None:
            ax.set_aspect("equal", adjustable="box")
        if has_legend:
            ax.legend(loc=_LEGEND_LOC.get(f.legend, "best") if f.legend else "best")
        d = os.path.dirname(os.path.abspath(f.path))
        if not os.path.isdir(d):
            raise TorchError("gnuplot: cannot write %s (no such directory)" % f.path)
        fig.savefig(f.path, format="eps" if f.fmt == "eps" else "png")
    finally:
        plt.close(fig)
    first = f.window and not f.written
    f.written = True
    return f.path, first


def gp_has_content():
    f = _current()
    return bool(f.series or f.bars is not None or f.image is not None)


def gp_close(n):
    """Forget figure n (the current one when nil); its file stays."""
    if n is None:
        n = _STATE["current"]
    if n is not None:
        _FIGS.pop(int(n), None)
        if _STATE["current"] == n:
            _STATE["current"] = None


def gp_closeall():
    _FIGS.clear()
    _STATE["current"] = None


EXPORTS = {
    "gp_figure": gp_figure,
    "gp_filefigure": gp_filefigure,
    "gp_clear": gp_clear,
    "gp_series": gp_series,
    "gp_bars": gp_bars,
    "gp_image": gp_image,
    "gp_set": gp_set,
    "gp_render": gp_render,
    "gp_has_content": gp_has_content,
    "gp_close": gp_close,
    "gp_closeall": gp_closeall,
}
