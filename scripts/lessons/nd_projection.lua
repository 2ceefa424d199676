-- Lesson: N-D shard projection. How a 4-D attention tensor's shard grid
-- maps onto the 2-D core grid: the axes labelled M and N pick the core,
-- the other axes stack shards on it, round_robin_1d deals them out
-- instead, col_major turns the grid, and what ttlx says when it cannot work.
--
-- In TTNN terms each layout here is an NdShardSpec (a shard shape per dim,
-- a CoreRangeSet, a ShardOrientation and a ShardDistributionStrategy).
--
--   ttlx run scripts/lessons/nd_projection.lua        (prints every step)
--   ttlx --script scripts/lessons/nd_projection.lua   (each step pinned over the views:
--                                                      > next, < previous, X leave)

local AXES = {"B", "H", "M", "N"}

local function nd(grid, shard, extra)
  local h = {memory = "L1", layout = "sharded", nd_shard = {axes = AXES, grid = grid, shard_shape_elems = shard}}
  for k, v in pairs(extra or {}) do h.nd_shard[k] = v end
  return h
end

local function fmt(t) return "[" .. table.concat(t, ", ") .. "]" end

local function summary(doc)
  local s, a = doc.attrs["tt.buffer.q"].nd_shard, doc.analysis.buffers.q
  print(string.format("grid %s x shard %s -> projected grid %s (M x N), %s tiles per shard",
                      fmt(s.grid), fmt(s.shard_shape_elems), fmt(s.projected_grid),
                      fmt(s.projected_shard_tiles)))
  print(string.format("%d shards of %d tiles on %d cores, up to %d per core, %d B per core", a.shards,
                      a.shard_tiles, a.cores_used, a.max_shards_per_core, a.bytes_per_core))
end

-- KiB of q on each core of the top four rows.
local function core_map()
  for y = 0, 3 do
    local cells = {}
    for x = 0, 7 do
      local c = ttlx.core(x, y)
      local b = c.buffers.q
      cells[#cells + 1] = b and string.format("%4d", b // 1024) or "   ."
    end
    print("  y=" .. y .. " " .. table.concat(cells, " "))
  end
  print("  (KiB of q on each core x=0..7)")
end

-- The Cores view on q with the cursor on one core.
local function cores(x, y)
  ttlx.select("q")
  ttlx.view("cores")
  ttlx.cursor_core(x, y)
end

local function diags()
  for _, d in ipairs(ttlx.diagnostics()) do
    print(d.code .. " " .. d.severity .. ": " .. d.message)
    if d.fix then print("  fix: " .. d.fix) end
  end
end

ttlx.lesson {
  title = "N-D projection",
  setup = function()
    ttlx.new_func {
      name = "lesson_nd",
      description = "A 4-D attention tensor for the N-D projection lesson",
      buffers = {{name = "q", shape = {2, 4, 256, 128}, dtype = "bfloat16"}},
    }
    ttlx.device("wormhole_n150")
  end,
  intro = "q is [batch 2, heads 4, seq 256, dim 128] bfloat16. nd_shard labels each\n"
       .. "axis; the two labelled M and N are projected onto the core grid.",
  steps = {
    {
      title = "label the axes, split M and N",
      text = "Axes B, H, M, N, grid [1, 1, 4, 2]: seq cut in 4, dim in 2. Shard (m, n) lands "
          .. "on core (x = n, y = m). TTNN: NdShardSpec(Shape([2, 4, 64, 64]), CoreRange((0,0), "
          .. "(1,3)), ROW_MAJOR, GRID_2D).",
      run = function()
        ttlx.hints({q = nd({1, 1, 4, 2}, {2, 4, 64, 64})})
        cores(1, 3)
        summary(ttlx.infer())
        core_map()
      end,
    },
    {
      title = "other axes stack on a core",
      text = "Splitting batch too (grid [2, 1, 4, 2]) makes 16 shards, but the core depends "
          .. "on (m, n) only: shards that differ in B stack, 2 per core (s0 +1 in the view). "
          .. "TTNN deals them with ROUND_ROBIN_1D over the same 2x4 cores.",
      run = function()
        ttlx.hints({q = nd({2, 1, 4, 2}, {1, 4, 64, 64})})
        cores(0, 0)
        summary(ttlx.infer())
        core_map()
      end,
    },
    {
      title = "round_robin_1d deals shards out",
      text = "distribution = \"round_robin_1d\": shard i (row-major over all axes) goes to "
          .. "core i % 64 in raster order, 16 shards on 16 cores. TTNN: NdShardSpec over "
          .. "CoreRange((0,0), (7,7)) with ShardDistributionStrategy.ROUND_ROBIN_1D.",
      run = function()
        ttlx.hints({q = nd({2, 1, 4, 2}, {1, 4, 64, 64}, {distribution = "round_robin_1d"})})
        cores(7, 1)
        summary(ttlx.infer())
        core_map()
      end,
    },
    {
      title = "col_major turns the grid",
      text = "order = \"col_major\" is ShardOrientation.COL_MAJOR: shard (m, n) on core (x = "
          .. "m, y = n), CoreRange((0,0), (3,1)). Tile (2,0), seq rows 64..95, is in shard "
          .. "m = 1: core (1,0).",
      run = function()
        ttlx.hints({q = nd({1, 1, 4, 2}, {2, 4, 64, 64}, {order = "col_major"})})
        ttlx.select("q")
        ttlx.view("tiles")
        ttlx.zoom(1)
        ttlx.cursor_tile(2, 0)
        summary(ttlx.infer())
        core_map()
        local p = ttlx.place("q", 2, 0) -- tile row 2 of batch 0, head 0: shard m = 1
        print(string.format("tile (2, 0) is in shard %d on core (%d, %d)", p.shard, p.x, p.y))
      end,
    },
    {
      title = "when the projection cannot work",
      text = "Without an N label there is nothing to project (TTL003); 16 shards along M "
          .. "need 16 core rows (TTL007) and 16-row shards are not whole tiles (TTL004); a "
          .. "grid leaving part of q without a shard is not covered (TTL008), as below.",
      run = function()
        ttlx.hints({q = {memory = "L1", layout = "sharded",
                         nd_shard = {axes = {"B", "H", "M", "K"}, grid = {1, 1, 4, 2},
                                     shard_shape_elems = {2, 4, 64, 64}}}})
        diags()
        ttlx.hints({q = nd({1, 1, 16, 1}, {2, 4, 16, 128})})
        diags()
        ttlx.hints({q = nd({1, 1, 2, 2}, {2, 4, 64, 64})})
        diags()
        cores(0, 0)
      end,
    },
  },
}
