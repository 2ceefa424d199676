return string.rep("", 1 << 62)
