"""Operations Torch7 hands to BLAS (gemv, ger, gemm, dot, axpy) or to its AVX2
vector loop (THVector_(cadd) in the 2-D convolutions) round each multiply-add once
on a CPU with FMA; torchlua must give the same bits.  Covers addr on row-major,
column-major and non-contiguous results, addmv through gemv 't', 'n', a
contiguous copy, a strided result and TH's own loop (an expanded vector), addmm
on a transposed result, baddbmm, dot over strided runs, conv2/xcorr2 (valid,
full, several planes), and nn.Linear's gradBias (gemv) and SGD step (axpy).

EXPECTED was printed by Torch7's th (/work/torch7ref/th, OpenBLAS 0.3.21) on an
AVX2+FMA CPU with OPENBLAS_NUM_THREADS=1, running SCRIPT below under
`print(dofile(...))` after `require 'nn'`.  On CPUs without FMA Torch7 rounds
differently, so the test is skipped there (and without SciPy, whose BLAS
torchlua calls as TH does).
"""
import pytest

from torchlua.core.fused_axpy import cpu_fuses

SCRIPT = r"""
local out = {}
local function show(name, t)
  local s = {}
  if type(t) == 'number' then
    s[1] = string.format('%a', t)
  else
    local f = t:contiguous():view(-1)
    for i = 1, f:size(1) do s[#s + 1] = string.format('%a', f[i]) end
  end
  out[#out + 1] = name .. ' ' .. table.concat(s, ' ')
end
for _, T in ipairs({'torch.DoubleTensor', 'torch.FloatTensor'}) do
  torch.setdefaulttensortype(T)
  local P = T == 'torch.DoubleTensor' and 'D' or 'F'
  torch.manualSeed(11)
  local v1, v2 = torch.rand(4), torch.rand(5)
  -- addr: ger on a row-major, a column-major and a non-contiguous r
  show(P .. '.addr', torch.addr(0.5, torch.rand(4, 5), 0.7, v1, v2))
  show(P .. '.addr.t', torch.rand(5, 4):t():addr(0.5, 0.7, v1, v2))
  show(P .. '.addr.nc', torch.rand(4, 5, 2):select(3, 1):addr(1, 0.7, v1, v2))
  -- addmv: gemv 't' (row-major), 'n' (transposed), a copy (non-contiguous), strided result
  local M = torch.rand(4, 9)
  local x = torch.rand(9)
  show(P .. '.addmv', torch.addmv(0.5, torch.rand(4), 0.3, M, x))
  show(P .. '.addmv.1', torch.addmv(1, torch.rand(4), 1, M, x))
  show(P .. '.addmv.n', torch.addmv(0.5, torch.rand(9), 0.3, M:t(), torch.rand(4)))
  show(P .. '.addmv.nc', torch.addmv(0.5, torch.rand(4), 0.3, torch.rand(4, 9, 2):select(3, 2), x))
  show(P .. '.addmv.r', torch.rand(4, 2):select(2, 1):addmv(0.5, 0.3, M, x))
  show(P .. '.addmv.exp', torch.addmv(0.5, torch.rand(4), 0.3, M, torch.rand(1):expand(9)))
  -- addmm: r transposed, alpha and beta
  show(P .. '.addmm.rt', torch.rand(5, 4):t():addmm(0.5, 0.3, torch.rand(4, 9), torch.rand(9, 5)))
  show(P .. '.baddbmm', torch.baddbmm(0.5, torch.rand(2, 3, 4), 0.3, torch.rand(2, 3, 9), torch.rand(2, 9, 4)))
  -- dot over strided runs
  show(P .. '.dot', torch.dot(torch.rand(9, 4):t(), torch.rand(4, 9)))
  -- conv2 / xcorr2: THVector_(cadd) rows (4 or more columns)
  local img, ker = torch.rand(6, 7), torch.rand(3, 3)
  show(P .. '.conv2', torch.conv2(img, ker))
  show(P .. '.xcorr2.F', torch.xcorr2(img, ker, 'F'))
  show(P .. '.conv2.mv', torch.conv2(torch.rand(2, 5, 6), torch.rand(2, 2, 2, 3)))
  -- nn.Linear's gradBias (gemv) and an SGD step (axpy)
  local lin = nn.Linear(6, 3)
  local inp = torch.rand(5, 6)
  lin:zeroGradParameters()
  lin:forward(inp)
  lin:backward(inp, torch.rand(5, 3), 0.7)
  show(P .. '.linear.gb', lin.gradBias)
  lin:updateParameters(0.3)
  show(P .. '.linear.w', lin.weight)
  show(P .. '.linear.b', lin.bias)
end
torch.setdefaulttensortype('torch.DoubleTensor')
return table.concat(out, '\n')
"""

