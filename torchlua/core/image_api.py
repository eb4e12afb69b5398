"""Core exports behind require 'image' (lua_prelude/image/init.lua): the pixel
loops upstream's image package runs in C, over the tensors' NumPy views.

Image files are read and written with Pillow (the optional extra `image`),
imported only when a file is touched, so the rest works without it.  Geometry
follows upstream: images are HxW or CxHxW; byte results are rounded and clamped
(x + 0.5, then [0, 255]) as upstream's byte kernels do."""
import numpy as np

from .errors import TorchError
from .tensor import Tensor
from .tensor_api import ret
from .types import TYPES


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise TorchError("image: reading and writing image files needs Pillow "
                         "(pip install 'torchlua[image]' or pip install Pillow)") from None
    return Image


def _store(dst, values):
    """Write float results into dst's elements as upstream's FromIntermediate."""
    a = dst.a
    if a.dtype == np.uint8:
        values = np.clip(np.floor(np.asarray(values, np.float64) + 0.5), 0, 255)
    np.copyto(a, np.asarray(values).reshape(a.shape), casting="unsafe")


def _work_dtype(t):
    return np.float64 if t.a.dtype == np.float64 else np.float32


def _planes(a):
    """(C, H, W) view of an HxW or CxHxW array."""
    if a.ndim == 2:
        return a[None]
    if a.ndim == 3:
        return a
    raise TorchError("image: expecting a 2D (HxW) or 3D (CxHxW) tensor, got %dD" % a.ndim)


# -- files ---------------------------------------------------------------------
def img_load(path, ti):
    """CxHxW tensor of type index ti; byte keeps 0..255, float/double are in [0, 1]."""
    Image = _pil()
    try:
        im = Image.open(path)
        im.load()
    except FileNotFoundError:
        raise TorchError("%s: No such file or directory" % path) from None
    except Exception as e:   # Pillow's own errors: unknown format, truncated file...
        raise TorchError("image.load: cannot read %s (%s)" % (path, e)) from None
    maxval = 255
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.int64)[None]
        maxval = 65535
    else:
        if im.mode == "P":
            im = im.convert("RGBA" if "transparency" in im.info else "RGB")
        elif im.mode == "1":
            im = im.convert("L")
        elif im.mode not in ("L", "LA", "RGB", "RGBA"):
            im = im.convert("RGB")
        arr = np.asarray(im)
        arr = arr[None] if arr.ndim == 2 else np.moveaxis(arr, 2, 0)
    t = TYPES[ti]
    if t.dtype == np.uint8:
        out = np.clip(arr, 0, 255).astype(np.uint8) if maxval != 255 else arr.astype(np.uint8)
    else:
        out = arr.astype(t.dtype) * t.dtype.type(1.0 / maxval)
    return ret(Tensor.from_array(np.ascontiguousarray(out), t))


def img_save(path, h, quality):
    """Save an HxW or CxHxW tensor (C = 1, 2, 3, 4); non-byte values are taken in
    [0, 1] (clamped, times 255), as upstream's savePNG/saveJPG."""
    Image = _pil()
    a = h.a
    p = _planes(a)
    if a.dtype == np.uint8:
        b = p
    else:
        b = (np.clip(p.astype(np.float64), 0.0, 1.0) * 255.0).astype(np.uint8)
    c = b.shape[0]
    if c == 1:
        im = Image.fromarray(np.ascontiguousarray(b[0]), "L")
    elif c in (2, 3, 4):
        mode = {2: "LA", 3: "RGB", 4: "RGBA"}[c]
        im = Image.fromarray(np.ascontiguousarray(np.moveaxis(b, 0, 2)), mode)
    else:
        raise TorchError("image.save: expecting 1, 2, 3 or 4 channels, got %d" % c)
    low = str(path).lower()
    kw = {}
    if low.endswith((".jpg", ".jpeg")):
        if im.mode in ("LA", "RGBA"):
            im = im.convert("L" if im.mode == "LA" else "RGB")
        kw["quality"] = int(quality)
    try:
        im.save(path, **kw)
    except (OSError, ValueError, KeyError) as e:
        raise TorchError("image.save: cannot write %s (%s)" % (path, e)) from None


