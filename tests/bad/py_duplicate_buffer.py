@T.prim_func
def f(A: T.Buffer((64, 64), "bfloat16"), A: T.Buffer((64, 64), "int8")):
    pass
