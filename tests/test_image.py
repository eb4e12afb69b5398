"""require 'image': loading, transforming and saving images (issue 13).
Files are made here with Pillow (the optional extra `image`)."""
import numpy as np
import pytest

import torchlua

PIL = pytest.importorskip("PIL.Image", reason="Pillow (extra 'image') is not installed")
Image = PIL


@pytest.fixture(scope="module")
def rt():
    r = torchlua.Runtime()
    r.execute("require 'image'")
    return r


@pytest.fixture
def rgb():
    rs = np.random.RandomState(0)
    return rs.randint(0, 256, size=(12, 20, 3)).astype(np.uint8)   # H, W, C


def arr(rt, expr, *args):
    """The tensor `expr` evaluates to, as a NumPy array."""
    t = rt.eval(expr, *args)
    return np.asarray(torchlua.to_numpy(t))


def test_load_png_types_and_layout(rt, rgb, tmp_path):
    p = tmp_path / "a.png"
    Image.fromarray(rgb, "RGB").save(p)
    b = rt.eval("(function(p) local x = image.load(p, 3, 'byte') return torch.type(x), x end)(...)",
                str(p))
    assert b[0] == "torch.ByteTensor"
    np.testing.assert_array_equal(torchlua.to_numpy(b[1]), rgb.transpose(2, 0, 1))
    f = rt.eval("(function(p) local x = image.load(p, 3, 'float') return torch.type(x), x end)(...)",
                str(p))
    assert f[0] == "torch.FloatTensor"
    np.testing.assert_allclose(torchlua.to_numpy(f[1]),
                               rgb.transpose(2, 0, 1).astype(np.float32) * np.float32(1 / 255),
                               rtol=0, atol=0)
    d = arr(rt, "image.load(...)", str(p))      # default: double, native depth
    assert d.dtype == np.float64 and d.shape == (3, 12, 20)
    assert d.min() >= 0 and d.max() <= 1
    y = arr(rt, "image.load(..., 1, 'double')", str(p))
    assert y.shape == (12, 20)
    want = (0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]) / 255
    np.testing.assert_allclose(y, want, atol=1e-6)


def test_load_grey_png_and_depth3(rt, tmp_path):
    g = (np.arange(30).reshape(5, 6) * 8).astype(np.uint8)
    p = tmp_path / "g.png"
    Image.fromarray(g, "L").save(p)
    one = arr(rt, "image.load(..., nil, 'byte')", str(p))
    assert one.shape == (1, 5, 6)
    np.testing.assert_array_equal(one[0], g)
    three = arr(rt, "image.load(..., 3, 'byte')", str(p))
    assert three.shape == (3, 5, 6) and (three == g).all()


def test_jpeg_roundtrip(rt, tmp_path):
    # a smooth image survives JPEG compression within a few grey levels
    yy, xx = np.mgrid[0:32, 0:48]
    img = np.stack([xx * 5, yy * 7, (xx + yy) * 3], axis=2).astype(np.uint8)
    src = tmp_path / "in.jpg"
    Image.fromarray(img, "RGB").save(src, quality=95)
    out = tmp_path / "out.jpg"
    r = rt.eval("""(function(a, b)
        local x = image.load(a, 3, 'float')
        local s = image.scale(x, 24, 16)
        image.save(b, s)
        return torch.type(x), x:size(2), x:size(3), s:size(2), s:size(3)
      end)(...)""", str(src), str(out))
    assert tuple(r) == ("torch.FloatTensor", 32, 48, 16, 24)
    with Image.open(out) as im:
        assert im.format == "JPEG" and im.size == (24, 16)
        back = np.asarray(im.convert("RGB")).astype(float)
    # halving a linear ramp averages neighbours: compare with the exact 2x2 mean
    want = img.astype(float).reshape(16, 2, 24, 2, 3).mean(axis=(1, 3))
    assert np.abs(back - want).mean() < 4


def test_save_png_float_clamps_and_byte_is_exact(rt, rgb, tmp_path):
    p1, p2 = tmp_path / "f.png", tmp_path / "b.png"
    rt.execute("""local p1, p2 = ...
        local x = torch.Tensor(3, 2, 2)
        x[1]:fill(-1); x[2]:fill(0.5); x[3]:fill(2)
        image.save(p1, x)
        image.save(p2, torch.ByteTensor(1, 2, 3):fill(77))""", str(p1), str(p2))
    with Image.open(p1) as im:
        a = np.asarray(im)
    assert a.shape == (2, 2, 3)
    assert (a[..., 0] == 0).all() and (a[..., 1] == 127).all() and (a[..., 2] == 255).all()
    with Image.open(p2) as im:
        assert im.mode == "L" and (np.asarray(im) == 77).all()