def img_size(path):
    Image = _pil()
    with Image.open(path) as im:
        w, hgt = im.size
        bands = len(im.getbands())
    return bands, hgt, w


# -- scaling (upstream's separable row/column interpolation) ---------------------
def _linear_weights(src_len, dst_len, dt):
    W = np.zeros((dst_len, src_len), np.float64)
    f32 = dt.type
    if dst_len > src_len:
        if src_len == 1:
            W[:, 0] = 1
        else:
            scale = f32(src_len - 1) / f32(dst_len - 1)
            for di in range(dst_len - 1):
                si_f = f32(di) * scale
                si_i = int(si_f)
                fr = float(si_f - si_i)
                W[di, si_i] += 1 - fr
                W[di, si_i + 1] += fr
            W[dst_len - 1, src_len - 1] = 1
    elif dst_len < src_len:
        scale = f32(src_len) / f32(dst_len)
        si0_i, si0_f = 0, 0.0
        for di in range(dst_len):
            s = f32(di + 1) * scale
            si1_i = int(s)
            si1_f = float(s - si1_i)
            row = np.zeros(src_len)
            row[si0_i] += 1 - si0_f
            n = 1 - si0_f
            for si in range(si0_i + 1, si1_i):
                row[si] += 1
                n += 1
            if si1_i < src_len:
                row[si1_i] += si1_f
                n += si1_f
            W[di] = row / n
            si0_i, si0_f = si1_i, si1_f
    else:
        W[:] = np.eye(src_len)
    return W


def _cubic_weights(src_len, dst_len, dt):
    W = np.zeros((dst_len, src_len), np.float64)
    if dst_len == src_len:
        return np.eye(src_len)
    if src_len == 1:
        W[:, 0] = 1
        return W
    f32 = dt.type
    scale = f32(src_len - 1) if dst_len == 1 else f32(src_len - 1) / f32(dst_len - 1)
    for di in range(dst_len - 1):
        si_f = f32(di) * scale
        i = int(si_f)
        x = float(si_f - i)
        c0 = -0.5 * x + x * x - 0.5 * x ** 3
        c1 = 1 - 2.5 * x * x + 1.5 * x ** 3
        c2 = 0.5 * x + 2 * x * x - 1.5 * x ** 3
        c3 = -0.5 * x * x + 0.5 * x ** 3
        W[di, i] += c1
        W[di, i + 1] += c2
        if i > 0:
            W[di, i - 1] += c0
        else:                      # p0 = 2 p1 - p2
            W[di, i] += 2 * c0
            W[di, i + 1] -= c0
        if i + 2 < src_len:
            W[di, i + 2] += c3
        else:                      # p3 = 2 p2 - p1
            W[di, i + 1] += 2 * c3
            W[di, i] -= c3
    W[dst_len - 1, src_len - 1] = 1
    return W


def _round_byte(x, is_byte):
    if is_byte:
        return np.clip(np.floor(x + 0.5), 0, 255)
    return x


def img_scale(src, dst, mode):
    a, d = src.a, dst.a
    if a.ndim not in (2, 3) or d.ndim != a.ndim or (a.ndim == 3 and a.shape[0] != d.shape[0]):
        raise TorchError("image.scale: src and dst depths do not match")
    s = _planes(a)
    o = _planes(d)
    dt = np.dtype(_work_dtype(src))
    is_byte = a.dtype == np.uint8
    H, W = s.shape[1:]
    oH, oW = o.shape[1:]
    x = s.astype(np.float64)
    if mode == "simple":
        scx = np.float32(W) / np.float32(oW)
        scy = np.float32(H) / np.float32(oH)
        ii = np.minimum((np.arange(oW, dtype=np.float32) * scx).astype(np.int64), W - 1)
        jj = np.minimum((np.arange(oH, dtype=np.float32) * scy).astype(np.int64), H - 1)
        res = x[:, jj][:, :, ii]
    else:
        weights = _linear_weights if mode == "bilinear" else _cubic_weights
        Ww = weights(W, oW, dt)
        Wh = weights(H, oH, dt)
        tmp = _round_byte(np.einsum("chw,ow->cho", x, Ww), is_byte)
        res = np.einsum("chw,oh->cow", tmp, Wh)
    _store(dst, res.astype(dt) if not is_byte else res)


