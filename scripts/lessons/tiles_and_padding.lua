-- Lesson: tiles and padding. How a tensor becomes 32x32 tiles (pages), what
-- padding costs, how the dtype and the tile shape change a page, and where
-- the pages of a DRAM interleaved buffer go (TTNN's DRAM_MEMORY_CONFIG).
--
--   ttlx run scripts/lessons/tiles_and_padding.lua        (prints every step)
--   ttlx --script scripts/lessons/tiles_and_padding.lua   (each step pinned over the views:
--                                                          > next, < previous, X leave)
--
-- The lesson builds its own small PrimFunc, so it needs no FILE.

local function fmt(t) return "[" .. table.concat(t, ", ") .. "]" end

local function buffer_line(doc, name)
  local attr, a = doc.attrs["tt.buffer." .. name], doc.analysis.buffers[name]
  return string.format("%s: tile %dx%d, tile grid %s = %d pages of %d B, padded shape %s",
                       name, attr.tile_shape[1], attr.tile_shape[2], fmt(a.tile_grid), a.pages,
                       a.page_bytes, attr.padded_shape and fmt(attr.padded_shape) or "(none needed)")
end

local function find_diag(doc, code, buffer)
  for _, d in ipairs(doc.diagnostics) do
    if d.code == code and d.buffer == buffer then return d end
  end
end

-- Points the Tiles view at one tile of a buffer, one cell per tile.
local function show_tile(buf, row, col)
  ttlx.select(buf)
  ttlx.view("tiles")
  ttlx.zoom(1)
  ttlx.cursor_tile(row, col)
end

ttlx.lesson {
  title = "tiles and padding",
  setup = function()
    ttlx.new_func {
      name = "lesson_tiles",
      description = "Tensors for the tiles-and-padding lesson",
      buffers = {
        {name = "x", shape = {100, 100}, dtype = "bfloat16"},
        {name = "w", shape = {64, 64}, dtype = "bfloat16"},
        {name = "v", shape = {3, 40, 70}, dtype = "float32"},
      },
    }
    ttlx.device("wormhole_n150")
  end,
  intro = "Tenstorrent cores work on tiles: 32x32 elements by default. Every buffer is\n"
       .. "stored as whole tiles, one tile per page, so a tensor's last two dims round\n"
       .. "up to tile multiples.",
  steps = {
    {
      title = "a tensor is stored as tiles",
      text = "A buffer is stored as whole tiles, one tile per page. x is 100x100: 100/32 = "
          .. "3.1, so 4 tile rows by 4 tile columns. The Tiles view draws the 16 tiles, each "
          .. "labelled with the DRAM bank (#B) that holds it.",
      run = function()
        ttlx.hints({})
        show_tile("x", 0, 0)
        local doc = ttlx.infer()
        print(buffer_line(doc, "x"))
        print(buffer_line(doc, "w"))
      end,
    },
    {
      title = "what padding costs",
      text = "The cursor is on tile (3,3): rows and columns 96..127, of which only 4x4 "
          .. "elements are real. x stores 128x128 = 16384 elements for 10000; TTL013 (below) "
          .. "counts the pages that hold padding. w, 64x64, is exactly 2x2 tiles.",
      run = function()
        ttlx.hints({})
        show_tile("x", 3, 3)
        local doc = ttlx.infer()
        local d = find_diag(doc, "TTL013", "x")
        print("TTL013 " .. d.message)
        print(string.format("real elements 10000 of %d stored: %.1f%% is padding", 128 * 128,
                            100 * (128 * 128 - 10000) / (128 * 128)))
        print("w has no TTL013: " .. tostring(find_diag(doc, "TTL013", "w") == nil))
      end,
    },
    {
      title = "the dtype sets the page size",
      text = "A page is one tile: 32x32 elements times the element size. w as bfloat8_b (8 "
          .. "bits a value plus shared exponents) has 1088 B pages, not 2048: see the pane "
          .. "title. The hint's dtype overrides the buffer's; the CB format follows.",
      run = function()
        local rows = {}
        for _, dt in ipairs({"float32", "bfloat16", "int8", "bfloat8_b", "bfloat4_b"}) do
          ttlx.hints({w = {dtype = dt}})
          local doc = ttlx.infer()
          local a = doc.analysis.buffers.w
          rows[#rows + 1] = {dt, a.tile_bytes, a.pages, a.pages * a.page_bytes,
                             doc.attrs["tt.cb.w"].data_format}
        end
        print(ttlx.tabulate({"dtype", "tile bytes", "pages", "w bytes", "CB format"}, rows))
        ttlx.hints({w = {dtype = "bfloat8_b"}})
        ttlx.select("w")
        ttlx.view("metadata")
      end,
    },
    {
      title = "smaller tiles pad less",
      text = "x with 16x32 tiles (tile_shape = {16, 32}) pads 100 rows to 112, not 128: 7 "
          .. "tile rows of 4. Fewer kernels support such tiles, so ttlx warns (TTL012) while "
          .. "showing the saving.",
      run = function()
        local rows = {}
        for _, ts in ipairs({{32, 32}, {16, 32}, {32, 16}, {16, 16}}) do
          ttlx.hints({x = {tile_shape = ts}})
          local doc = ttlx.infer()
          local attr, a = doc.attrs["tt.buffer.x"], doc.analysis.buffers.x
          local stored = attr.padded_shape[1] * attr.padded_shape[2]
          rows[#rows + 1] = {ts[1] .. "x" .. ts[2], a.pages, a.tile_bytes, fmt(attr.padded_shape),
                             string.format("%.1f%%", 100 * (stored - 10000) / stored),
                             find_diag(doc, "TTL012", "x") and "TTL012" or "-"}
        end
        print(ttlx.tabulate({"tile", "pages", "tile bytes", "padded", "padding", "warning"}, rows))
        ttlx.hints({x = {tile_shape = {16, 32}}})
        show_tile("x", 6, 0)
      end,
    },
    {
      title = "outer dims multiply the tiles",
      text = "Only the last two dims are tiled. v is 3x40x70 float32: each of the 3 matrices "
          .. "pads to 64x96 (2x3 tiles), so the Tiles view stacks them: 6 tile rows of 3, "
          .. "18 pages of 4096 B.",
      run = function()
        ttlx.hints({})
        show_tile("v", 2, 0)
        print(buffer_line(ttlx.infer(), "v"))
      end,
    },
    {
      title = "where the pages go",
      text = "DRAM interleaved, the default (TTNN: TensorMemoryLayout.INTERLEAVED, BufferType"
          .. ".DRAM): page i goes to bank i % 12, so tile (1,0), page 4, is on bank #4. Each "
          .. "bank reserves ceil(16/12) = 2 pages (lock-step).",
      run = function()
        ttlx.hints({})
        show_tile("x", 1, 0)
        for r = 0, 3 do
          local cells = {}
          for c = 0, 3 do
            local p = ttlx.place("x", r, c)
            cells[#cells + 1] = string.format("b%-2d%s", p.bank, p.padding and "*" or " ")
          end
          print("  " .. table.concat(cells, " "))
        end
        local a = ttlx.infer().analysis.buffers.x
        print(string.format("(* = holds padding) %d pages over %d banks: %d B per bank", a.pages,
                            a.banks, a.bytes_per_bank))
      end,
    },
  },
}
