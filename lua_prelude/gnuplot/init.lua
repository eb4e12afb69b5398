-- require 'gnuplot': upstream's plotting API drawn with matplotlib (Agg) instead
-- of a gnuplot process.  There is no display: a window figure is a PNG file in a
-- temporary directory, whose path is printed the first time it is written;
-- pngfigure/epsfigure write where they are told.  matplotlib is the optional
-- extra `plot`; without it the drawing calls fail with a message naming it.
require 'torch'
local core = require 'torch._core'
local C = core.C

local gnuplot = rawget(_G, 'gnuplot') or {}
_G.gnuplot = gnuplot

core.call(C.gp_closeall)   -- a fresh Lua state starts without figures

local function call(f, ...) return core.call(f, ...) end

local function th(x) return core.TDATA[x].h end

local function istensor(v) return torch.isTensor(v) end

-- draw the current figure into its file; a window figure's path is printed once
local function refresh()
   if not call(C.gp_has_content) then return end
   local path, first = call(C.gp_render)
   if first then io.write('gnuplot: figure written to ' .. path .. '\n') end
end

------------------------------------------------------------------------------
-- figures
function gnuplot.figure(n)
   if n ~= nil and type(n) ~= 'number' then error('figure number expected', 2) end
   return call(C.gp_figure, n)
end

local function filefigure(fname, fmt, n)
   if type(fname) ~= 'string' then error('filename expected', 3) end
   return call(C.gp_filefigure, fname, fmt, n)
end
function gnuplot.pngfigure(fname, n) return filefigure(fname, 'png', n) end
function gnuplot.epsfigure(fname, n) return filefigure(fname, 'eps', n) end

function gnuplot.plotflush(n)
   if n ~= nil then call(C.gp_figure, n) end
   refresh()
end

function gnuplot.close(n) call(C.gp_close, n) end
function gnuplot.closeall() call(C.gp_closeall) end

function gnuplot.setgnuplotexe() end
function gnuplot.setterm() end
function gnuplot.raw()
   io.stderr:write('gnuplot.raw: raw gnuplot commands are not supported (matplotlib backend)\n')
end