# -- geometry -------------------------------------------------------------------
def img_crop(src, dst, startx, starty):
    s = _planes(src.a)
    o = _planes(dst.a)
    oh, ow = o.shape[1:]
    H, W = s.shape[1:]
    if startx < 0 or starty < 0 or startx + ow > W or starty + oh > H:
        raise TorchError("image.crop: crop goes outside bounds of src")
    if o.shape[0] != s.shape[0]:
        raise TorchError("image.crop: src and dst depths do not match")
    _store(dst, s[:, starty:starty + oh, startx:startx + ow])


def img_translate(src, dst, dx, dy):
    dx, dy = int(dx), int(dy)
    s = _planes(src.a)
    o = _planes(dst.a)
    H, W = s.shape[1:]
    oH, oW = o.shape[1:]
    res = o.astype(np.float64)
    # source pixel (j, i) lands on (j + dy, i + dx) when inside the destination
    j0, j1 = max(0, -dy), min(H, oH - dy)
    i0, i1 = max(0, -dx), min(W, oW - dx)
    if j1 > j0 and i1 > i0:
        res[:, j0 + dy:j1 + dy, i0 + dx:i1 + dx] = s[:, j0:j1, i0:i1]
    np.copyto(dst.a, res.reshape(dst.a.shape), casting="unsafe")


def img_rotate(src, dst, theta, mode):
    if src.storage is not None and dst.storage is src.storage and src.a.ctypes.data == dst.a.ctypes.data:
        raise TorchError("image.rotate: in-place rotate not supported")
    s = _planes(src.a).astype(np.float64)
    o = _planes(dst.a)
    H, W = s.shape[1:]
    oH, oW = o.shape[1:]
    f = np.float32
    xc, yc = f((W - 1) / 2.0), f((H - 1) / 2.0)
    ct, st = f(np.cos(theta)), f(np.sin(theta))
    jd, id_ = np.meshgrid(np.arange(oH, dtype=f), np.arange(oW, dtype=f), indexing="ij")
    xs = ct * (id_ - xc) - st * (jd - yc) + xc
    ys = ct * (jd - yc) + st * (id_ - xc) + yc
    if mode == "simple":
        ii = np.round(xs).astype(np.int64)
        jj = np.round(ys).astype(np.int64)
        ok = (ii >= 0) & (jj >= 0) & (ii <= W - 1) & (jj <= H - 1)
        res = np.where(ok[None], s[:, np.clip(jj, 0, H - 1), np.clip(ii, 0, W - 1)], 0.0)
    else:   # bilinear: weighted 4 neighbours, outside pixels count as 0
        x0 = np.floor(xs).astype(np.int64)
        y0 = np.floor(ys).astype(np.int64)
        fx = (xs - x0).astype(np.float64)
        fy = (ys - y0).astype(np.float64)
        res = np.zeros((s.shape[0], oH, oW))
        inside = (xs >= 0) & (ys >= 0) & (xs <= W - 1) & (ys <= H - 1)
        for dy_, wy in ((0, 1 - fy), (1, fy)):
            for dx_, wx in ((0, 1 - fx), (1, fx)):
                xi, yi = x0 + dx_, y0 + dy_
                ok = (xi >= 0) & (yi >= 0) & (xi <= W - 1) & (yi <= H - 1)
                v = s[:, np.clip(yi, 0, H - 1), np.clip(xi, 0, W - 1)]
                res += np.where(ok[None], v * (wx * wy)[None], 0.0)
        res = np.where(inside[None], res, 0.0)
    _store(dst, res)


