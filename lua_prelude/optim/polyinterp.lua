-- Minimum of the polynomial interpolating N points given as rows (x, f(x), f'(x))
-- of a tensor, restricted to [xminBound, xmaxBound] (default: the points' range).
-- Two points without bounds use the closed-form cubic minimiser; every other case
-- fits a polynomial of degree 2N-1 by least squares (torch.gels) and checks the
-- real roots of its derivative (eigenvalues of the companion matrix), the bounds
-- and the points themselves.  Returns the position of the minimum (and, in the
-- general case, the polynomial's value there).

-- Roots of the polynomial with coefficients c (highest degree first), as an
-- n x 2 tensor of (real, imaginary) parts; 0 when every coefficient vanishes.
local function polyRoots(c)
   c[torch.lt(torch.abs(c), 1e-12)] = 0
   local nonzero = torch.ne(c, 0)
   if nonzero:max() == 0 then
      return 0
   end
   local _, first = torch.max(nonzero, 1)
   c = c[{ {first[1], -1} }]

   -- trailing zero coefficients are roots at 0
   local zeroRoots = 0
   for i = c:size(1), 1, -1 do
      if c[i] ~= 0 then break end
      zeroRoots = zeroRoots + 1
   end
   c = c[{ {1, c:size(1) - zeroRoots} }]

   local degree = c:size(1) - 1
   local found
   if degree == 1 then
      found = c.new({{-c[2] / c[1], 0}})
   elseif degree > 1 then
      local companion = torch.diag(c.new(degree - 1):fill(1), -1)
      companion[1] = -c[{ {2, degree + 1} }] / c[1]
      found = torch.eig(companion, 'N')
   else
      return c.new(zeroRoots, 2):zero()
   end
   if zeroRoots > 0 then
      return torch.cat(found, c.new(zeroRoots, 2):zero(), 1)
   end
   return found
end

-- p(x) for coefficients p (highest degree first) and a number x
local function polyAt(p, x)
   local power = p:size(1)
   local value = 0
   p:apply(function(coef)
      power = power - 1
      value = value + coef * x ^ power
      return coef
   end)
   return value
end

function optim.polyinterp(points, xminBound, xmaxBound)
   local nPoints = points:size(1)
   local order = nPoints * 2 - 1

   if nPoints == 2 and order == 3 and not xminBound and not xmaxBound then
      -- closed form; "lo" is the point with the smaller x
      local _, lo = points[{ {}, 1 }]:min(1)
      lo = lo[1]
      local hi = 3 - lo
      local xLo, fLo, gLo = points[{lo, 1}], points[{lo, 2}], points[{lo, 3}]
      local xHi, fHi, gHi = points[{hi, 1}], points[{hi, 2}], points[{hi, 3}]
      local d1 = gLo + gHi - 3 * (fLo - fHi) / (xLo - xHi)
      local d2 = math.sqrt(d1 ^ 2 - gLo * gHi)
      if d2 == d2 then
         local cand = xHi - (xHi - xLo) * ((gHi + d2 - d1) / (gHi - gLo + 2 * d2))
         return math.min(math.max(cand, xLo), xHi)
      end
      return torch.mean(points[{ {}, 1 }])
   end

   local xs = points[{ {}, 1 }]
   xminBound = xminBound or xs:min()
   xmaxBound = xmaxBound or xs:max()

   -- linear system: one row per value constraint, one per derivative constraint
   local A = points.new(nPoints * 2, order + 1):zero()
   local b = points.new(nPoints * 2, 1):zero()
   for i = 1, nPoints do
      local xi = points[{i, 1}]
      local valueRow = points.new(order + 1):zero()
      for j = order, 0, -1 do
         valueRow[order - j + 1] = xi ^ j
      end
      A[i] = valueRow
      b[i] = points[{i, 2}]
   end
   for i = 1, nPoints do
      local xi = points[{i, 1}]
      local slopeRow = points.new(order + 1):zero()
      for j = 1, order do
         slopeRow[j] = (order - j + 1) * xi ^ (order - j)
      end
      A[nPoints + i] = slopeRow
      b[nPoints + i] = points[{i, 3}]
   end

   local solution = torch.gels(b, A)
   local coefs = solution[{ {1, nPoints * 2} }]:squeeze()
   coefs[torch.le(torch.abs(coefs), 1e-12)] = 0

   -- derivative's coefficients
   local dCoefs = points.new(order):zero()
   for i = 1, coefs:size(1) - 1 do
      dCoefs[i] = coefs[i] * (order - i + 1)
   end
   local broken = torch.ne(dCoefs, dCoefs):max() > 0
      or torch.eq(dCoefs, math.huge):max() > 0

   -- candidates: the bounds, the points, and the derivative's roots
   local candidates = torch.cat(points.new{xminBound, xmaxBound}, xs)
   if not broken then
      local found = polyRoots(dCoefs)
      local asComplex = points.new(candidates:size(1), 2):zero()
      asComplex[{ {1, candidates:size(1)}, 1 }] = candidates
      candidates = torch.cat(asComplex, found, 1)
   end

   local best = math.huge
   local where = (xminBound + xmaxBound) / 2 -- bisection when nothing qualifies
   for i = 1, candidates:size(1) do
      local row = candidates[{ {i, i}, {} }]
      local im, re
      if row:nDimension() == 1 then
         im, re = 0, row[1]
      else
         im, re = row[{1, 2}], row[{1, 1}]
      end
      if im == 0 and re >= xminBound and re <= xmaxBound then
         local value = polyAt(coefs, re)
         if value < best then
            where, best = re, value
         end
      end
   end
   return where, best
end
