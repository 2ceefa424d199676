return pcall(ttlx.load, "/etc/passwd"), pcall(ttlx.export, "../../x.json", "json"), pcall(ttlx.save, "/tmp/x.json"), pcall(ttlx.device, "/etc/x.json")
