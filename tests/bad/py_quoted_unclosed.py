@T.prim_func
def f(A: T.Buffer(("64 * (2", 64), "bfloat16")):
    pass
