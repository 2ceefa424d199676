-- compare_devices.lua - the same PrimFunc and hints on every built-in
-- device: errors and warnings, the worst core's L1 use, the work partition,
-- then the diagnostics that differ. Leaves the device as it was.
--
--   ttlx run scripts/compare_devices.lua FILE [DEVICE...]
--   explorer: :source scripts/compare_devices.lua   then   :compare [DEVICE...]

local function compare(names)
  local f = ttlx.func()
  local before = ttlx.device()
  if #names == 0 then
    for _, d in ipairs(ttlx.devices()) do names[#names + 1] = d.name end
  end
  print(string.format("compare_devices: %s (%d buffers) on %d devices", f.name, #f.buffers, #names))
  local rows, codes_by_dev, all_codes = {}, {}, {}
  for _, name in ipairs(names) do
    local dev = ttlx.device(name)
    local doc = ttlx.infer()
    local errors, warnings, codes = 0, 0, {}
    for _, d in ipairs(doc.diagnostics) do
      if d.severity == "error" then errors = errors + 1 end
      if d.severity == "warning" then warnings = warnings + 1 end
      if d.severity ~= "info" then
        local key = d.code .. (d.buffer and (" " .. d.buffer) or "")
        if not codes[key] then
          codes[key] = d.message
          all_codes[key] = true
        end
      end
    end
    codes_by_dev[name] = codes
    local c = doc.analysis.cores
    local ranges = doc.attrs["tt.core_ranges"]
    rows[#rows + 1] = {dev.name, dev.grid[1] .. "x" .. dev.grid[2], dev.l1_bank, c.max_used,
                       string.format("%.1f%%", 100 * c.max_used / c.l1_bank),
                       doc.attrs["tt.partition_mode"], #ranges, errors, warnings}
  end
  ttlx.device(before)
  print(ttlx.tabulate({"device", "grid", "L1 bank", "worst core", "used", "partition", "cores",
                       "errors", "warnings"}, rows))
  -- diagnostics that some devices have and others not
  local keys = {}
  for k in pairs(all_codes) do keys[#keys + 1] = k end
  table.sort(keys)
  local diffs = {}
  for _, k in ipairs(keys) do
    local on, off = {}, {}
    for _, name in ipairs(names) do
      if codes_by_dev[name][k] then on[#on + 1] = name else off[#off + 1] = name end
    end
    if #off > 0 then diffs[#diffs + 1] = string.format("  %s: on %s; not on %s", k,
                                                        table.concat(on, ", "), table.concat(off, ", ")) end
  end
  if #diffs == 0 then
    print("the same diagnostics on every device" .. (#keys > 0 and (": " .. table.concat(keys, ", ")) or " (none)"))
  else
    print("diagnostics that depend on the device:")
    for _, line in ipairs(diffs) do print(line) end
  end
end

ttlx.command("compare", function(...) compare({...}) end,
             "the PrimFunc on every device (or the ones named): :compare [DEVICE...]")
local args = arg or {}
local names = {}
for i = 1, #args do names[i] = args[i] end
compare(names)
