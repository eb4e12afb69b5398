-- torch.Timer (a userdata, as in Torch7) and torch.tic/toc, on libc through the FFI.
local ffi = require 'ffi'
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } tl_timeval;
typedef struct { tl_timeval ru_utime; tl_timeval ru_stime; long pad[14]; } tl_rusage;
int gettimeofday(tl_timeval *tv, void *tz);
int getrusage(int who, tl_rusage *usage);
]]

local tv = ffi.new('tl_timeval')
local ru = ffi.new('tl_rusage')

local function realtime()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end

local function cputimes()
  ffi.C.getrusage(0, ru)
  return tonumber(ru.ru_utime.tv_sec) + tonumber(ru.ru_utime.tv_usec) / 1e6,
         tonumber(ru.ru_stime.tv_sec) + tonumber(ru.ru_stime.tv_usec) / 1e6
end

function torch.tic() return realtime() end
function torch.toc(t) return realtime() - t end

local STATE = setmetatable({}, {__mode = 'k'})
local proto = newproxy(true)

local function start(s)
  s.sr = realtime()
  s.su, s.ss = cputimes()
end

local mt
mt = torch.newmetatable('torch.Timer', nil, function()
  local t = newproxy(proto)
  local s = {tr = 0, tu = 0, ts = 0, running = true}
  start(s)
  STATE[t] = s
  return t
end, nil, nil, torch, getmetatable(proto))

local function state(self)
  local s = STATE[self]
  if not s then error("bad argument #1 (torch.Timer expected)", 3) end
  return s
end

function mt.reset(self)
  local s = state(self)
  s.tr, s.tu, s.ts = 0, 0, 0
  start(s)
  return self
end

function mt.stop(self)
  local s = state(self)
  if s.running then
    local u, y = cputimes()
    s.tr = s.tr + realtime() - s.sr
    s.tu = s.tu + u - s.su
    s.ts = s.ts + y - s.ss
    s.running = false
  end
  return self
end

function mt.resume(self)
  local s = state(self)
  if not s.running then
    start(s)
    s.running = true
  end
  return self
end

function mt.time(self)
  local s = state(self)
  local r, u, y = s.tr, s.tu, s.ts
  if s.running then
    local cu, cs = cputimes()
    r = r + realtime() - s.sr
    u = u + cu - s.su
    y = y + cs - s.ss
  end
  return {real = r, user = u, sys = y}
end

function mt.__tostring__(self)
  return string.format('torch.Timer [status: %s]', state(self).running and 'running' or 'stopped')
end