------------------------------------------------------------------------------
-- plot: one series is [legend,] x [, y] [, format] (upstream's getvars)
local USAGE = 'expecting [string,] tensor [,tensor] [,string]'
local function getvars(t)
   local legend, x, y, format
   local n = #t
   if n == 0 then error('empty argument list', 3) end
   if type(t[1]) == 'string' then legend = t[1]
   elseif istensor(t[1]) then x = t[1]
   else error(USAGE, 3) end
   if n >= 2 then
      if x and type(t[2]) == 'string' then format = t[2]
      elseif x and istensor(t[2]) then y = t[2]
      elseif legend and istensor(t[2]) then x = t[2]
      else error(USAGE, 3) end
   end
   if n >= 3 then
      if legend and x and istensor(t[3]) then y = t[3]
      elseif legend and x and type(t[3]) == 'string' then format = t[3]
      elseif x and y and type(t[3]) == 'string' then format = t[3]
      else error(USAGE, 3) end
   end
   if n == 4 then
      if legend and x and y and type(t[4]) == 'string' then format = t[4]
      else error(USAGE, 3) end
   end
   if n > 4 or not x then error(USAGE, 3) end
   if not y then
      if x:dim() == 2 and x:size(2) > 1 then
         y = x:size(2) == 2 and x:select(2, 2) or x[{{}, {2, -1}}]
         x = x:select(2, 1)
      else
         y = x
         x = torch.range(1, y:size(1))
      end
   end
   if (x:dim() ~= 1 and x:dim() ~= 2) or y:size(1) ~= x:size(1) then
      error('x and y dims are wrong :  x = ' .. x:nDimension() .. 'D y = ' .. y:nDimension() .. 'D', 3)
   end
   return legend or '', x, y, format or ''
end

function gnuplot.plot(...)
   local args = {...}
   if select('#', ...) == 0 then error('no inputs, expecting at least a vector', 2) end
   local series = {}
   if type(args[1]) == 'table' and not istensor(args[1]) then
      if type(args[1][1]) == 'table' and not istensor(args[1][1]) then args = args[1] end
      for _, v in ipairs(args) do series[#series + 1] = {getvars(v)} end
   else
      series[1] = {getvars(args)}
   end
   call(C.gp_clear)
   for _, s in ipairs(series) do
      call(C.gp_series, s[1], th(s[2]:double()), th(s[3]:double()), s[4])
   end
   refresh()
end

function gnuplot.bar(...)
   local args = {...}
   local x, y
   if #args == 1 then
      y = args[1]
      x = torch.range(1, y:size(1))
   else
      x, y = args[1], args[2]
   end
   if not istensor(x) or not istensor(y) then error('expecting [tensor,] tensor', 2) end
   call(C.gp_clear)
   call(C.gp_bars, th(x:double()), th(y:double()))
   refresh()
end

-- histogram with upstream's defaults (bins = 72, range = the data's)
function gnuplot.histc(tensor, bins, min, max, raw)
   if not istensor(tensor) then error('usage: gnuplot.histc (tensor [, nBins] [, min] [, max]', 2) end
   bins = bins or 80 - 8
   min = min or tensor:min()
   max = max or tensor:max()
   local hist = torch.histc(tensor:double(), bins, min, max)
   if raw then return hist end
   local h = {raw = hist, bins = bins, binwidth = (max - min) / bins}
   local _, mx = torch.max(hist, 1)
   local _, mn = torch.min(hist, 1)
   for i = 1, bins do
      h[i] = {val = min + (i - 0.5) * h.binwidth, nb = hist[i]}
   end
   h.max, h.min = mx[1], mn[1]
   return h
end

function gnuplot.hist(tensor, bins, min, max)
   local h = gnuplot.histc(tensor, bins, min, max)
   local x = torch.Tensor(#h)
   for i = 1, #h do x[i] = h[i].val end
   gnuplot.bar(x, h.raw)
   return h
end

function gnuplot.imagesc(x, palette)
   if not istensor(x) then error('expecting tensor [,string]', 2) end
   if palette ~= nil and type(palette) ~= 'string' then error('expecting tensor [,string]', 2) end
   if x:nDimension() ~= 2 then
      error('x is expected to be matrices x = ' .. x:nDimension() .. 'D', 2)
   end
   call(C.gp_clear)
   call(C.gp_image, th(x:double()), palette or 'gray')
   refresh()
end

------------------------------------------------------------------------------
-- decorations (each redraws the current figure, as gnuplot's replot)
local function setting(key, ...)
   call(C.gp_set, key, ...)
   refresh()
end

function gnuplot.title(label) setting('title', tostring(label)) end
function gnuplot.xlabel(label) setting('xlabel', tostring(label)) end
function gnuplot.ylabel(label) setting('ylabel', tostring(label)) end
function gnuplot.zlabel() end
function gnuplot.grid(toggle) setting('grid', toggle == nil or toggle == true or toggle == 'on') end
function gnuplot.logscale(toggle) setting('logscale', toggle == nil or toggle == true or toggle == 'on') end

local HLOC = {left = true, right = true, center = true}
local VLOC = {bottom = true, top = true, middle = true}
function gnuplot.movelegend(hloc, vloc)
   if not HLOC[hloc] or not VLOC[vloc] then
      error('location is unknown : plot.movelegend expects 2 strings as location '
         .. '{left|right|center}{bottom|top|middle}', 2)
   end
   setting('legend', hloc, vloc)
end

function gnuplot.axis(axis)
   if axis == 'auto' then setting('axis_auto')
   elseif axis == 'image' or axis == 'equal' then setting('axis_equal')
   elseif axis == 'fill' then setting('axis_fill')
   elseif type(axis) == 'table' then
      if #axis ~= 4 then print('axis should have 4 componets {xmin,xmax,ymin,ymax}'); return end
      setting('axis_range', axis[1], axis[2], axis[3], axis[4])
   else
      error("axis expects 'auto', 'image', 'equal', 'fill' or {xmin,xmax,ymin,ymax}", 2)
   end
end

package.loaded.gnuplot = gnuplot
return gnuplot
