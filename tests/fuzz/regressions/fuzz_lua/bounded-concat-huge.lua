local t = {} for i = 1, 1e5 do t[i] = "abcdefgh" end return #table.concat(t, ("x"):rep(4096))
