@T.prim_func
def f(A: T.Buffer((64, 64), "bfloa