@T.prim_func
def f(A: T.Buffer((64, 64), "bfloat16")):
    T.func_attr({"a": [1, 2)})
