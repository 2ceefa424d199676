-- Lesson: letting ttlx choose. The same 1024x1024x1024 matmul solved on
-- Wormhole (wormhole_n150) and Blackhole (blackhole_p150): ttlx.solve
-- ranks every legal layout, and rank 1 differs because the core grids do.
--
--   ttlx run scripts/lessons/letting_ttlx_choose.lua        (prints every step)
--   ttlx --script scripts/lessons/letting_ttlx_choose.lua   (each step pinned over the views:
--                                                            > next, < previous, X leave)

-- The top three alternatives of the current device, one line each, with
-- what rank 1 changes.
local function show(alts)
  print(string.format("%d candidates evaluated, rank 1 %s", alts.evaluated,
                      alts.exact and "proven optimal" or "the best found"))
  local rows = {}
  for _, a in ipairs(alts) do
    local m = a.metrics
    rows[#rows + 1] = {a.rank, m.errors, m.l1_bytes, m.work_cores, m.padding_bytes,
                       m.worst_core_free, a.pareto and "yes" or "no"}
  end
  print(ttlx.tabulate({"rank", "errors", "L1 bytes", "work cores", "padding", "worst-core free",
                       "pareto"}, rows))
  print("rank 1 changes:")
  for _, c in ipairs(alts[1].changes) do print("  " .. c) end
end

-- Applies rank 1 and shows where it put A.
local function take(alts, view)
  ttlx.hints(alts[1].hints)
  ttlx.select("A")
  ttlx.view(view or "cores")
  ttlx.cursor_core(0, 0)
end

ttlx.lesson {
  title = "letting ttlx choose",
  setup = function()
    ttlx.new_func {
      name = "lesson_matmul",
      description = "C = A x B, 1024x1024x1024 bfloat16, for the letting-ttlx-choose lesson",
      buffers = {
        {name = "A", shape = {1024, 1024}, dtype = "bfloat16"},
        {name = "B", shape = {1024, 1024}, dtype = "bfloat16", role = "weight"},
        {name = "C", shape = {1024, 1024}, dtype = "bfloat16", role = "output"},
      },
    }
    ttlx.device("wormhole_n150")
  end,
  intro = "Every matrix is 1024x1024 bfloat16: a 32x32 grid of 2048 B tiles, 2 MiB.\n"
      .. "ttlx.solve{} tries each buffer's legal layouts, checks each combination with a\n"
      .. "real inference, and ranks the error-free ones (objective l1: most bytes in L1,\n"
      .. "then most work cores, fewest reshards, least padding, most free L1).",
  steps = {
    {
      title = "Wormhole: an 8x8 grid",
      text = "ttlx.solve{} ranks every legal layout. 32 tiles a side split evenly over 8x8 "
          .. "cores: rank 1 is BLOCK_SHARDED, 4x4 tiles per core, no padding, all 64 cores at "
          .. "work (shown applied). L1 interleaved ties on the figures, less local.",
      run = function()
        ttlx.device("wormhole_n150")
        local alts = ttlx.solve{top = 3}
        show(alts)
        take(alts)
      end,
    },
    {
      title = "Blackhole: an 11x10 grid",
      text = "32 tiles do not split evenly over 11x10 cores: block shards of 4x3 tiles use "
          .. "88 cores; L1 INTERLEAVED deals the 1024 pages over all 110 (10 each, 76 of "
          .. "padding), so rank 1 is interleaved: more work cores despite the padding.",
      run = function()
        ttlx.device("blackhole_p150")
        local alts = ttlx.solve{top = 3}
        show(alts)
        take(alts)
      end,
    },
    {
      title = "what matters to you decides",
      text = "objective = \"headroom\" keeps the most L1 free instead: everything goes to "
          .. "DRAM (shown applied: A is DRAM INTERLEAVED again). reserve = \"10%\" keeps a "
          .. "tenth of every L1 bank free for your own use.",
      run = function()
        ttlx.device("blackhole_p150")
        local alts = ttlx.solve{objective = "headroom", top = 1}
        print("headroom rank 1: " .. alts[1].metrics.l1_bytes .. " L1 bytes, "
              .. alts[1].metrics.worst_core_free .. " B free on the worst core")
        local reserved = ttlx.solve{reserve = "10%", top = 1}
        print("l1 with a 10% reserve, rank 1: " .. reserved[1].metrics.work_cores .. " work cores, "
              .. reserved[1].metrics.worst_core_free .. " B free on the worst core")
        take(alts, "tiles")
      end,
    },
    {
      title = "taking the answer",
      text = "Rank 1's hints are a complete tt.user_layout: ttlx.hints(alts[1].hints) "
          .. "applies them (one undo step: u undoes it); `ttlx solve --apply FILE` writes them "
          .. "into a file. The Work view shows the partition Wormhole's rank 1 gives.",
      run = function()
        for _, dev in ipairs{"wormhole_n150", "blackhole_p150"} do
          ttlx.device(dev)
          ttlx.hints(ttlx.solve{top = 1}[1].hints)
          local doc = ttlx.infer()
          print(string.format("%s: partition %s over %d core ranges, %d diagnostics", dev,
                              doc.attrs["tt.partition_mode"], #doc.attrs["tt.core_ranges"],
                              #doc.diagnostics))
          ttlx.hints({})
        end
        ttlx.device("wormhole_n150")
        take(ttlx.solve{top = 1}, "work")
      end,
    },
  },
}
