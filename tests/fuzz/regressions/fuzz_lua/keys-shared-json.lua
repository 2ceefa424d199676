local a = {} for i = 1, 1000 do a["k" .. i] = i end local b = {} for i = 1, 1000 do b[i] = a end return ttlx.json({b, b, b})
