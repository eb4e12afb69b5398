-- The line torchlua adds to "module 'x' not found": whether torchlua knows the
-- package, and why it is missing.  Returns a function name -> text.
local GUI = 'its GUI is not supported'
local CUDA = 'CUDA/OpenCL are not supported: torchlua runs on the CPU (use -gpuid -1 or drop the require)'
local KNOWN = {
  qt = GUI, qtlua = GUI, qtuiloader = GUI, qttorch = GUI, qtwidget = GUI, qtsvg = GUI,
  qtide = GUI, qtgui = GUI, qtcore = GUI,
  itorch = 'the Jupyter kernel (iTorch) is not supported; run scripts with the torchlua command',
  display = 'the browser display server is not supported',
  cunn = CUDA, cudnn = CUDA, cutorch = CUDA, cunnx = CUDA, fbcunn = CUDA,
  cltorch = CUDA, clnn = CUDA, ['fbcunn.fbcunn'] = CUDA,
  threads = 'torch/threads (Lua states in several threads) is not supported',
  ffmpeg = 'video decoding is not supported',
  audio = 'torch/audio (libsndfile bindings) is not supported',
  loadcaffe = 'loadcaffe (Caffe model import, C++/protobuf) is not supported',
  matio = 'MATLAB .mat files are not supported (save them as HDF5 and use hdf5)',
  fb = "Facebook's fblualib is not supported",
  ['fb.python'] = "Facebook's fblualib is not supported",
  ['fb.debugger'] = "Facebook's fblualib is not supported",
  readline = "the prompt's line editing comes from Python's readline in torchlua",
  hdf5 = "hdf5 needs h5py: pip install 'torchlua[hdf5]'",
}

-- packages torchlua provides itself (for the 'it should be there' line)
local PROVIDED = {
  torch = true, nn = true, nngraph = true, graph = true, optim = true, paths = true,
  sys = true, xlua = true, trepl = true, lfs = true, cjson = true, ['cjson.safe'] = true,
  pl = true, hdf5 = true,
}

return function(name)
  local top = name:match('^[^.]+')
  local why = KNOWN[name] or KNOWN[top]
  if why then
    return "torchlua has no '" .. name .. "': " .. why
  end
  if PROVIDED[name] or PROVIDED[top] then
    return "torchlua provides '" .. top .. "' but could not find '" .. name .. "' in it"
  end
  return "torchlua does not know the package '" .. name .. "': if it is a Lua package, put its folder on LUA_PATH"
end
