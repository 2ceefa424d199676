@T.prim_func
def f(A: T.Buffer((4294967296, 4294967296), "bfloat16")):
    pass
