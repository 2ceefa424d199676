-- Lesson: interleaved or sharded. The same 1024x1024 tensor placed four
-- ways: DRAM interleaved, L1 interleaved, L1 sharded over a grid of cores,
-- and sharded on too few cores, with what each costs per bank or core.
--
--   ttlx run scripts/lessons/interleaved_vs_sharded.lua        (prints every step)
--   ttlx --script scripts/lessons/interleaved_vs_sharded.lua   (> next, < previous)

local function sharded(gm, gn, sm, sn)
  return {memory = "L1", layout = "sharded",
          nd_shard = {axes = {"M", "N"}, grid = {gm, gn}, shard_shape_elems = {sm, sn}}}
end

-- The top-left 6x8 tiles of a, each labelled by the bank (b) or core (x,y)
-- that holds it.
local function tile_map()
  for r = 0, 5 do
    local cells = {}
    for c = 0, 7 do
      local p = ttlx.place("a", r, c)
      cells[#cells + 1] = p.memory == "DRAM" and string.format("b%-4d", p.bank)
                          or string.format("%d,%-3d", p.x, p.y)
    end
    print((("  " .. table.concat(cells, " ")):gsub("%s+$", "")))
  end
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
  local c = doc.analysis.cores
  print(string.format("busiest core: %d of %d B of L1 (buffers and circular buffers)", c.max_used,
                      c.l1_bank))
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
      title = "DRAM interleaved (the default)",
      text = "Pages are dealt round-robin over the 12 DRAM banks: tile i -> bank i % 12.\n"
          .. "Neighbouring tiles sit in different banks, so reads spread over all of them.",
      run = function()
        ttlx.hints({})
        ttlx.select("a")
        describe(ttlx.infer())
        tile_map()
      end,
    },
    {
      title = "L1 interleaved",
      text = "memory = \"L1\": the same round-robin, but over the 64 cores' L1 banks in\n"
          .. "raster order: tile i -> core (i % 8, i // 8 % 8). Labels are x,y.",
      run = function()
        ttlx.hints({a = {memory = "L1"}})
        describe(ttlx.infer())
        tile_map()
      end,
    },
    {
      title = "L1 sharded over 8x8 cores",
      text = "layout = \"sharded\" with a grid of 8x8 shards of 128x128 elements: each core\n"
          .. "holds one 4x4-tile block, so a core finds its whole tile block locally.\n"
          .. "The work partition follows the shards (local_shard).",
      run = function()
        ttlx.hints({a = sharded(8, 8, 128, 128)})
        local doc = ttlx.infer()
        describe(doc)
        tile_map()
        print("partition: " .. doc.attrs["tt.partition_mode"] .. ", shard grid "
              .. table.concat(doc.attrs["tt.shard_grid"], "x") .. ", local tiles "
              .. table.concat(doc.attrs["tt.local_shape_tiles"], "x"))
      end,
    },
    {
      title = "fewer, bigger shards",
      text = "A 2x2 grid puts 512x512-element shards (256 tiles, 512 KiB) on 4 cores.\n"
          .. "Each core needs more L1 and 60 cores sit idle.",
      run = function()
        ttlx.hints({a = sharded(2, 2, 512, 512)})
        describe(ttlx.infer())
        print("core (0,0): " .. ttlx.inspect(ttlx.core(0, 0)))
        print("core (7,7): " .. ttlx.inspect(ttlx.core(7, 7)))
      end,
    },
    {
      title = "too big for one core",
      text = "The whole 2 MiB tensor as one shard cannot fit a core's L1 bank: ttlx says\n"
          .. "so (TTL005, TTL006) and computes the nearest grid whose shards fit.",
      run = function()
        ttlx.hints({a = sharded(1, 1, 1024, 1024)})
        for _, d in ipairs(ttlx.diagnostics()) do
          print(d.code .. " " .. d.severity .. ": " .. d.message)
          if d.fix then print("  fix: " .. d.fix) end
        end
      end,
    },
    {
      title = "shards must be whole tiles",
      text = "In L1 a shard's M and N must be tile multiples: 136-row shards are refused\n"
          .. "(TTL004) with the nearest aligned shard and the grid that then covers a.",
      run = function()
        ttlx.hints({a = sharded(8, 8, 136, 128)})
        for _, d in ipairs(ttlx.diagnostics()) do
          print(d.code .. " " .. d.severity .. ": " .. d.message)
          if d.fix then print("  fix: " .. d.fix) end
        end
      end,
    },
  },
}
