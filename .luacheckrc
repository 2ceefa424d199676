-- luacheck configuration: scripts run inside ttlx's sandbox, Lua 5.4.
std = "lua54"
max_line_length = 120
-- The API table ttlx gives every script (SPEC 8); scripts may add
-- fields to it (commands, handlers), so it is writable.
globals = { "ttlx" }
files["themes/"] = { std = "lua54" }
