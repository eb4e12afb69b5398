-- pl.stringio: file-like objects over strings (create() for writing, open(s) for reading).
local stringio = {}

local SW = {}
SW.__index = SW
function SW:write(...)
  for i = 1, select('#', ...) do self.tbl[#self.tbl + 1] = tostring((select(i, ...))) end
  return self
end
function SW:writef(fmt, ...) return self:write(fmt:format(...)) end
function SW:value() return table.concat(self.tbl) end
function SW:close() return self:value() end
function SW:seek() end

local SR = {}
SR.__index = SR
local function read1(self, fmt)
  local s, i = self.str, self.i
  if i > #s and fmt ~= '*a' then return nil end
  if fmt == '*l' or fmt == nil or fmt == '*L' then
    local e = s:find('\n', i, true)
    local line
    if e then
      line = s:sub(i, fmt == '*L' and e or e - 1)
      self.i = e + 1
    else
      line = s:sub(i)
      self.i = #s + 1
    end
    return line
  elseif fmt == '*a' then
    local r = s:sub(i)
    self.i = #s + 1
    return r
  elseif fmt == '*n' then
    local a, b = s:find('^%s*[-+]?%d*%.?%d+[eE]?[-+]?%d*', i)
    if not a then return nil end
    self.i = b + 1
    return tonumber(s:sub(a, b))
  elseif type(fmt) == 'number' then
    local r = s:sub(i, i + fmt - 1)
    self.i = i + fmt
    return r
  end
  error('bad read format', 2)
end
function SR:read(...)
  if select('#', ...) == 0 then return read1(self, '*l') end
  local res = {}
  for i = 1, select('#', ...) do res[i] = read1(self, (select(i, ...))) end
  return unpack(res, 1, select('#', ...))
end
function SR:lines(...)
  local args = {...}
  return function() return self:read(unpack(args)) end
end
function SR:seek(whence, offset)
  whence = whence or 'cur'
  offset = offset or 0
  if whence == 'set' then self.i = offset + 1
  elseif whence == 'cur' then self.i = self.i + offset
  else self.i = #self.str + offset + 1 end
  return self.i - 1
end
function SR:close() end

function stringio.create() return setmetatable({tbl = {}}, SW) end
function stringio.open(s) return setmetatable({str = s, i = 1}, SR) end
function stringio.lines(s, ...) return stringio.open(s):lines(...) end

return stringio
