local t = {} for i = 1, 20000 do t["k" .. i] = i end return #ttlx.json(t)
