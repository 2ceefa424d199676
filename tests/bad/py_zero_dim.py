@T.prim_func
def f(A: T.Buffer((0, 64), "bfloat16")):
    pass
