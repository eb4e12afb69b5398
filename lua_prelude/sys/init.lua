-- sys: Torch's `sys` package (clock, tic/toc, execute, uname, sleep, COLORS ...).
require 'paths'
local ffi = require 'ffi'
pcall(ffi.cdef, [[
typedef struct { long tv_sec; long tv_usec; } tl_timeval;
int gettimeofday(tl_timeval *tv, void *tz);
int usleep(unsigned int usec);
]])

sys = sys or {}
local sys = sys
local tv = ffi.new('tl_timeval')

-- wall-clock seconds with microseconds (sys.c's clock)
function sys.clock()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end

function sys.usleep(us) ffi.C.usleep(us) end
function sys.sleep(seconds) sys.usleep(seconds * 1000000) end

local __t__   -- upstream's name: sys.toc() before sys.tic() reports it
function sys.tic() __t__ = sys.clock() end
function sys.toc(verbose)
  local dt = sys.clock() - __t__
  if verbose then print(dt) end
  return dt
end

local function trim(s) return (s:gsub('^%s*', ''):gsub('%s*$', '')) end

-- run a shell command and return what it printed (stdout and stderr), trimmed
function sys.execute(cmd)
  local f = io.popen(cmd .. ' 2>&1')
  local s = f:read('*all')
  f:close()
  return trim(s)
end

function sys.fexecute(cmd, readwhat)
  local tmp = os.tmpname()
  os.execute(cmd .. ' >' .. tmp .. ' 2>&1')
  local f = assert(io.open(tmp))
  local s = f:read(readwhat or '*all')
  f:close()
  os.remove(tmp)
  return trim(s)
end

function sys.uname()
  if ffi.os == 'Windows' then return 'windows' end
  if ffi.os:find('Linux') then return 'linux' end
  if ffi.os:find('OSX') then return 'macos' end
  return '?'
end
sys.OS = sys.uname()

sys.ls = function(d) return sys.execute('ls ' .. (d or ' ')) end
sys.ll = function(d) return sys.execute('ls -l ' .. (d or ' ')) end
sys.la = function(d) return sys.execute('ls -a ' .. (d or ' ')) end
sys.lla = function(d) return sys.execute('ls -la ' .. (d or ' ')) end

-- the install prefix, found from the interpreter path in arg[<=0] as Torch did
local function prefix()
  if type(arg) == 'table' then
    for i, v in pairs(arg) do
      if type(i) == 'number' and i <= 0 and type(v) == 'string' then
        local base = paths.basename(v)
        if base == 'luajit' or base == 'lua' then
          local bin = paths.dirname(v)
          if paths.basename(bin) == 'bin' then return paths.dirname(bin) end
          return bin
        end
      end
    end
  end
  return ''
end
sys.prefix = prefix()

-- directory and name of the calling file
function sys.fpath()
  local p = debug.getinfo(2, 'S').source:gsub('@', '')
  if p:find('/') ~= 1 then p = paths.concat(paths.cwd(), p) end
  return paths.dirname(p), paths.basename(p)
end

function sys.split(str, pat)
  local t = {}
  local last = 1
  local s, e, cap = str:find('(.-)' .. pat, last)
  while s do
    if s ~= 1 or cap ~= '' then t[#t + 1] = cap end
    last = e + 1
    s, e, cap = str:find('(.-)' .. pat, last)
  end
  if last <= #str then t[#t + 1] = str:sub(last) end
  return t
end

function sys.isNaN(x) return x ~= x end

sys.COLORS = require 'sys.colors'
sys.dirname = paths.dirname
sys.concat = paths.concat
return sys