def img_flip(src, dst, axis_from_end):
    """hflip (1: width) / vflip (2: height), into dst (same size as src)."""
    a = src.a
    _store(dst, np.flip(a, axis=a.ndim - axis_from_end).astype(np.float64))


# -- colour ----------------------------------------------------------------------
def img_rgb2y(src, dst):
    a = src.a
    if a.ndim != 3 or a.shape[0] < 3:
        raise TorchError("image.rgb2y: src not 3D (3xHxW)")
    dt = _work_dtype(src)
    x = a[:3].astype(dt)
    y = dt(0.299) * x[0] + dt(0.587) * x[1] + dt(0.114) * x[2]
    _store(dst, y)


def img_rgb2hsv(src, dst):
    a = src.a
    if a.ndim != 3 or a.shape[0] < 3:
        raise TorchError("image.rgb2hsv: src not 3D (3xHxW)")
    dt = _work_dtype(src)
    x = a[:3].astype(dt)
    if a.dtype == np.uint8:
        x = x / dt(255)
    r, g, b = x
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    d = mx - mn
    safe = np.where(d == 0, dt(1), d)
    h = np.where(mx == r, (g - b) / safe + np.where(g < b, dt(6), dt(0)),
                 np.where(mx == g, (b - r) / safe + dt(2), (r - g) / safe + dt(4))) / dt(6)
    s = d / np.where(mx == 0, dt(1), mx)
    h = np.where(d == 0, dt(0), h)
    s = np.where(d == 0, dt(0), s)
    out = np.stack([h, s, mx]).astype(dt)
    if a.dtype == np.uint8:
        out = out * dt(255)
    _store(dst, out)


def img_hsv2rgb(src, dst):
    a = src.a
    dt = _work_dtype(src)
    x = a[:3].astype(dt)
    if a.dtype == np.uint8:
        x = x / dt(255)
    h, s, v = x
    i = np.floor(h * 6)
    f = h * 6 - i
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    i = i.astype(np.int64) % 6
    r = np.choose(i, [v, q, p, p, t, v])
    g = np.choose(i, [t, v, v, q, p, p])
    b = np.choose(i, [p, p, t, v, v, q])
    out = np.stack([r, g, b]).astype(dt)
    if a.dtype == np.uint8:
        out = out * dt(255)
    _store(dst, out)


def img_gaussian(dst, amplitude, normalize, sigma_u, sigma_v, mean_u, mean_v):
    a = dst.a
    if a.ndim != 2:
        raise TorchError("image.gaussian: expecting a 2D tensor")
    height, width = a.shape
    dt = _work_dtype(dst)
    mu = dt(mean_u) * width + dt(0.5)
    mv = dt(mean_v) * height + dt(0.5)
    osu = dt(1.0) / (dt(sigma_u) * width)
    osv = dt(1.0) / (dt(sigma_v) * height)
    du = (np.arange(width, dtype=dt) + 1 - mu) * osu
    dv = (np.arange(height, dtype=dt) + 1 - mv) * osv
    val = dt(amplitude) * np.exp(dt(-0.5) * (du[None, :] ** 2 + dv[:, None] ** 2))
    _store(dst, val)
    if normalize:
        total = a.astype(dt).sum()
        _store(dst, a.astype(dt) * (dt(1.0) / total))


def img_tempdir():
    """A fresh directory for image.display's files."""
    import tempfile
    return tempfile.mkdtemp(prefix="torchlua-image-")


EXPORTS = {
    "img_tempdir": img_tempdir,
    "img_load": img_load,
    "img_save": img_save,
    "img_size": img_size,
    "img_scale": img_scale,
    "img_crop": img_crop,
    "img_translate": img_translate,
    "img_rotate": img_rotate,
    "img_flip": img_flip,
    "img_rgb2y": img_rgb2y,
    "img_rgb2hsv": img_rgb2hsv,
    "img_hsv2rgb": img_hsv2rgb,
    "img_gaussian": img_gaussian,
}
