-- fit_l1.lua - the layout that keeps the most of the PrimFunc in L1 on the
-- current device, found by ttlx.solve (objective l1), or why nothing fits.
--
--   ttlx run scripts/fit_l1.lua FILE [save]
--   explorer: :source scripts/fit_l1.lua   (then :fit_l1 again after edits)
--
-- The solver searches every buffer's legal layouts (interleaved and sharded,
-- L1 and DRAM) for the error-free combination with the most L1-resident
-- bytes, then the most work cores, fewest reshards, least padding and most
-- free L1. The chosen hints stay applied (one undo step in the explorer);
-- with the argument `save` they are also written back to FILE.

local function report(doc, buffers)
  local rows = {}
  for _, b in ipairs(buffers) do
    local a = doc.analysis.buffers[b.name]
    local h = ttlx.hint(b.name) or {}
    local how = (h.memory or "DRAM") .. " " .. (h.layout or "interleaved")
    if h.nd_shard then how = how .. " " .. table.concat(h.nd_shard.grid, "x") end
    local per_core = a.bytes_per_core or (h.memory == "L1" and a.bytes_per_bank) or 0
    rows[#rows + 1] = {b.name, table.concat(b.shape, "x") .. " " .. b.dtype, how,
                       h.memory == "L1" and per_core or "-", a.pages}
  end
  print(ttlx.tabulate({"buffer", "shape", "layout", "L1 bytes/core", "pages"}, rows))
  local c = doc.analysis.cores
  print(string.format("worst core (%d, %d): %d of %d B used, %d B free (%.1f%%)", c.worst_core[1],
                      c.worst_core[2], c.max_used, c.l1_bank, c.l1_bank - c.max_used,
                      100 * (c.l1_bank - c.max_used) / c.l1_bank))
end

local function fit()
  local f, dev = ttlx.func(), ttlx.device()
  print(string.format("fit_l1: %s on %s (%dx%d cores, L1 bank %d B per core)", f.name, dev.name,
                      dev.grid[1], dev.grid[2], dev.l1_bank))
  local best = ttlx.solve{objective = "l1", top = 1}[1]
  if not best or best.metrics.errors > 0 then
    print("no layout is free of errors; the hints stay as they were")
    return false
  end
  ttlx.hints(best.hints)
  local in_l1, in_dram = {}, {}
  for _, b in ipairs(f.buffers) do
    local list = best.hints[b.name].memory == "L1" and in_l1 or in_dram
    list[#list + 1] = b.name
  end
  if #in_dram == 0 then
    print("fits: every buffer in L1")
  elseif #in_l1 == 0 then
    print("no buffer fits in L1 next to the circular buffers; all stay in DRAM")
  else
    print("best partial plan: " .. table.concat(in_l1, ", ") .. " in L1, "
          .. table.concat(in_dram, ", ") .. " in DRAM")
  end
  for _, c in ipairs(best.changes) do print("  " .. c) end
  report(ttlx.infer(), f.buffers)
  return #in_dram == 0
end

ttlx.command("fit_l1", function() fit() end, "find L1 layouts for every buffer (or say why not)")
local args = arg or {}
fit()
print("hints: " .. ttlx.json(ttlx.hints()):gsub("%s+", " "))
if args[1] == "save" then
  ttlx.save()
  print("saved")
end
