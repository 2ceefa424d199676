-- ttlx.solve: the alternatives as tables with exact values, the options,
-- argument errors, and that solving never changes the hints.
local before = ttlx.json(ttlx.hints())
local alts = ttlx.solve{top = 3}
print("count", #alts, "exact", alts.exact, "evaluated", alts.evaluated)
print("on", alts.func, alts.device, alts.objective)
for _, a in ipairs(alts) do
  local m = a.metrics
  print(a.rank, m.errors, m.l1_bytes, m.work_cores, m.reshards, m.padding_bytes,
        m.worst_core_free, a.pareto)
  for _, c in ipairs(a.changes) do print("", c) end
end
print("hints unchanged", ttlx.json(ttlx.hints()) == before)
print("A of rank 1", ttlx.json(alts[1].hints.A))

-- applying rank 1 by hand: no error left, and solving again changes nothing
ttlx.hints(alts[1].hints)
print("errors after", #ttlx.diagnostics())
local again = ttlx.solve{top = 1}
print("changes again", #again[1].changes)
ttlx.hints(nil)

-- the options
local cores = ttlx.solve{objective = "cores", top = 1, reserve = "50%"}
print("cores", cores.objective, cores[1].metrics.work_cores, cores[1].metrics.worst_core_free)
local head = ttlx.solve{objective = "headroom", top = 1}
print("headroom", head[1].metrics.l1_bytes, head[1].metrics.worst_core_free)
local kept = ttlx.solve{keep = {"A", "B"}, top = 1}
print("keep", #kept[1].changes, kept[1].changes[1])
local bytes = ttlx.solve{reserve = 1382144, top = 1}
print("reserve all", bytes[1].metrics.l1_bytes, bytes[1].metrics.worst_core_free)

-- argument errors
for _, opts in ipairs{
  {keep = {"A", "Z"}}, {top = 0}, {top = 1.5}, {objective = "fast"}, {objective = 3},
  {reserve = "200%"}, {reserve = -1}, {reserve = 1382145}, {frob = 1}, {keep = {1}},
  {keep = "A"},
} do
  local ok, err = pcall(function() return ttlx.solve(opts) end)
  print(ok, err)
end
print(pcall(function() return ttlx.solve(5) end))
