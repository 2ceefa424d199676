-- Lesson: interleaved or sharded. The same 1024x1024 tensor placed the ways
-- TTNN names them: DRAM and L1 INTERLEAVED, then HEIGHT_SHARDED,
-- WIDTH_SHARDED and BLOCK_SHARDED with their ShardSpec (a CoreRangeSet, a
-- shard shape, a ShardOrientation), and a shard too big for one core.
--
--   ttlx run scripts/lessons/interleaved_vs_sharded.lua        (prints every step)
--   ttlx --script scripts/lessons/interleaved_vs_sharded.lua   (each step pinned over the views:
--                                                               > next, < previous, X leave)

local function sharded(gm, gn, sm, sn, order)
  return {memory = "L1", layout = "sharded",
          nd_shard = {axes = {"M", "N"}, grid = {gm, gn}, shard_shape_elems = {sm, sn}, order = order}}
end

local function describe(doc)
  local a = doc.analysis.buffers.a
  if a.bytes_per_bank then
    print(string.format("a: %d pages over %d banks, %d B reserved per bank", a.pages, a.banks,
                        a.bytes_per_bank))
  else
    print(string.format("a: %d shards of %d tiles on %d cores, %d B reserved per core", a.shards,
                        a.shard_tiles, a.cores_used, a.bytes_per_core))
  end
end

-- The cores holding a, as x,y of the top-left 4x8 tiles.
local function tile_map()
  for r = 0, 3 do
    local cells = {}
    for c = 0, 7 do
      local p = ttlx.place("a", r, c)
      cells[#cells + 1] = p.memory == "DRAM" and string.format("b%-4d", p.bank)
                          or string.format("%d,%-3d", p.x, p.y)
    end
    print((("  " .. table.concat(cells, " ")):gsub("%s+$", "")))
  end
end

local function diags()
  for _, d in ipairs(ttlx.diagnostics()) do
    print(d.code .. " " .. d.severity .. ": " .. d.message)
    if d.fix then print("  fix: " .. d.fix) end
  end
end

ttlx.lesson {
  title = "interleaved vs sharded",
  setup = function()
    ttlx.new_func {
      name = "lesson_layouts",
      description = "One 1024x1024 tensor for the interleaved-vs-sharded lesson",
      buffers = {
        {name = "a", shape = {1024, 1024}, dtype = "bfloat16"},
        {name = "c", shape = {1024, 1024}, dtype = "bfloat16", role = "output"},
      },
    }
    ttlx.device("wormhole_n150")
  end,
  intro = "a is 1024x1024 bfloat16: 32x32 tiles of 2048 B, 1024 pages, 2 MiB in all.",
  steps = {
    {
      title = "DRAM INTERLEAVED",
      text = "TTNN's default MemoryConfig: TensorMemoryLayout.INTERLEAVED, BufferType.DRAM. "
          .. "Page i goes to DRAM bank i % 12, so neighbouring tiles sit in different banks "
          .. "(#0 #1 ... #B) and a read spreads over all of them.",
      run = function()
        ttlx.hints({})
        ttlx.select("a")
        ttlx.view("tiles")
        ttlx.zoom(1)
        ttlx.cursor_tile(0, 1)
        describe(ttlx.infer())
        tile_map()
      end,
    },
    {
      title = "L1 INTERLEAVED, raster order",
      text = "BufferType.L1: the same round-robin over the 64 cores' L1 banks, 16 pages each. "
          .. "ttlx draws L1 bank b on core (b % 8, b / 8), raster order; tt-metal permutes its "
          .. "L1 bank ids, so on a device page i may sit elsewhere.",
      run = function()
        ttlx.hints({a = {memory = "L1"}})
        ttlx.view("cores")
        ttlx.cursor_core(1, 0)
        describe(ttlx.infer())
        tile_map()
      end,
    },
    {
      title = "HEIGHT_SHARDED",
      text = "Shards are bands of rows: grid 8x1, shard [128, 1024]. TTNN: ShardSpec("
          .. "CoreRangeSet({CoreRange((0,0), (0,7))}), [128, 1024], ROW_MAJOR): shard m sits "
          .. "on core (0, m), a column of 8 cores with 256 KiB each.",
      run = function()
        ttlx.hints({a = sharded(8, 1, 128, 1024)})
        ttlx.view("cores")
        ttlx.cursor_core(0, 2)
        describe(ttlx.infer())
      end,
    },
    {
      title = "WIDTH_SHARDED",
      text = "Shards are bands of columns: grid 1x8, shard [1024, 128]. TTNN: ShardSpec("
          .. "CoreRangeSet({CoreRange((0,0), (7,0))}), [1024, 128], ROW_MAJOR): shard n sits "
          .. "on core (n, 0), a row of 8 cores.",
      run = function()
        ttlx.hints({a = sharded(1, 8, 1024, 128)})
        ttlx.view("cores")
        ttlx.cursor_core(2, 0)
        describe(ttlx.infer())
      end,
    },
    {
      title = "BLOCK_SHARDED over 8x8",
      text = "ShardSpec(CoreRangeSet({CoreRange((0,0), (7,7))}), [128, 128], ROW_MAJOR): "
          .. "4x4-tile blocks, shard (m, n) on core (x = n, y = m). Tile (5,9) is in shard 10, "
          .. "on core (2,1).",
      run = function()
        ttlx.hints({a = sharded(8, 8, 128, 128)})
        ttlx.view("tiles")
        ttlx.zoom(1)
        ttlx.cursor_tile(5, 9)
        local doc = ttlx.infer()
        describe(doc)
        tile_map()
        print("partition: " .. doc.attrs["tt.partition_mode"])
      end,
    },
    {
      title = "shard orientation",
      text = "A 2x4 grid of 512x256 shards: ROW_MAJOR puts shard (m, n) on core (n, m), "
          .. "CoreRange((0,0), (3,1)). order = \"col_major\" is ShardOrientation.COL_MAJOR: "
          .. "core (m, n), CoreRange((0,0), (1,3)), as the Cores view shows.",
      run = function()
        ttlx.hints({a = sharded(2, 4, 512, 256)})
        describe(ttlx.infer())
        ttlx.hints({a = sharded(2, 4, 512, 256, "col_major")})
        ttlx.view("cores")
        ttlx.cursor_core(1, 3)
        describe(ttlx.infer())
      end,
    },
    {
      title = "too big for one core",
      text = "The whole 2 MiB tensor as one shard cannot fit a core's 1.32 MiB L1 bank: ttlx "
          .. "says so (TTL005, TTL006, below) and computes the nearest grid whose shards fit. "
          .. "The pane below shows the first diagnostic with its fix.",
      run = function()
        ttlx.hints({a = sharded(1, 1, 1024, 1024)})
        ttlx.view("cores")
        ttlx.cursor_core(0, 0)
        diags()
      end,
    },
  },
}
