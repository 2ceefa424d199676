-- edits a hint, then fails in a nested function: exit 1 with SCRIPT:LINE
ttlx.hint("A", {memory = "L1"})
local function check(doc)
  if doc.analysis.buffers.A then error("A is still there: " .. doc.attrs["tt.buffer.A"].memory) end
end
check(ttlx.infer())
