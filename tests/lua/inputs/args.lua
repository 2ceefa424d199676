-- prints what `ttlx run` gave the script
print("arg[0] = " .. arg[0], "#arg = " .. #arg)
for i = 1, #arg do print(i, arg[i]) end
local ok, f = pcall(ttlx.func)
print(ok and ("func " .. f.name .. " on " .. ttlx.device().name) or ("no func: " .. f))