def test_scale_modes_and_size_forms(rt):
    r = rt.eval("""(function()
        local x = torch.rand(3, 10, 20)
        local function sz(t) return table.concat(t:size():totable(), 'x') end
        return sz(image.scale(x, 40, 30)), sz(image.scale(x, 40)), sz(image.scale(x, '8x6')),
               sz(image.scale(x, '^5')), sz(image.scale(x, '*2')), sz(image.scale(x, '*1/2')),
               sz(image.scale(x, 7, 5, 'simple')), sz(image.scale(x, 7, 5, 'bicubic')),
               sz(image.scale(torch.Tensor(3, 4, 5), x, 'simple'))
      end)()""")
    assert tuple(r) == ("3x30x40", "3x20x40", "3x6x8", "3x5x10", "3x20x40", "3x5x10", "3x5x7",
                        "3x5x7", "3x4x5")


def test_scale_values():
    rt = torchlua.Runtime()
    rt.execute("require 'image'")
    # bilinear upscale of a 1x2 ramp: exact linear interpolation end to end
    up = arr(rt, "image.scale(torch.Tensor{{0, 1}}, 5, 1)")
    np.testing.assert_allclose(up, [[0, 0.25, 0.5, 0.75, 1]], atol=1e-6)
    # downscale by 2 averages pairs
    down = arr(rt, "image.scale(torch.Tensor{{1, 3, 5, 7}}, 2, 1)")
    np.testing.assert_allclose(down, [[2, 6]], atol=1e-6)
    # simple: nearest (floor) sampling
    simple = arr(rt, "image.scale(torch.Tensor{{1, 2, 3, 4}}, 2, 1, 'simple')")
    np.testing.assert_array_equal(simple, [[1, 3]])
    # bicubic reproduces a linear ramp
    cub = arr(rt, "image.scale(torch.range(0, 3):view(1, 4), 7, 1, 'bicubic')")
    np.testing.assert_allclose(cub, [np.arange(7) * 0.5], atol=1e-5)
    # byte images are rounded
    b = arr(rt, "image.scale(torch.ByteTensor{{0, 255}}, 3, 1)")
    np.testing.assert_array_equal(b, [[0, 128, 255]])


def test_geometry(rt):
    x = np.arange(2 * 4 * 5, dtype=np.float64).reshape(2, 4, 5)
    rt.globals.X = rt.from_numpy(x)
    np.testing.assert_array_equal(arr(rt, "image.crop(X, 1, 2, 4, 4)"), x[:, 2:4, 1:4])
    np.testing.assert_array_equal(arr(rt, "image.crop(X, 'tl', 2, 3)"), x[:, 0:3, 0:2])
    np.testing.assert_array_equal(arr(rt, "image.crop(X, 'br', 2, 3)"), x[:, 1:4, 3:5])
    np.testing.assert_array_equal(arr(rt, "image.hflip(X)"), x[:, :, ::-1])
    np.testing.assert_array_equal(arr(rt, "image.vflip(X)"), x[:, ::-1, :])
    t = arr(rt, "image.translate(X, 2, 1)")
    want = np.zeros_like(x)
    want[:, 1:, 2:] = x[:, :3, :3]
    np.testing.assert_array_equal(t, want)
    # rotating by pi flips both axes (odd sizes keep the centre on a pixel)
    sq = np.arange(9, dtype=np.float64).reshape(1, 3, 3)
    rt.globals.S = rt.from_numpy(sq)
    np.testing.assert_array_equal(arr(rt, "image.rotate(S, math.pi)"), sq[:, ::-1, ::-1])
    np.testing.assert_allclose(arr(rt, "image.rotate(S, math.pi, 'bilinear')"), sq[:, ::-1, ::-1],
                               atol=1e-5)
    np.testing.assert_array_equal(arr(rt, "image.rotate(S, 0)"), sq)


