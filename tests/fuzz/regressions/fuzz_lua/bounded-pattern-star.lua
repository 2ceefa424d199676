return ("a"):rep(400000):find("a*b")
