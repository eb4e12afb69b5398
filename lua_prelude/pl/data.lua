-- pl.data: reading and writing delimited data files (thin: read/write of rows).
local utils = require 'pl.utils'
local stringx = require 'pl.stringx'
local List = require 'pl.List'
local data = {}

local function guess_delim(line)
  for _, d in ipairs({',', '\t', ' '}) do if line:find(d, 1, true) then return d end end
  return ' '
end

function data.read(file, cnfg)
  cnfg = cnfg or {}
  local text
  if type(file) == 'string' then
    local f, err = io.open(file, 'r')
    if not f then return nil, err end
    text = f:read('*a')
    f:close()
  else
    text = (file or io.stdin):read('*a')
  end
  local lines = {}
  for l in text:gmatch('[^\r\n]+') do lines[#lines + 1] = l end
  local delim = cnfg.delim or (lines[1] and guess_delim(lines[1])) or ','
  local res = {}
  local first = 1
  local split = function(l)
    if delim == ' ' then return utils.split(l, '%s+') end
    return utils.split(l, delim, true)
  end
  if lines[1] and not cnfg.no_fieldnames and not lines[1]:find('^[%s%d%.%-+eE' .. delim .. ']+$') then
    res.fieldnames = List(split(lines[1]))
    first = 2
  end
  for i = first, #lines do
    local row = split(lines[i])
    if cnfg.convert ~= false then
      for j, v in ipairs(row) do local n = tonumber(v); if n then row[j] = n end end
    end
    res[#res + 1] = row
  end
  res.delim = delim
  return res
end

function data.write(rows, file, fieldnames, delim)
  delim = delim or '\t'
  local f = type(file) == 'string' and io.open(file, 'w') or file or io.stdout
  if fieldnames then f:write(table.concat(fieldnames, delim), '\n') end
  for _, row in ipairs(rows) do
    local r = {}
    for j, v in ipairs(row) do r[j] = tostring(v) end
    f:write(table.concat(r, delim), '\n')
  end
  if type(file) == 'string' then f:close() end
  return true
end

return data