EXPECTED = """
D.addr 0x1.c6d2779430543p-4 0x1.119f2cab1a802p-2 0x1.a27a5516f2e6fp-3 0x1.f8f13a47afa75p-4 0x1.009cad889982p-1 0x1.1036eb5d5394dp-2 0x1.b0825b8087234p-2 0x1.02d988579927ap-1 0x1.737def7221e93p-4 0x1.c82e65b16d5f8p-2 0x1.cdff3f0b4064ep-2 0x1.78739e25efcc5p-2 0x1.7790eaa66aaecp-2 0x1.126a20fe61bf1p-4 0x1.0f07afe31a808p-2 0x1.5331d6efada19p-1 0x1.ee9c0e07b2024p-2 0x1.8822fd085650cp-1 0x1.731dbe42e1222p-1 0x1.1cbd49471306fp-2
D.addr.t 0x1.b51db1f90c151p-2 0x1.04e135948d401p-1 0x1.ec10173f79738p-2 0x1.27b1792af5f4fp-1 0x1.2ed9c9ca6608p-3 0x1.5a6f6eb35394dp-2 0x1.151868321c8dp-4 0x1.d161dd4cc93cfp-4 0x1.d04f5a42887a5p-2 0x1.6f992916dabefp-3 0x1.5ecaad414064ep-2 0x1.fcdcc1a9efcc5p-2 0x1.6ff13e26aaec3p-6 0x1.bea2beab30df8p-3 0x1.b9466edc6a021p-4 0x1.ce656676b6864p-3 0x1.fcf0f62764049p-3 0x1.6f0103905650cp-1 0x1.34e5c8f6e1223p-1 0x1.0162b6b31306fp-2
D.addr.nc 0x1.d84c501d860a8p-1 0x1.6fe7256e35005p-3 0x1.bb8cdf49bcb9cp-1 0x1.33324049f5f4fp-1 0x1.ac33feac9982p-1 0x1.12a6b6f54e533p-4 0x1.42d940b34391ap-1 0x1.e8961783324f4p-2 0x1.e247ad4f443d2p-1 0x1.6d4cfd95b57dep-4 0x1.0685e50aa0327p-1 0x1.dec60929efcc5p-2 0x1.60a910df35576p-1 0x1.fdbbc037986fcp-2 0x1.bb4512a91a808p-2 0x1.3a3f9e41ada19p-1 0x1.110d684364049p-3 0x1.11273fc75650cp-1 0x1.d09e24d1e1222p-1 0x1.dc16bc96260dfp-3
D.addmv 0x1.3c325909e0c0dp+0 0x1.46d836080924cp-1 0x1.1011d5657525cp+0 0x1.a09c75e5df94ap-1
D.addmv.1 0x1.dc8a84c1cbec2p+1 0x1.42583a7a879eap+1 0x1.672df57198944p+1 0x1.4eef7c0864fbep+1
D.addmv.n 0x1.13f4522a6d76ep-1 0x1.1c1dcc6da0b9bp-1 0x1.514f23841fbbfp-1 0x1.8a4760ff614bap-3 0x1.5ab4ca0793f9bp-2 0x1.7a6156a018413p-3 0x1.9e5894c646427p-2 0x1.3f08477dad954p-1 0x1.55a0c126957fbp-2
D.addmv.nc 0x1.8f2b808c6552ap-1 0x1.5f8aee577ce5ep-1 0x1.1c79d244d2a94p-1 0x1.22e4b17ef1e7bp+0
D.addmv.r 0x1.f6aa177ec181cp-1 0x1.ef1708550924cp-1 0x1.21d9d7a9f525cp+0 0x1.dbbc686fdf94ap-1
D.addmv.exp 0x1.4164cbc70fbb4p-1 0x1.e0a3f4de7ede2p-2 0x1.72419f64b2444p-1 0x1.7383625662bf4p-1
D.addmm.rt 0x1.126eee317372ap+0 0x1.82800141b018bp-1 0x1.116dc9700a7d4p+0 0x1.2992be051bb42p+0 0x1.1a640b1bbdadep+0 0x1.2fd4f97f6a6bcp+0 0x1.387aec98c4fbp-1 0x1.1cc85cc35bba4p+0 0x1.8e4272f3ca02ap-1 0x1.994ec451126f2p-1 0x1.303ced4477cd8p+0 0x1.b983e03c0ec88p-1 0x1.295450448a7eap+0 0x1.2b4f6a1dc7805p+0 0x1.2517501ff4c5cp-1 0x1.12053815c2dap+0 0x1.af7d68ed9c30ap-1 0x1.07189aea8a50ep+0 0x1.1bd48cf687e3p+0 0x1.afad1bbdce1aap-1
D.baddbmm 0x1.ee37a13ca8877p-1 0x1.ba4cca3ff67c8p-1 0x1.2d5557aaa24a2p+0 0x1.7a795f2c4cc8ap-1 0x1.1ccd9c5be81b4p-1 0x1.2d80b1359aebcp+0 0x1.53770a2e96f47p-1 0x1.441c027972d19p-1 0x1.dd2720370c2bdp-2 0x1.8f80a32b99664p-1 0x1.034b29c952837p+0 0x1.016c4d722acfep-1 0x1.ec27a558c7084p-1 0x1.126c4981555aap+0 0x1.ba8c1c726476p-1 0x1.400793e1aeb5p-1 0x1.3677fbb09fbacp+0 0x1.47581bc1cb598p+0 0x1.c8460e2eee3e3p-1 0x1.f2d71430ace87p-1 0x1.c938ae6f2a753p-1 0x1.2c09cc4cdc3fep+0 0x1.b143a09654976p-1 0x1.12f6e16be076ap+0
D.dot 0x1.7583f0e08fec4p+3
D.conv2 0x1.4ba515953df5ap+1 0x1.8eadb8f5f0031p+0 0x1.d1cdc18667e97p+0 0x1.067a51ca6b535p+1 0x1.46e9cf81d2c9p+1 0x1.28ca3df1049afp+1 0x1.3ef68500c5e21p+1 0x1.7050e4e08d2dp+0 0x1.0155aaaa85bbap+1 0x1.081bebc48dd32p+1 0x1.45d8ef4d19b4ep+1 0x1.0b56cd68a8237p+1 0x1.572258730548fp+1 0x1.b07e42ed807a4p+0 0x1.5c79b59d4d10ep+1 0x1.da03b562ad3e5p+0 0x1.eed6a957a2cadp+0 0x1.4a7f5dfbaf04p+1 0x1.1d90ed2b100d7p+1 0x1.3d10f9e55da53p+1
D.xcorr2.F 0x1.dabe23cddb78ep-1 0x1.24ff796678a2p-3 0x1.b55a91629ac68p-1 0x1.bc1385d107ac1p-2 0x1.d32326e9ea5bep-1 0x1.d8af9014fb704p-1 0x1.fee6cb6abea9ap-1 0x1.ed47f54b77d03p-2 0x1.c86cfcfc3d6eep-3 0x1.84cc2ed3bdfc8p+0 0x1.f6967ec19519p-1 0x1.3f48caee9a1e2p+0 0x1.662d8dae6556fp+0 0x1.c0cc598355ce7p-1 0x1.c8b08caf2ae29p+0 0x1.6e2a1346c9f0ap+0 0x1.97a3db164e5f6p-1 0x1.4a15d691e6e92p-1 0x1.ae9b35f536b5ap+0 0x1.d90ee2f4f8d38p+0 0x1.20c46e0b866d8p+1 0x1.99c017761177bp+0 0x1.d5137743d2663p+0 0x1.cea3f3dd0ab4ep+0 0x1.90bd4189a1bcfp+1 0x1.1a07d254cd623p+0 0x1.20dc93a6e910ap+0 0x1.bd71c54a45db6p-1 0x1.79a205f769e3bp+0 0x1.2926623f03638p+1 0x1.e671b4dcfcfa8p+0 0x1.e625c5b1c4c9p+0 0x1.e4a4cf3be7562p+0 0x1.fd03ea922b3abp+0 0x1.4f5a39b07fcb3p+0 0x1.08ba760abd711p+0 0x1.8211b56bd152ep-1 0x1.67a73b6456803p+0 0x1.6e29daaf3e1b5p+1 0x1.08cf13734d0ap+1 0x1.5b53909984521p+1 0x1.c240f6d248a43p+0 0x1.38405e7c8e297p+1 0x1.210b9f4629d08p+0 0x1.109b0a7099575p+0 0x1.b3f901468ef59p-2 0x1.539c50f2a9604p+0 0x1.931dc49f69ac6p+0 0x1.07e4ba103e201p+1 0x1.4534d54d1d42bp+1 0x1.147200a33fadbp+1 0x1.4ac0eb689a422p+1 0x1.4364d5d15befcp+0 0x1.019c9d459fc66p+0 0x1.f76431671c9c5p-3 0x1.ef0a0c4a9cd48p-1 0x1.4e7b75a6eff76p+0 0x1.7c634c7329f1ap+0 0x1.aa7447de0a5c7p+0 0x1.540156ea25c21p+0 0x1.f79a24585c607p+0 0x1.0d97260febcefp+0 0x1.4af32e1478331p-1 0x1.23f97a5166339p-5 0x1.36c8acd94f29bp-2 0x1.a00154d113015p-2 0x1.52fae852fb664p-1 0x1.be51c224948bp-2 0x1.7bd3d75e5f122p-1 0x1.1abe70d763606p+0 0x1.a36c7f8fb01d4p-1 0x1.41262590a6426p-1
D.conv2.mv 0x1.6bb2e6ba203e9p+1 0x1.9c065d5de5c1ap+1 0x1.d47c0ae04b3bcp+1 0x1.120ee20aa6bf3p+2 0x1.88eead859f9f2p+1 0x1.c43afc23c70fbp+1 0x1.2ce9b55a1d47p+2 0x1.ceaa67a3e5b34p+1 0x1.6044e7964c8a5p+1 0x1.9e2c5ee83132dp+1 0x1.abf5cd72adca2p+1 0x1.7c113c9fb2cb4p+1 0x1.30c7918e095a6p+1 0x1.858e9b16dd733p+1 0x1.ed37d91f25372p+1 0x1.0ff2143f98663p+2 0x1.1cc209af385b6p+1 0x1.6009568f863d4p+1 0x1.930bb41498a01p+1 0x1.7b2f27b8f821ep+1 0x1.58c219b7fae9fp+1 0x1.736630fede91dp+1 0x1.80897b6bb2156p+1 0x1.6f702e3680063p+1 0x1.554a983cd0a72p+1 0x1.e786565b25f23p+0 0x1.814a28c360f2ap+1 0x1.77e0f97829b32p+1 0x1.d5ba2faf8b774p+0 0x1.64d60d8b96cedp+1 0x1.7c6bf9c3bc323p+1 0x1.66a2eadb0366fp+1
D.linear.gb 0x1.3d33606c66666p+0 0x1.bb999cfd19999p+0 0x1.913ff05266666p+0
D.linear.w -0x1.4d2fc44ebacdep-3 -0x1.2b28d66ea54ddp-3 -0x1.2c02ebe48b819p-3 0x1.c1e8f1b5b3dc6p-3 -0x1.91b9bbc048c58p-3 -0x1.5404a254481bbp-3 -0x1.688d784d7bcb5p-1 -0x1.a6eb03730b79bp-3 0x1.8d248f786407p-5 -0x1.eed4e50fda40bp-3 -0x1.107b7a1f9a407p-1 0x1.7b2c6140d9cc1p-3 0x1.fcc967b042dap-9 -0x1.edd91aac79d9p-2 -0x1.bd030f9727414p-2 0x1.2b339a8d80857p-4 -0x1.a0e9c0b16fd87p-2 -0x1.0bf5f5c4cf82bp-3
D.linear.b -0x1.989ccc45bc1e5p-7 -0x1.81bc0dce44ef1p-2 -0x1.819a6cdf373c8p-4
F.addr 0x1.c6d278p-4 0x1.119f2ep-2 0x1.a27a54p-3 0x1.f8f13ap-4 0x1.009caep-1 0x1.1036ecp-2 0x1.b0825cp-2 0x1.02d988p-1 0x1.737deep-4 0x1.c82e66p-2 0x1.cdff3ep-2 0x1.7873ap-2 0x1.7790eap-2 0x1.126a2p-4 0x1.0f07bp-2 0x1.5331d6p-1 0x1.ee9c0ep-2 0x1.8822fcp-1 0x1.731dbep-1 0x1.1cbd48p-2
F.addr.t 0x1.b51db2p-2 0x1.04e136p-1 0x1.ec1016p-2 0x1.27b178p-1 0x1.2ed9cap-3 0x1.5a6f6ep-2 0x1.151868p-4 0x1.d161dep-4 0x1.d04f5ap-2 0x1.6f992ap-3 0x1.5ecaaep-2 0x1.fcdcc2p-2 0x1.6ff13ep-6 0x1.bea2bep-3 0x1.b9467p-4 0x1.ce6564p-3 0x1.fcf0f4p-3 0x1.6f0102p-1 0x1.34e5c8p-1 0x1.0162b6p-2
F.addr.nc 0x1.d84c5p-1 0x1.6fe726p-3 0x1.bb8cep-1 0x1.33324p-1 0x1.ac34p-1 0x1.12a6b8p-4 0x1.42d94p-1 0x1.e89618p-2 0x1.e247acp-1 0x1.6d4cfep-4 0x1.0685e6p-1 0x1.dec60ap-2 0x1.60a912p-1 0x1.fdbbc2p-2 0x1.bb4512p-2 0x1.3a3f9ep-1 0x1.110d68p-3 0x1.11273ep-1 0x1.d09e24p-1 0x1.dc16bap-3
F.addmv 0x1.3c325ap+0 0x1.46d836p-1 0x1.1011d6p+0 0x1.a09c74p-1
F.addmv.1 0x1.dc8a84p+1 0x1.42583ap+1 0x1.672df4p+1 0x1.4eef7ap+1
F.addmv.n 0x1.13f454p-1 0x1.1c1dccp-1 0x1.514f24p-1 0x1.8a4762p-3 0x1.5ab4cap-2 0x1.7a6158p-3 0x1.9e5894p-2 0x1.3f0848p-1 0x1.55a0c2p-2
F.addmv.nc 0x1.8f2b82p-1 0x1.5f8afp-1 0x1.1c79d2p-1 0x1.22e4b2p+0
F.addmv.r 0x1.f6aa1ap-1 0x1.ef1708p-1 0x1.21d9d8p+0 0x1.dbbc66p-1
F.addmv.exp 0x1.4164ccp-1 0x1.e0a3f8p-2 0x1.7241ap-1 0x1.738364p-1
F.addmm.rt 0x1.126efp+0 0x1.828004p-1 0x1.116dccp+0 0x1.2992bep+0 0x1.1a640cp+0 0x1.2fd4fap+0 0x1.387aeep-1 0x1.1cc85cp+0 0x1.8e4274p-1 0x1.994ec8p-1 0x1.303cecp+0 0x1.b983ep-1 0x1.295452p+0 0x1.2b4f6ap+0 0x1.25175p-1 0x1.120538p+0 0x1.af7d6cp-1 0x1.07189cp+0 0x1.1bd48ep+0 0x1.afad1cp-1
F.baddbmm 0x1.ee37ap-1 0x1.ba4cccp-1 0x1.2d5558p+0 0x1.7a796p-1 0x1.1ccd9cp-1 0x1.2d80bp+0 0x1.53770cp-1 0x1.441c04p-1 0x1.dd272p-2 0x1.8f80a4p-1 0x1.034b2ap+0 0x1.016c5p-1 0x1.ec27a8p-1 0x1.126c4cp+0 0x1.ba8c1ep-1 0x1.400794p-1 0x1.3677fcp+0 0x1.47581cp+0 0x1.c8461p-1 0x1.f2d714p-1 0x1.c938aep-1 0x1.2c09ccp+0 0x1.b143ap-1 0x1.12f6e4p+0
F.dot 0x1.7583f1p+3
F.conv2 0x1.4ba516p+1 0x1.8eadbcp+0 0x1.d1cdc2p+0 0x1.067a52p+1 0x1.46e9dp+1 0x1.28ca3ep+1 0x1.3ef684p+1 0x1.7050e6p+0 0x1.0155aap+1 0x1.081becp+1 0x1.45d8fp+1 0x1.0b56cep+1 0x1.572258p+1 0x1.b07e42p+0 0x1.5c79b6p+1 0x1.da03b6p+0 0x1.eed6a8p+0 0x1.4a7f5ep+1 0x1.1d90eep+1 0x1.3d10fap+1
F.xcorr2.F 0x1.dabe24p-1 0x1.24ff7ap-3 0x1.b55a92p-1 0x1.bc1386p-2 0x1.d32328p-1 0x1.d8af92p-1 0x1.fee6cap-1 0x1.ed47f6p-2 0x1.c86cfcp-3 0x1.84cc2ep+0 0x1.f6967ep-1 0x1.3f48cap+0 0x1.662d8ep+0 0x1.c0cc58p-1 0x1.c8b08cp+0 0x1.6e2a14p+0 0x1.97a3dap-1 0x1.4a15d6p-1 0x1.ae9b36p+0 0x1.d90ee2p+0 0x1.20c46ep+1 0x1.99c018p+0 0x1.d51376p+0 0x1.cea3f4p+0 0x1.90bd42p+1 0x1.1a07d4p+0 0x1.20dc94p+0 0x1.bd71c4p-1 0x1.79a206p+0 0x1.292662p+1 0x1.e671b4p+0 0x1.e625c6p+0 0x1.e4a4dp+0 0x1.fd03e8p+0 0x1.4f5a3ap+0 0x1.08ba76p+0 0x1.8211b4p-1 0x1.67a73cp+0 0x1.6e29dep+1 0x1.08cf14p+1 0x1.5b539p+1 0x1.c240f8p+0 0x1.38405ep+1 0x1.210b9ep+0 0x1.109b0ap+0 0x1.b3f902p-2 0x1.539c5p+0 0x1.931dc8p+0 0x1.07e4b8p+1 0x1.4534d4p+1 0x1.1472p+1 0x1.4ac0ecp+1 0x1.4364d6p+0 0x1.019c9ep+0 0x1.f76432p-3 0x1.ef0a0cp-1 0x1.4e7b76p+0 0x1.7c634cp+0 0x1.aa744ap+0 0x1.540158p+0 0x1.f79a24p+0 0x1.0d9726p+0 0x1.4af32ep-1 0x1.23f97ap-5 0x1.36c8acp-2 0x1.a00154p-2 0x1.52fae8p-1 0x1.be51cp-2 0x1.7bd3d8p-1 0x1.1abe72p+0 0x1.a36c8p-1 0x1.412626p-1
F.conv2.mv 0x1.6bb2eap+1 0x1.9c065cp+1 0x1.d47c0cp+1 0x1.120ee2p+2 0x1.88eeacp+1 0x1.c43afcp+1 0x1.2ce9b6p+2 0x1.ceaa68p+1 0x1.6044e8p+1 0x1.9e2c5ep+1 0x1.abf5dp+1 0x1.7c113cp+1 0x1.30c79p+1 0x1.858e9ap+1 0x1.ed37d8p+1 0x1.0ff214p+2 0x1.1cc20ap+1 0x1.600956p+1 0x1.930bb2p+1 0x1.7b2f2cp+1 0x1.58c21ap+1 0x1.73663p+1 0x1.80897cp+1 0x1.6f703p+1 0x1.554a9ap+1 0x1.e78658p+0 0x1.814a28p+1 0x1.77e0fap+1 0x1.d5ba3p+0 0x1.64d60cp+1 0x1.7c6bf8p+1 0x1.66a2ecp+1
F.linear.gb 0x1.3d336p+0 0x1.bb999cp+0 0x1.913ffp+0
F.linear.w -0x1.4d2fc2p-3 -0x1.2b28d8p-3 -0x1.2c02ecp-3 0x1.c1e8f4p-3 -0x1.91b9bcp-3 -0x1.5404a2p-3 -0x1.688d78p-1 -0x1.a6eb02p-3 0x1.8d24ap-5 -0x1.eed4e6p-3 -0x1.107b7ap-1 0x1.7b2c62p-3 0x1.fcc9b2p-9 -0x1.edd91cp-2 -0x1.bd0312p-2 0x1.2b339ap-4 -0x1.a0e9c2p-2 -0x1.0bf5f6p-3
F.linear.b -0x1.989cbap-7 -0x1.81bc0ep-2 -0x1.819a7p-4
"""


@pytest.mark.skipif(not cpu_fuses(), reason="Torch7 fuses multiply-adds only on AVX2+FMA CPUs")
def test_blas_and_vector_paths_match_torch7_bits():
    pytest.importorskip("scipy")
    from torchlua import Runtime
    rt = Runtime()
    rt.execute("require 'nn'")
    got = rt.execute(SCRIPT)
    got = got.decode() if isinstance(got, bytes) else got
    want = dict(line.split(" ", 1) for line in EXPECTED.strip().splitlines())
    have = dict(line.split(" ", 1) for line in got.strip().splitlines())
    assert sorted(have) == sorted(want)
    bad = [k for k in want if have[k] != want[k]]
    assert not bad, "differs from Torch7: %s" % bad
