-- require 'image': upstream's image package (loading, saving, geometry, colour
-- spaces, kernels, display) over the Python core (torchlua/core/image_api.py).
-- Files are read and written with Pillow, the optional extra `image`.  Images are
-- HxW or CxHxW tensors; float/double images hold values in [0, 1].
require 'torch'
local core = require 'torch._core'
local C = core.C

local image = rawget(_G, 'image') or {}
_G.image = image

local function call(f, ...) return core.call(f, ...) end
local function th(x, argn, fname) return core.th(x, argn, fname) end

local function usage_error(fname, msg)
   error(string.format('<%s> %s', fname, msg), 3)
end

local function check_image(x, fname, argn)
   if not torch.isTensor(x) then
      usage_error(fname, string.format('bad argument #%d (torch.*Tensor expected, got %s)',
         argn or 1, torch.type(x)))
   end
   if x:dim() ~= 2 and x:dim() ~= 3 then
      usage_error(fname, 'expecting a 2D (HxW) or 3D (CxHxW) tensor, got ' .. x:dim() .. 'D')
   end
end

------------------------------------------------------------------------------
-- files
local TYPE_TI = {byte = 0, float = 5, double = 6}

local function default_type()
   local tn = torch.getdefaulttensortype()
   if tn == 'torch.FloatTensor' then return 'float' end
   return 'double'
end

