-- fit_l1.lua - a layout for every buffer that puts the whole PrimFunc in
-- L1 on the current device, or why none does.
--
--   ttlx run scripts/fit_l1.lua FILE [save]
--   explorer: :source scripts/fit_l1.lua   (then :fit_l1 again after edits)
--
-- Plan A shards every buffer over as many cores as its tile grid allows
-- (data stays where the work is); buffers that cannot be sharded, and then
-- all of them if plan A overflows, go L1 interleaved, which spreads pages
-- evenly over every core and so needs the least L1 per core. When even
-- that does not fit, the report names each buffer's share and keeps in L1
-- the buffers that fit, smallest first, with the rest in DRAM.
-- The chosen hints stay applied (one undo step in the explorer); with the
-- argument `save` they are also written back to FILE.

local function ceil_div(a, b) return (a + b - 1) // b end
local function round_up(a, b) return ceil_div(a, b) * b end
local L1_CODES = {TTL005 = true, TTL006 = true, TTL015 = true}

local function kib(b) return string.format("%.1f KiB", b / 1024) end

-- The widest tile-aligned grid for a buffer: its tile rows and columns
-- capped by the device grid, leading dims kept whole.
local function widest_shard(buf, tile, dev)
  if buf.rank < 2 then return nil end
  local m, n = buf.shape[buf.rank - 1], buf.shape[buf.rank]
  local gm = math.min(dev.grid[2], ceil_div(m, tile[1]))
  local gn = math.min(dev.grid[1], ceil_div(n, tile[2]))
  local sm, sn = round_up(ceil_div(m, gm), tile[1]), round_up(ceil_div(n, gn), tile[2])
  gm, gn = ceil_div(m, sm), ceil_div(n, sn)
  local axes, grid, shard = {}, {}, {}
  for d = 1, buf.rank - 2 do axes[d], grid[d], shard[d] = "D" .. (d - 1), 1, buf.shape[d] end
  axes[buf.rank - 1], grid[buf.rank - 1], shard[buf.rank - 1] = "M", gm, sm
  axes[buf.rank], grid[buf.rank], shard[buf.rank] = "N", gn, sn
  return {axes = axes, grid = grid, shard_shape_elems = shard}
end

local function base_hint(name)
  local h = ttlx.hint(name) or {}
  return {tile_shape = h.tile_shape, dtype = h.dtype, cb_depth = h.cb_depth}
end

local function with(h, extra)
  local t = {}
  for k, v in pairs(h) do t[k] = v end
  for k, v in pairs(extra) do t[k] = v end
  return t
end

-- Applies plan (buffer -> hint) and reports whether it fits: no error at all
-- on an L1 buffer and no L1 capacity error anywhere.
local function try(plan)
  ttlx.hints(plan)
  local doc = ttlx.infer()
  local bad = {}
  for _, d in ipairs(doc.diagnostics) do
    if d.severity == "error" and (L1_CODES[d.code] or (d.buffer and plan[d.buffer]
        and plan[d.buffer].memory == "L1")) then
      bad[#bad + 1] = d
    end
  end
  return #bad == 0, doc, bad
end

local function report(doc, plan, buffers)
  local rows = {}
  for _, b in ipairs(buffers) do
    local a = doc.analysis.buffers[b.name]
    local h = plan[b.name]
    local how = h.memory .. " " .. (h.layout or "interleaved")
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
  local saved = ttlx.hints()
  print(string.format("fit_l1: %s on %s (%dx%d cores, L1 bank %d B per core)", f.name, dev.name,
                      dev.grid[1], dev.grid[2], dev.l1_bank))
  -- plan A: shard everything as wide as it goes
  local plan = {}
  for _, b in ipairs(f.buffers) do
    local base = base_hint(b.name)
    local shard = widest_shard(b, base.tile_shape or {32, 32}, dev)
    if shard then
      plan[b.name] = with(base, {memory = "L1", layout = "sharded", nd_shard = shard})
    else
      plan[b.name] = with(base, {memory = "L1", layout = "interleaved"})
    end
  end
  local ok, doc = try(plan)
  if ok then
    print("fits: every buffer L1 sharded over its widest grid")
    report(doc, plan, f.buffers)
    return true
  end
  -- plan B: everything interleaved over every core
  for _, b in ipairs(f.buffers) do
    plan[b.name] = with(base_hint(b.name), {memory = "L1", layout = "interleaved"})
  end
  local bad
  ok, doc, bad = try(plan)
  if ok then
    print("fits: sharding overflows, but every buffer L1 interleaved over all cores fits")
    report(doc, plan, f.buffers)
    return true
  end
  -- none: say why, then keep in L1 what fits, smallest first
  print("no layout puts the whole PrimFunc in L1:")
  for _, d in ipairs(bad) do print("  " .. d.code .. " " .. d.message) end
  local shares = {}
  for _, b in ipairs(f.buffers) do
    local a = doc.analysis.buffers[b.name]
    shares[#shares + 1] = {b = b, bytes = a.bytes_per_bank or a.bytes_per_core or 0}
  end
  table.sort(shares, function(x, y)
    if x.bytes ~= y.bytes then return x.bytes < y.bytes end
    return x.b.name < y.b.name
  end)
  local total = 0
  for _, s in ipairs(shares) do total = total + s.bytes end
  print(string.format("even spread over all %d cores needs %s per core for the buffers alone, "
                      .. "the L1 bank holds %s", dev.grid[1] * dev.grid[2], kib(total), kib(dev.l1_bank)))
  for _, b in ipairs(f.buffers) do
    plan[b.name] = with(base_hint(b.name), {memory = "DRAM"})
  end
  local kept = {}
  for _, s in ipairs(shares) do
    local trial = {}
    for k, v in pairs(plan) do trial[k] = v end
    trial[s.b.name] = with(base_hint(s.b.name), {memory = "L1", layout = "interleaved"})
    if try(trial) then
      plan = trial
      kept[#kept + 1] = s.b.name
    end
  end
  ok, doc = try(plan)
  if #kept == 0 then
    print("not even one buffer fits in L1 next to the circular buffers; all stay in DRAM")
  else
    print("best partial plan: " .. table.concat(kept, ", ") .. " in L1 interleaved, the rest in DRAM")
  end
  report(doc, plan, f.buffers)
  if not ok then ttlx.hints(saved) end
  return false
end

ttlx.command("fit_l1", function() fit() end, "find L1 layouts for every buffer (or say why not)")
local args = arg or {}
fit()
print("hints: " .. ttlx.json(ttlx.hints()):gsub("%s+", " "))
if args[1] == "save" then
  ttlx.save()
  print("saved")
end
