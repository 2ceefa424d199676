@T.prim_func
def f(A: T.Buffer((1, 1, 1, 1, 1, 1, 1, 1, 1), "bfloat16")):
    pass
