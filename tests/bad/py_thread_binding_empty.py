@T.prim_func
def f(A: T.Buffer((64, 64), "bfloat16")):
    for bx in T.thread_binding(8, 8, thread="blockIdx.x"):
        pass
