-- sweep_grids.lua - every shard grid and shard shape for one buffer on the
-- current device, ranked: layouts without errors first, then by cores used
-- (more is more parallel), L1 headroom (more is safer) and padding (less is
-- less waste). Leaves the hints as they were.
--
--   ttlx run scripts/sweep_grids.lua FILE [BUFFER] [L1|DRAM]
--   explorer: :source scripts/sweep_grids.lua   then   :sweep [BUFFER] [L1|DRAM]
--
-- BUFFER defaults to the largest buffer. Each candidate shards the last two
-- dims (labelled M and N) over a grid of the device and keeps any leading
-- dims whole on each core; shard shapes are tile-aligned and every grid
-- covers the tensor with no empty shard.

local function ceil_div(a, b) return (a + b - 1) // b end
local function round_up(a, b) return ceil_div(a, b) * b end

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

local function shape_text(t) return "[" .. table.concat(t, ", ") .. "]" end

local function candidates(buf, tile, dev)
  local rank, shape = buf.rank, buf.shape
  local m = rank >= 2 and shape[rank - 1] or 1
  local n = shape[rank]
  local out = {}
  for gm = 1, dev.grid[2] do
    for gn = 1, dev.grid[1] do
      local sm = round_up(ceil_div(m, gm), tile[1])
      local sn = round_up(ceil_div(n, gn), tile[2])
      if ceil_div(m, sm) == gm and ceil_div(n, sn) == gn then
        local axes, grid, shard = {}, {}, {}
        for d = 1, rank - 2 do
          axes[d], grid[d], shard[d] = "D" .. (d - 1), 1, shape[d]
        end
        if rank >= 2 then
          axes[rank - 1], grid[rank - 1], shard[rank - 1] = "M", gm, sm
        end
        axes[rank], grid[rank], shard[rank] = "N", gn, sn
        out[#out + 1] = {gm = gm, gn = gn, sm = sm, sn = sn, axes = axes, grid = grid, shard = shard}
      end
    end
  end
  return out
end

local function sweep(bufname, memory)
  memory = (memory or "L1"):upper()
  if memory ~= "L1" and memory ~= "DRAM" then error("memory is L1 or DRAM, not " .. memory, 0) end
  local buf = find_buffer(bufname)
  if buf.rank < 2 then
    print(string.format("sweep_grids: %s is rank 1: there is no M x N grid to sweep", buf.name))
    return
  end
  local dev = ttlx.device()
  local saved = ttlx.hints()
  local base = ttlx.hint(buf.name) or {}
  local tile = base.tile_shape or {32, 32}
  local rows = {}
  for _, c in ipairs(candidates(buf, tile, dev)) do
    local hint = {memory = memory, layout = "sharded", tile_shape = base.tile_shape, dtype = base.dtype,
                  cb_depth = base.cb_depth,
                  nd_shard = {axes = c.axes, grid = c.grid, shard_shape_elems = c.shard}}
    ttlx.hint(buf.name, hint)
    local doc = ttlx.infer()
    local a = doc.analysis.buffers[buf.name]
    local codes, errors = {}, 0
    for _, d in ipairs(doc.diagnostics) do
      if d.severity ~= "info" and (d.buffer == buf.name or d.code == "TTL006") then
        codes[#codes + 1] = d.code
        if d.severity == "error" then errors = errors + 1 end
      end
    end
    local cores = a.cores_used or 0
    local reserved_elems = cores * (a.max_shards_per_core or 0) * (a.shard_tiles or 0) * tile[1] * tile[2]
    local padding = reserved_elems > 0 and 100 * (reserved_elems - buf.elems) / reserved_elems or 0
    local headroom = memory == "L1" and doc.analysis.cores.l1_bank - doc.analysis.cores.max_used or nil
    rows[#rows + 1] = {c = c, cores = cores, bytes = a.bytes_per_core or 0, headroom = headroom,
                       padding = padding, errors = errors,
                       status = #codes == 0 and "ok" or table.concat(codes, ",")}
  end
  ttlx.hints(saved)
  table.sort(rows, function(x, y)
    if (x.errors == 0) ~= (y.errors == 0) then return x.errors == 0 end
    if x.cores ~= y.cores then return x.cores > y.cores end
    if (x.headroom or 0) ~= (y.headroom or 0) then return (x.headroom or 0) > (y.headroom or 0) end
    if x.padding ~= y.padding then return x.padding < y.padding end
    if x.c.gm ~= y.c.gm then return x.c.gm < y.c.gm end
    return x.c.gn < y.c.gn
  end)
  print(string.format("sweep_grids: %s %s %s, %s sharded on %s (%dx%d cores, L1 bank %d B)",
                      buf.name, shape_text(buf.shape), buf.dtype, memory, dev.name, dev.grid[1], dev.grid[2],
                      dev.l1_bank))
  local out = {}
  for i, r in ipairs(rows) do
    out[i] = {i, r.c.gm .. "x" .. r.c.gn, r.c.sm .. "x" .. r.c.sn,
              (r.c.sm // tile[1]) .. "x" .. (r.c.sn // tile[2]), r.cores, r.bytes,
              r.headroom or "-", string.format("%.1f%%", r.padding), r.status}
  end
  print(ttlx.tabulate({"rank", "grid MxN", "shard elems", "shard tiles", memory == "L1" and "cores" or "banks",
                       "bytes/holder", "L1 headroom", "padding", "status"}, out))
  local best = rows[1]
  if best and best.errors == 0 then
    print(string.format("best: grid %dx%d, shard %dx%d elements on %d cores, %d B per core",
                        best.c.gm, best.c.gn, best.c.sm, best.c.sn, best.cores, best.bytes))
  else
    print("no grid of this device holds " .. buf.name .. " without errors")
  end
end

ttlx.command("sweep", function(bufname, memory) sweep(bufname, memory) end,
             "rank every shard grid for a buffer: :sweep [BUFFER] [L1|DRAM]")
local args = arg or {}
sweep(args[1], args[2])
