@T.prim_func
def f(A: T.Buffer((100000000000000000000, 64), "bfloat16")):
    pass
