-- Index-based operations: the Tensor.c methods index, indexCopy, indexAdd,
-- indexFill, maskedSelect, maskedCopy, maskedFill (argument handling written out as
-- Tensor.c does it), and TensorMath's gather, scatter, nonzero (methods and torch.*).
-- The work is done in torchlua/core/math_index.py.
local core = require 'torch._core'
local W = require 'torch.TensorMath_args'
local C = core.C
local TDATA, TMT = core.TDATA, core.TMT
local select = select
local checkudata, checkint, checknumber = W.checkudata, W.checkint, W.checknumber

local MT_LONG, MT_BYTE = TMT[W.LONG], TMT[W.BYTE]
local LONGNAME, BYTENAME = 'torch.LongTensor', 'torch.ByteTensor'

local function h(x) return TDATA[x].h end

local function trunc(x)
  if x >= 0 then return math.floor(x) end
  return -math.floor(-x)
end

W.method('index', W.ALL, function(ti)
  local MT, tn = TMT[ti], 'torch.' .. W.tname(ti)
  return function(...)
    local n = select('#', ...)
    local a1, a2, a3, a4 = ...
    if n == 3 then
      local src = checkudata(a1, 1, MT, tn)
      local dim = checkint(a2, 2, true)
      local index = checkudata(a3, 3, MT_LONG, LONGNAME)
      return W.callT(C.index_select, nil, src.h, dim - 1, index.h)
    elseif n == 4 then
      local src = checkudata(a2, 2, MT, tn)
      local dim = checkint(a3, 3, true)
      local index = checkudata(a4, 4, MT_LONG, LONGNAME)
      local res = checkudata(a1, 1, MT, tn)
      W.call(C.index_select, res.h, src.h, dim - 1, index.h)
      return a1
    end
    core.error(string.format('%s, number, torch.LongTensor | %s, %s, number, torch.LongTensor expected',
      tn, tn, tn))
  end
end)

-- indexCopy/indexAdd(dim, index, src)
local function index_write(name, pyf)
  W.method(name, W.ALL, function(ti)
    local MT, tn = TMT[ti], 'torch.' .. W.tname(ti)
    return function(...)
      local n = select('#', ...)
      local a1, a2, a3, a4 = ...
      if n ~= 4 then
        core.error(string.format('%s, number, torch.LongTensor, %s expected', tn, tn))
      end
      local dim = checkint(a2, 2, true)
      local index = checkudata(a3, 3, MT_LONG, LONGNAME)
      local src = checkudata(a4, 4, MT, tn)
      local t = checkudata(a1, 1, MT, tn)
      W.call(pyf, t.h, dim - 1, index.h, src.h)
      return a1
    end
  end)
end
index_write('indexCopy', C.index_copy)
index_write('indexAdd', C.index_add)

W.method('indexFill', W.ALL, function(ti)
  local MT, tn = TMT[ti], 'torch.' .. W.tname(ti)
  return function(...)
    local n = select('#', ...)
    local a1, a2, a3, a4 = ...
    if n ~= 4 then
      core.error(string.format('%s, number, torch.LongTensor, number expected', tn))
    end
    local dim = checkint(a2, 2, true)
    local index = checkudata(a3, 3, MT_LONG, LONGNAME)
    local val = checknumber(a4, 4, true)
    local t = checkudata(a1, 1, MT, tn)
    W.call(C.index_fill, t.h, dim - 1, index.h, val)
    return a1
  end
end)

W.method('maskedSelect', W.ALL, function(ti)
  local MT, tn = TMT[ti], 'torch.' .. W.tname(ti)
  return function(...)
    local n = select('#', ...)
    local a1, a2, a3 = ...
    if n == 2 then
      local src = checkudata(a1, 1, MT, tn)
      local mask = checkudata(a2, 2, MT_BYTE, BYTENAME)
      return W.callT(C.index_masked_select, nil, src.h, mask.h)
    elseif n == 3 then
      local src = checkudata(a2, 2, MT, tn)
      local mask = checkudata(a3, 3, MT_BYTE, BYTENAME)
      local res = checkudata(a1, 1, MT, tn)
      W.call(C.index_masked_select, res.h, src.h, mask.h)
      return a1
    end
    core.error(string.format('%s, torch.ByteTensor | %s, %s, torch.ByteTensor expected', tn, tn, tn))
  end
end)

W.method('maskedCopy', W.ALL, function(ti)
  local MT, tn = TMT[ti], 'torch.' .. W.tname(ti)
  return function(...)
    local n = select('#', ...)
    local a1, a2, a3 = ...
    if n ~= 3 then core.error(string.format('%s, torch.ByteTensor, %s expected', tn, tn)) end
    local mask = checkudata(a2, 2, MT_BYTE, BYTENAME)
    local src = checkudata(a3, 3, MT, tn)
    local t = checkudata(a1, 1, MT, tn)
    W.call(C.index_masked_copy, t.h, mask.h, src.h)
    return a1
  end
end)

W.method('maskedFill', W.ALL, function(ti)
  local MT, tn = TMT[ti], 'torch.' .. W.tname(ti)
  return function(...)
    local n = select('#', ...)
    local a1, a2, a3 = ...
    if n ~= 3 then core.error(string.format('%s, torch.ByteTensor, number expected', tn)) end
    local mask = checkudata(a2, 2, MT_BYTE, BYTENAME)
    local val = checknumber(a3, 3, true)
    local t = checkudata(a1, 1, MT, tn)
    W.call(C.index_masked_fill, t.h, mask.h, val)
    return a1
  end
end)

local gather_args = {{{'T', def = true, ret = true}, {'T'}, {'index'}, {'LongT'}}}
W.wrap('gather', {
  method = gather_args,
  func = gather_args,
  impl = function(ti, set, r, src, dim, index)
    return W.out(r, C.index_gather, h(src), trunc(dim) - 1, h(index))
  end,
})

local scatter_args = {
  {{'T', ret = true}, {'index'}, {'LongT'}, {'T'}},
  {{'T', ret = true}, {'index'}, {'LongT'}, {'real'}},
}
W.wrap('scatter', {
  method = scatter_args,
  func = scatter_args,
  impl = function(ti, set, t, dim, index, src)
    if set == 1 then
      W.call(C.index_scatter, h(t), trunc(dim) - 1, h(index), h(src))
    else
      W.call(C.index_scatter_fill, h(t), trunc(dim) - 1, h(index), src)
    end
    return t
  end,
})

local nonzero_args = {{{'LongT', def = true, ret = true}, {'T'}}}
W.wrap('nonzero', {
  method = nonzero_args,
  func = nonzero_args,
  impl = function(ti, set, r, t) return W.out(r, C.index_nonzero, h(t)) end,
})
