# from tvm.script import tir as T

@T.prim_func
def eltwise_add(a: T.Buffer((1024, 1024), "float32"), b: T.Buffer((1024, 1024), "float32"), c: T.Buffer((1024, 1024), "float32")):
    """A Blackhole work partition: 1024 output tiles over the 11x10 grid, so 34 cores take 10 tiles and 76 take 9."""
    T.func_attr({"tt.device": "blackhole_p150",
                 "tt.buffer_roles": {"a": "input", "b": "input", "c": "output"}})
    for i, j in T.grid(1024, 1024):
        with T.block("add"):
            vi, vj = T.axis.remap("SS", [i, j])
            c[vi, vj] = a[vi, vj] + b[vi, vj]
