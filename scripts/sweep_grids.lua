-- sweep_grids.lua - every shard grid the solver considers for one buffer on
-- the current device, ranked by ttlx.solve with the other buffers pinned:
-- layouts without errors first, then by work cores (more is more parallel),
-- then the L1 order (L1 bytes, reshards, padding, free L1 on the worst core);
-- the figures are those of the whole function.
-- Leaves the hints as they were.
--
--   ttlx run scripts/sweep_grids.lua FILE [BUFFER] [L1|DRAM]
--   explorer: :source scripts/sweep_grids.lua   then   :sweep [BUFFER] [L1|DRAM]
--
-- BUFFER defaults to the largest buffer. Only grid_2d shards in row-major
-- order are listed (the solver also weighs interleaved, col_major and
-- round_robin_1d layouts: see `ttlx solve`).

local function find_buffer(name)
  local best, names = nil, {}
  for _, b in ipairs(ttlx.buffers()) do
    if name and b.name == name then return b end
    if not name and (not best or b.elems > best.elems) then best = b end
    names[#names + 1] = b.name
  end
  if name then error("no buffer named '" .. name .. "' (buffers: " .. table.concat(names, ", ") .. ")", 2) end
  return best
end

local function sweep(bufname, memory)
  memory = (memory or "L1"):upper()
  if memory ~= "L1" and memory ~= "DRAM" then error("memory is L1 or DRAM, not " .. memory, 0) end
  local buf = find_buffer(bufname)
  if buf.rank < 2 then
    print(string.format("sweep_grids: %s is rank 1: there is no M x N grid to sweep", buf.name))
    return
  end
  local keep = {}
  for _, b in ipairs(ttlx.buffers()) do
    if b.name ~= buf.name then keep[#keep + 1] = b.name end
  end
  local dev = ttlx.device()
  local alts = ttlx.solve{keep = keep, top = 1000, objective = "cores"}
  print(string.format("sweep_grids: %s [%s] %s, %s sharded on %s (%dx%d cores, L1 bank %d B)",
                      buf.name, table.concat(buf.shape, ", "), buf.dtype, memory, dev.name,
                      dev.grid[1], dev.grid[2], dev.l1_bank))
  local rows, best = {}, nil
  for _, a in ipairs(alts) do
    local h, m = a.hints[buf.name], a.metrics
    local s = h and h.nd_shard
    if h.memory == memory and s and s.distribution == "grid_2d" and s.order == "row_major" then
      rows[#rows + 1] = {#rows + 1, table.concat(s.grid, "x"), table.concat(s.shard_shape_elems, "x"),
                         m.work_cores, m.l1_bytes, m.worst_core_free, m.padding_bytes,
                         m.errors == 0 and "ok" or m.errors .. " errors"}
      if not best and m.errors == 0 then best = rows[#rows] end
    end
  end
  print(ttlx.tabulate({"rank", "grid", "shard elems", "work cores", "L1 bytes", "worst-core free",
                       "padding", "status"}, rows))
  print(string.format("%d grids listed; %d candidates evaluated (%s)", #rows, alts.evaluated,
                      alts.exact and "exhaustive search" or "bounded search"))
  if best then
    print(string.format("best: grid %s, shard %s elements, %d work cores", best[2], best[3], best[4]))
  else
    print("no grid of this device holds " .. buf.name .. " without errors")
  end
end

ttlx.command("sweep", function(bufname, memory) sweep(bufname, memory) end,
             "rank every shard grid for a buffer: :sweep [BUFFER] [L1|DRAM]")
local args = arg or {}
sweep(args[1], args[2])
