-- pl.array2d: two-dimensional arrays (tables of rows).
local tablex = require 'pl.tablex'
local utils = require 'pl.utils'
local List = require 'pl.List'
local array2d = {}

function array2d.size(t) return #t, #(t[1] or {}) end

function array2d.column(a, key)
  local res = {}
  for i = 1, #a do res[i] = a[i][key] end
  return List(res)
end

function array2d.map(f, a, arg)
  f = utils.function_arg(1, f)
  local res = {}
  for i = 1, #a do res[i] = List(tablex.imap(f, a[i], arg)) end
  return List(res)
end

function array2d.reduce_rows(f, a) return tablex.map(function(row) return tablex.reduce(f, row) end, a) end
function array2d.reduce_cols(f, a)
  local res = {}
  for j = 1, #a[1] do res[j] = tablex.reduce(f, array2d.column(a, j)) end
  return res
end

function array2d.new(rows, cols, val)
  local res = {}
  for i = 1, rows do
    local row = {}
    for j = 1, cols do
      if type(val) == 'function' then row[j] = val(i, j) else row[j] = val end
    end
    res[i] = row
  end
  return res
end

function array2d.transpose(a)
  local rows, cols = array2d.size(a)
  local res = {}
  for j = 1, cols do
    res[j] = {}
    for i = 1, rows do res[j][i] = a[i][j] end
  end
  return res
end

function array2d.flatten(t)
  local res, k = {}, 1
  for _, row in ipairs(t) do for _, v in ipairs(row) do res[k] = v; k = k + 1 end end
  return List(res)
end

function array2d.slice(t, i1, j1, i2, j2)
  local res = {}
  for i = i1, i2 or #t do
    local row = {}
    for j = j1, j2 or #t[i] do row[#row + 1] = t[i][j] end
    res[#res + 1] = row
  end
  return res
end

function array2d.iter(a, indices)
  local i, j, rows, cols = 1, 0, #a, #(a[1] or {})
  return function()
    j = j + 1
    if j > cols then j = 1; i = i + 1 end
    if i > rows then return nil end
    if indices then return i, j, a[i][j] end
    return a[i][j]
  end
end

return array2d