def test_colour_spaces(rt):
    rs = np.random.RandomState(1)
    x = rs.rand(3, 4, 5)
    rt.globals.C3 = rt.from_numpy(x)
    yuv = arr(rt, "image.rgb2yuv(C3)")
    np.testing.assert_allclose(yuv[0], 0.299 * x[0] + 0.587 * x[1] + 0.114 * x[2], atol=1e-12)
    np.testing.assert_allclose(arr(rt, "image.yuv2rgb(image.rgb2yuv(C3))"), x, atol=1e-4)
    y = arr(rt, "image.rgb2y(C3)")
    assert y.shape == (1, 4, 5)
    np.testing.assert_allclose(y[0], yuv[0], atol=1e-12)
    import colorsys
    hsv = arr(rt, "image.rgb2hsv(C3)")
    for i in range(4):
        for j in range(5):
            np.testing.assert_allclose(hsv[:, i, j], colorsys.rgb_to_hsv(*x[:, i, j]), atol=1e-12)


def test_kernels(rt):
    g = arr(rt, "image.gaussian(5)")
    u = (np.arange(5) + 1 - (0.5 * 5 + 0.5)) / (0.25 * 5)
    np.testing.assert_allclose(g, np.exp(-0.5 * (u[None] ** 2 + u[:, None] ** 2)), atol=1e-12)
    gn = arr(rt, "image.gaussian{size=7, sigma=0.3, normalize=true}")
    assert gn.shape == (7, 7) and abs(gn.sum() - 1) < 1e-12
    g1 = arr(rt, "image.gaussian1D(5)")
    np.testing.assert_allclose(g1, np.exp(-(u ** 2) / 2), atol=1e-12)
    lap = arr(rt, "image.laplacian(3)")
    assert lap.shape == (3, 3) and lap[1, 1] == 1 and lap[0, 1] < 0
    # convolve 'same' keeps the size; 'valid' shrinks; a delta kernel is the identity
    r = rt.eval("""(function()
        local x = torch.rand(2, 6, 7)
        local k = torch.zeros(3, 3); k[2][2] = 1
        local s = image.convolve(x, k, 'same')
        local v = image.convolve(x, k, 'valid')
        return (s - x):abs():max(), v:size(2), v:size(3), s:size(2), s:size(3)
      end)()""")
    assert tuple(r) == (0, 4, 5, 6, 7)


def test_minmax_and_display_tensor(rt):
    r = rt.eval("""(function()
        local x = torch.Tensor{{-2, 0}, {2, 6}}
        local m = image.minmax{tensor = x}
        local s = image.minmax{tensor = x, symm = true}
        local g = image.toDisplayTensor{input = {torch.rand(3, 4, 5), torch.rand(3, 4, 5),
                                                 torch.rand(3, 4, 5)}, padding = 1, nrow = 2}
        local f = image.toDisplayTensor(torch.rand(5, 4, 4))
        return m[1][1], m[2][2], m[1][2], s[1][1], s[2][2], x[1][1],
               table.concat(g:size():totable(), 'x'), g:min() >= 0, g:max() <= 1,
               table.concat(f:size():totable(), 'x')
      end)()""")
    assert tuple(r) == (0, 1, 0.25, 4 / 12, 1, -2, "3x10x12", True, True, "4x20")


def test_display_writes_png_and_lena_is_a_clear_error(rt):
    r = rt.eval("""(function()
        local path = image.display{image = torch.rand(3, 8, 9), zoom = 2, legend = 'pic'}
        local ok, err = pcall(image.lena)
        return path, ok, err
      end)()""")
    with Image.open(r[0]) as im:
        assert im.size == (18, 16) and im.format == "PNG"
    assert r[1] is False and "lena" in r[2]


def test_missing_pillow_names_the_extra(monkeypatch, tmp_path):
    import builtins
    real_import = builtins.__import__

    def no_pil(name, *a, **kw):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("no PIL")
        return real_import(name, *a, **kw)

    rt = torchlua.Runtime()
    rt.execute("require 'image'")
    monkeypatch.setattr(builtins, "__import__", no_pil)
    ok, err = rt.eval("pcall(image.save, ..., torch.rand(3, 2, 2))", str(tmp_path / "x.png"))
    assert ok is False and "Pillow" in err and "torchlua[image]" in err
    # the pixel functions need no Pillow
    assert rt.eval("image.hflip(torch.Tensor{{1, 2}})[1][1]") == 2
