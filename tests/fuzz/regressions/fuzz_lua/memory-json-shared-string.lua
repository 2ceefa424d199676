local s = ("x"):rep(8 << 20) local t = {} for i = 1, 64 do t[i] = s end return pcall(ttlx.json, t)