-- depth conversion after loading (upstream's todepth)
local function todepth(img, depth)
   if depth == 1 then
      if img:nDimension() == 2 then return img end
      local c = img:size(1)
      if c == 3 or c == 4 then
         return image.rgb2y(img:narrow(1, 1, 3))[1]
      elseif c == 2 then
         return img:narrow(1, 1, 1)
      elseif c ~= 1 then
         error('<image.todepth> image loaded has wrong #channels', 3)
      end
   elseif depth == 3 then
      if img:nDimension() == 2 then
         local rgb = img.new(3, img:size(1), img:size(2))
         for k = 1, 3 do rgb:select(1, k):copy(img) end
         return rgb
      end
      local c = img:size(1)
      if c == 3 then return img end
      if c == 4 then return img:narrow(1, 1, 3) end
      if c == 1 or c == 2 then
         local rgb = img.new(3, img:size(2), img:size(3))
         for k = 1, 3 do rgb:select(1, k):copy(img[1]) end
         return rgb
      end
      error('<image.todepth> image loaded has wrong #channels', 3)
   end
   return img
end

function image.load(filename, depth, tensortype)
   if type(filename) ~= 'string' then usage_error('image.load', 'missing file name') end
   if depth ~= nil and depth ~= 1 and depth ~= 3 then
      usage_error('image.load', 'depth must be 1 or 3')
   end
   tensortype = tensortype or default_type()
   local ti = TYPE_TI[tensortype]
   if not ti then usage_error('image.load', 'type must be byte, float or double') end
   local img = core.callT(C.img_load, filename, ti)
   return todepth(img, depth)
end

local function saver(quality)
   return function(filename, tensor)
      check_image(tensor, 'image.save', 2)
      call(C.img_save, filename, th(tensor), quality)
   end
end
image.savePNG = saver(100)
image.saveJPG = saver(75)
image.loadPNG = function(f, d, t) return image.load(f, d, t) end
image.loadJPG = image.loadPNG

local SUPPORTED = {png = true, jpg = true, jpeg = true, ppm = true, pgm = true, bmp = true,
                   gif = true, tif = true, tiff = true}
function image.is_supported(suffix) return SUPPORTED[(suffix or ''):lower()] == true end

function image.save(filename, tensor)
   if type(filename) ~= 'string' or tensor == nil then
      usage_error('image.save', 'missing file name | tensor to save')
   end
   local ext = filename:match('%.(%a+)$')
   if not image.is_supported(ext) then
      usage_error('image.save', 'unknown image type: ' .. tostring(ext))
   end
   check_image(tensor, 'image.save', 2)
   local q = (ext:lower() == 'jpg' or ext:lower() == 'jpeg') and 75 or 100
   call(C.img_save, filename, th(tensor), q)
end

function image.getSize(filename)
   local c, h, w = call(C.img_size, filename)
   return torch.LongTensor({c, h, w})
end

------------------------------------------------------------------------------
-- geometry
local function new_like(src, h, w)
   if src:dim() == 3 then return src.new(src:size(1), h, w) end
   return src.new(h, w)
end

local function hw(src)
   local nd = src:dim()
   return src:size(nd - 1), src:size(nd)
end

-- crop([dst,] src, x1, y1 [, x2, y2]) | crop([dst,] src, format, w, h)
function image.crop(...)
   local n = select('#', ...)
   local a = {...}
   local dst, src, x1, y1, x2, y2, format, w, h
   if n == 6 then dst, src, x1, y1, x2, y2 = unpack(a, 1, 6)
   elseif n == 5 then
      if type(a[3]) == 'string' then dst, src, format, w, h = unpack(a, 1, 5)
      else src, x1, y1, x2, y2 = unpack(a, 1, 5) end
   elseif n == 4 then
      if type(a[2]) == 'string' then src, format, w, h = unpack(a, 1, 4)
      else dst, src, x1, y1 = unpack(a, 1, 4) end
   elseif n == 3 then src, x1, y1 = unpack(a, 1, 3)
   else usage_error('image.crop', 'incorrect arguments') end
   check_image(src, 'image.crop')
   if format then
      local ih, iw = hw(src)
      if format == 'c' then x1, y1 = math.floor((iw - w) / 2), math.floor((ih - h) / 2)
      elseif format == 'tl' then x1, y1 = 0, 0
      elseif format == 'tr' then x1, y1 = iw - w, 0
      elseif format == 'bl' then x1, y1 = 0, ih - h
      elseif format == 'br' then x1, y1 = iw - w, ih - h
      else error('crop format must be "c"|"tl"|"tr"|"bl"|"br"', 2) end
      return image.crop(dst or nil, src, x1, y1, x1 + w, y1 + h)
   end
   if x2 == nil then
      -- dst sized by the caller: filled from (x1, y1)
      call(C.img_crop, th(src), th(dst), x1, y1)
      return dst
   end
   local x = new_like(src, y2 - y1, x2 - x1)
   call(C.img_crop, th(src), th(x), x1, y1)
   if dst then
      image.scale(dst, x)
      return dst
   end
   return x
end

function image.translate(...)
   local n = select('#', ...)
   local dst, src, x, y
   if n == 4 then dst, src, x, y = ...
   elseif n == 3 then src, x, y = ...
   else usage_error('image.translate', 'incorrect arguments') end
   check_image(src, 'image.translate')
   dst = dst or src.new()
   dst:resizeAs(src):zero()
   call(C.img_translate, th(src), th(dst), x, y)
   return dst
end

-- scale(src, w, h [, mode]) | scale(src, size [, mode]) | scale(dst, src [, mode])
-- size: MAX (a number), 'WxH', '^MIN', '*SC', '*SCn/SCd'
function image.scale(...)
   local n = select('#', ...)
   local a = {...}
   local dst, src, width, height, mode, size
   if n == 4 then src, width, height, mode = unpack(a, 1, 4)
   elseif n == 3 then
      if type(a[3]) == 'string' then
         if type(a[2]) == 'string' or type(a[2]) == 'number' then src, size, mode = unpack(a, 1, 3)
         else dst, src, mode = unpack(a, 1, 3) end
      else src, width, height = unpack(a, 1, 3) end
   elseif n == 2 then
      if type(a[2]) == 'string' or type(a[2]) == 'number' then src, size = a[1], a[2]
      else dst, src = a[1], a[2] end
   else usage_error('image.scale', 'incorrect arguments') end
   check_image(src, 'image.scale')
   if size then
      local ih, iw = hw(src)
      local omax = tonumber(size)
      if omax then
         local imax = math.max(iw, ih)
         height, width = ih * omax / imax, iw * omax / imax
      end
      if not width then
         local w, h = size:match('(%d+)x(%d+)')
         width, height = tonumber(w), tonumber(h)
      end
      if not width then
         local omin = tonumber(size:match('%^(%d+)'))
         if omin then
            local imin = math.min(iw, ih)
            height, width = ih * omin / imin, iw * omin / imin
         end
      end
      if not width then
         local scn, scd = size:match('%*(%d+)%/(%d+)')
         if scn and scd then height, width = ih * scn / scd, iw * scn / scd end
      end
      if not width then
         local sc = tonumber(size:match('%*(.+)'))
         if sc then height, width = ih * sc, iw * sc end
      end
   end
   if not dst and (not width or not height) then
      usage_error('image.scale', 'could not find valid dest size')
   end
   if not dst then
      height = math.max(math.floor(height), 1)
      width = math.max(math.floor(width), 1)
      dst = new_like(src, height, width)
   end
   mode = mode or 'bilinear'
   if mode ~= 'bilinear' and mode ~= 'bicubic' and mode ~= 'simple' then
      usage_error('image.scale', 'mode must be one of: simple | bicubic | bilinear')
   end
   call(C.img_scale, th(src), th(dst), mode)
   return dst
end

-- rotate([dst,] src, theta [, mode]): theta in radians, mode simple | bilinear
function image.rotate(...)
   local n = select('#', ...)
   local a = {...}
   local dst, src, theta, mode
   if n == 4 then dst, src, theta, mode = unpack(a, 1, 4)
   elseif n == 3 then
      if type(a[2]) == 'number' then src, theta, mode = unpack(a, 1, 3)
      else dst, src, theta = unpack(a, 1, 3) end
   elseif n == 2 then src, theta = a[1], a[2]
   else usage_error('image.rotate', 'incorrect arguments') end
   check_image(src, 'image.rotate')
   dst = dst or src.new()
   dst:resizeAs(src)
   mode = mode or 'simple'
   if mode ~= 'simple' and mode ~= 'bilinear' then
      usage_error('image.rotate', 'mode must be one of: simple | bilinear')
   end
   call(C.img_rotate, th(src), th(dst), theta, mode)
   return dst
end

local function flipper(name, axis)
   return function(...)
      local n = select('#', ...)
      local dst, src
      if n == 2 then dst, src = ...
      elseif n == 1 then src = ...
      else usage_error('image.' .. name, 'incorrect arguments') end
      check_image(src, 'image.' .. name)
      dst = dst or src.new()
      dst:resizeAs(src)
      call(C.img_flip, th(src), th(dst), axis)
      return dst
   end
end
image.hflip = flipper('hflip', 1)
image.vflip = flipper('vflip', 2)

------------------------------------------------------------------------------
-- convolution (torch.conv2, 'valid' | 'full' | 'same')
function image.convolve(...)
   local n = select('#', ...)
   local a = {...}
   local dst, src, kernel, mode
   if n == 4 then dst, src, kernel, mode = unpack(a, 1, 4)
   elseif n == 3 then
      if type(a[3]) == 'string' then src, kernel, mode = unpack(a, 1, 3)
      else dst, src, kernel = unpack(a, 1, 3) end
   elseif n == 2 then src, kernel = a[1], a[2]
   else usage_error('image.convolve', 'incorrect arguments') end
   if mode and mode ~= 'valid' and mode ~= 'full' and mode ~= 'same' then
      usage_error('image.convolve', 'mode has to be one of: full | valid | same')
   end
   local md = (mode == 'full' or mode == 'same') and 'F' or 'V'
   if kernel:nDimension() == 2 and src:nDimension() == 3 then
      local k3 = src.new(src:size(1), kernel:size(1), kernel:size(2))
      for i = 1, src:size(1) do k3[i]:copy(kernel) end
      kernel = k3
   end
   if dst then torch.conv2(dst, src, kernel, md)
   else dst = torch.conv2(src, kernel, md) end
   if mode == 'same' then
      local cx = dst:dim()
      local cy = cx - 1
      local ofy = math.ceil(kernel:size(cy) / 2)
      local ofx = math.ceil(kernel:size(cx) / 2)
      dst = dst:narrow(cy, ofy, src:size(cy)):narrow(cx, ofx, src:size(cx))
   end
   return dst
end

------------------------------------------------------------------------------
-- dynamic range
function image.minmax(args)
   if type(args) ~= 'table' or not torch.isTensor(args.tensor) then
      usage_error('image.minmax', 'expecting {tensor=..., [min=, max=, symm=, inplace=, saturate=, tensorOut=]}')
   end
   local tensor = args.tensor
   local min, max = args.min, args.max
   local saturate = args.saturate or false
   local out = args.tensorOut or (args.inplace and tensor)
      or torch.Tensor(tensor:size()):copy(tensor)
   if args.tensorOut then out:resize(tensor:size()):copy(tensor) end
   if min == nil and max == nil then saturate = false end
   local fmin = 0
   if min == nil then
      if args.symm then
         fmin = math.max(math.abs(out:min()), math.abs(out:max()))
         min = -fmin
      else
         min = out:min()
      end
   end
   if min ~= 0 then out:add(-min) end
   if max == nil then
      max = args.symm and fmin * 2 or out:max()
   else
      max = max - min
   end
   if max ~= 0 then out:div(max) end
   if saturate then out:clamp(0, 1) end
   return out
end

-- toDisplayTensor(input [, padding, nrow, scaleeach, min, max, symmetric, saturate])
-- or toDisplayTensor{input=..., padding=..., ...}: a grid of the images
function image.toDisplayTensor(...)
   local a = {...}
   local opt
   if select('#', ...) == 1 and type(a[1]) == 'table' and not torch.isTensor(a[1])
      and a[1].input ~= nil then
      opt = a[1]
   else
      opt = {input = a[1], padding = a[2], nrow = a[3], scaleeach = a[4], min = a[5],
             max = a[6], symmetric = a[7], saturate = a[8]}
   end
   local input = opt.input
   local padding = opt.padding or 0
   local nrow = opt.nrow or 6
   local scaleeach = opt.scaleeach or false
   local min, max, symm = opt.min, opt.max, opt.symmetric or false
   local saturate = opt.saturate
   if saturate == nil then saturate = true end

   local packed = torch.Tensor()
   if type(input) == 'table' and not torch.isTensor(input) then
      local nd = input[1]:dim()
      local ch = nd == 2 and 1 or input[1]:size(1)
      packed:resize(#input, ch, input[1]:size(nd - 1), input[1]:size(nd))
      for i = 1, #input do packed[i]:copy(input[i]) end
   elseif torch.isTensor(input) then
      packed:resize(input:size()):copy(input)
   else
      error('Unknown or incompatbile type of input: ' .. torch.type(input), 2)
   end
   local function mm(t)
      image.minmax{tensor = t, inplace = true, min = min, max = max, symm = symm, saturate = saturate}
   end
   if scaleeach and ((packed:dim() == 4 and (packed:size(2) == 3 or packed:size(2) == 1))
         or (packed:dim() == 3 and packed:size(1) ~= 1 and packed:size(1) ~= 3)) then
      for i = 1, packed:size(1) do mm(packed[i]) end
   end
   local grid = torch.Tensor()
   local function layout(nmaps, h0, w0, target, off)
      local xmaps = math.min(nrow, nmaps)
      local ymaps = math.ceil(nmaps / xmaps)
      local height, width = h0 + padding, w0 + padding
      return xmaps, ymaps, height, width
   end
   if packed:dim() == 4 and (packed:size(2) == 3 or packed:size(2) == 1) then
      local nmaps = packed:size(1)
      local xmaps, ymaps, height, width = layout(nmaps, packed:size(3), packed:size(4))
      grid:resize(packed:size(2), height * ymaps, width * xmaps):fill(packed:max())
      local k = 1
      for y = 1, ymaps do
         for x = 1, xmaps do
            if k > nmaps then break end
            grid:narrow(2, math.floor((y - 1) * height + 1 + padding / 2), math.floor(height - padding))
                :narrow(3, math.floor((x - 1) * width + 1 + padding / 2), math.floor(width - padding))
                :copy(packed[k])
            k = k + 1
         end
      end
   elseif packed:dim() == 2 or (packed:dim() == 3 and (packed:size(1) == 1 or packed:size(1) == 3)) then
      mm(packed)
      return packed
   elseif packed:dim() == 3 then
      local nmaps = packed:size(1)
      local xmaps, ymaps, height, width = layout(nmaps, packed:size(2), packed:size(3))
      grid:resize(height * ymaps, width * xmaps):fill(packed:max())
      local k = 1
      for y = 1, ymaps do
         for x = 1, xmaps do
            if k > nmaps then break end
            grid:narrow(1, math.floor((y - 1) * height + 1 + padding / 2), math.floor(height - padding))
                :narrow(2, math.floor((x - 1) * width + 1 + padding / 2), math.floor(width - padding))
                :copy(packed[k])
            k = k + 1
         end
      end
   else
      error('packed must be a HxW or KxHxW or Kx3xHxW tensor, or a list of tensors', 2)
   end
   if not scaleeach then mm(grid) end
   return grid
end

------------------------------------------------------------------------------
-- colour spaces
local function in_out(fname, ...)
   local n = select('#', ...)
   local out, input
   if n == 2 then out, input = ...
   elseif n == 1 then input = ...
   else usage_error(fname, 'missing input') end
   if not torch.isTensor(input) or input:dim() ~= 3 or input:size(1) < 3 then
      usage_error(fname, 'expecting a 3xHxW tensor')
   end
   return out, input
end

function image.rgb2yuv(...)
   local out, input = in_out('image.rgb2yuv', ...)
   out = out or input.new()
   out:resizeAs(input)
   local r, g, b = input[1], input[2], input[3]
   out[1]:zero():add(0.299, r):add(0.587, g):add(0.114, b)
   out[2]:zero():add(-0.14713, r):add(-0.28886, g):add(0.436, b)
   out[3]:zero():add(0.615, r):add(-0.51499, g):add(-0.10001, b)
   return out
end

function image.yuv2rgb(...)
   local out, input = in_out('image.yuv2rgb', ...)
   out = out or input.new()
   out:resizeAs(input)
   local y, u, v = input[1], input[2], input[3]
   out[1]:copy(y):add(1.13983, v)
   out[2]:copy(y):add(-0.39465, u):add(-0.58060, v)
   out[3]:copy(y):add(2.03211, u)
   return out
end

function image.rgb2y(...)
   local out, input = in_out('image.rgb2y', ...)
   out = out or input.new()
   out:resize(1, input:size(2), input:size(3))
   call(C.img_rgb2y, th(input), th(out[1]))
   return out
end

function image.rgb2hsv(...)
   local out, input = in_out('image.rgb2hsv', ...)
   out = out or input.new()
   out:resizeAs(input)
   call(C.img_rgb2hsv, th(input), th(out))
   return out
end

function image.hsv2rgb(...)
   local out, input = in_out('image.hsv2rgb', ...)
   out = out or input.new()
   out:resizeAs(input)
   call(C.img_hsv2rgb, th(input), th(out))
   return out
end

------------------------------------------------------------------------------
-- kernels: positional arguments or one table of named ones (as dok.unpack)
local function named(fname, a, spec)
   local r = {}
   local byname = select('#', unpack(a)) == 1 and type(a[1]) == 'table' and not torch.isTensor(a[1])
   for i, s in ipairs(spec) do
      local v
      if byname then v = a[1][s[1]] else v = a[i] end
      r[s[1]] = v
   end
   for _, s in ipairs(spec) do
      if r[s[1]] == nil then
         if s.default ~= nil then r[s[1]] = s.default
         elseif s.defaulta then r[s[1]] = r[s.defaulta] end
      end
   end
   return r
end

local GAUSS = {{'size', default = 3}, {'sigma', default = 0.25}, {'amplitude', default = 1},
               {'normalize', default = false}, {'width', defaulta = 'size'},
               {'height', defaulta = 'size'}, {'sigma_horz', defaulta = 'sigma'},
               {'sigma_vert', defaulta = 'sigma'}, {'mean_horz', default = 0.5},
               {'mean_vert', default = 0.5}, {'tensor'}}

function image.gaussian(...)
   local o = named('image.gaussian', {...}, GAUSS)
   if o.tensor then
      assert(o.tensor:dim() == 2, 'expecting 2D tensor')
      assert(o.tensor:nElement() > 0, 'expecting non-empty tensor')
   end
   local g = o.tensor or torch.Tensor(o.height, o.width)
   call(C.img_gaussian, th(g), o.amplitude, o.normalize and true or false, o.sigma_horz,
        o.sigma_vert, o.mean_horz, o.mean_vert)
   return g
end

local GAUSS1D = {{'size', default = 3}, {'sigma', default = 0.25}, {'amplitude', default = 1},
                 {'normalize', default = false}, {'mean', default = 0.5}, {'tensor'}}

function image.gaussian1D(...)
   local o = named('image.gaussian1D', {...}, GAUSS1D)
   local size = o.size
   if o.tensor then
      assert(o.tensor:dim() == 1, 'expecting 1D tensor')
      assert(o.tensor:nElement() > 0, 'expecting non-empty tensor')
      size = o.tensor:size(1)
   end
   local center = o.mean * size + 0.5
   local g = o.tensor or torch.Tensor(size)
   for i = 1, size do
      g[i] = o.amplitude * math.exp(-(math.pow((i - center) / (o.sigma * size), 2) / 2))
   end
   if o.normalize then g:div(g:sum()) end
   return g
end

local LAPLACE = {{'size', default = 3}, {'sigma', default = 0.1}, {'amplitude', default = 1},
                 {'normalize', default = false}, {'width', defaulta = 'size'},
                 {'height', defaulta = 'size'}, {'sigma_horz', defaulta = 'sigma'},
                 {'sigma_vert', defaulta = 'sigma'}, {'mean_horz', default = 0.5},
                 {'mean_vert', default = 0.5}}

function image.laplacian(...)
   local o = named('image.laplacian', {...}, LAPLACE)
   local cx = o.mean_horz * o.width + 0.5
   local cy = o.mean_vert * o.height + 0.5
   local k = torch.Tensor(o.height, o.width)
   for i = 1, o.height do
      for j = 1, o.width do
         local xsq = math.pow((i - cx) / (o.sigma_horz * o.width), 2) / 2
         local ysq = math.pow((j - cy) / (o.sigma_vert * o.height), 2) / 2
         k[i][j] = (1 - (xsq + ysq)) * o.amplitude * math.exp(-(xsq + ysq))
      end
   end
   if o.normalize then k:div(k:sum()) end
   return k
end

------------------------------------------------------------------------------
-- sample images: upstream ships lena/fabio as data files; torchlua ships none
local function no_sample(name)
   return function()
      error(string.format('image.%s: torchlua does not ship the %s sample image; '
         .. 'load a file of your own with image.load(path)', name, name), 2)
   end
end
image.lena = no_sample('lena')
image.fabio = no_sample('fabio')

------------------------------------------------------------------------------
-- display: no window system here; the image goes to a PNG whose path is printed
local display_count = 0
local display_dir

function image.display(...)
   local a = {...}
   local opt
   if select('#', ...) == 1 and type(a[1]) == 'table' and not torch.isTensor(a[1])
      and a[1].image ~= nil then
      opt = a[1]
   else
      opt = {image = a[1], zoom = a[2], min = a[3], max = a[4], legend = a[5]}
   end
   local img = opt.image
   if img == nil then usage_error('image.display', 'expecting {image=tensor|table, ...}') end
   local grid = image.toDisplayTensor{input = img, padding = opt.padding or 0, nrow = opt.nrow,
      scaleeach = opt.scaleeach, min = opt.min, max = opt.max, symmetric = opt.symmetric,
      saturate = opt.saturate}
   if opt.zoom and opt.zoom ~= 1 then grid = image.scale(grid, '*' .. opt.zoom, 'simple') end
   display_dir = display_dir or call(C.img_tempdir)
   display_count = display_count + 1
   local name = (opt.legend or 'image'):gsub('[^%w%-_]', '_')
   local path = string.format('%s/%s-%d.png', display_dir, name, display_count)
   image.save(path, grid)
   io.write('image.display: written to ' .. path .. '\n')
   return path
end

package.loaded.image = image
return image
