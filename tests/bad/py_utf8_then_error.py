@T.prim_func
def f(A: T.Buffer((64, 64), "bfloat16")):
    T.func_attr({"café 世": [1, 2)})
