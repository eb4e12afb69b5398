-- A first torchlua script: tensors as Torch7 scripts use them.
-- Run it with:  torchlua examples/hello_tensor.lua

local x = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
print(x)
print('size:', x:size(1), x:size(2), 'elements:', x:nElement())

-- indexing is 1-based; x[i] of a matrix is a row, x[i][j] a number
print('x[2][3] =', x[2][3])
x[1][1] = 10
print('row 1 after x[1][1] = 10:')
print(x[1])

-- views share memory with x
local col = x:select(2, 2)          -- the second column
col:fill(0)
print('x after zeroing column 2 through a view:')
print(x)
print('narrow(2, 2, 2):')
print(x:narrow(2, 2, 2))
print('transpose:')
print(x:t())
print('slice x[{ {}, {2, 3} }]:')
print(x[{ {}, {2, 3} }])

-- type conversion makes a copy of another element type
local ints = x:type('torch.IntTensor')
print(torch.type(ints), ints[1][1])
print(torch.LongTensor({3, 1, 2}))
