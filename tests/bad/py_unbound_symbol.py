@T.prim_func
def f(A: T.Buffer((N, 64), "bfloat16")):
    pass
