@T.prim_func
def f(A: T.Buffer((64, 64), "bfloat16")):
    with T.Kernel(0, 8) as (bx, by):
        pass
