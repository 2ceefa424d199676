@T.prim_func
def f(A: T.Buffer(("n + 1", 64), "bfloat16")):
    pass
