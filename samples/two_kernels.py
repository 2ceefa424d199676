# from tvm.script import ir as I
# from tvm.script import tir as T

@I.ir_module
class Module:
    @T.prim_func
    def layernorm(x: T.Buffer((512, 1024), "bfloat16"), gamma: T.Buffer((1, 1024), "bfloat16"), y: T.Buffer((512, 1024), "bfloat16")):
        """An IRModule of two kernels: a row-sharded layernorm then a DRAM matmul; the first is opened and the other is selectable."""
        T.func_attr({"tt.buffer_roles": {"x": "input", "gamma": "weight", "y": "output"},
                     "tt.user_layout": {
                         "x": {"memory": "L1", "layout": "sharded",
                               "nd_shard": {"axes": ["M", "N"], "grid": [8, 1], "shard_shape_elems": [64, 1024]}},
                         "y": {"memory": "L1", "layout": "sharded",
                               "nd_shard": {"axes": ["M", "N"], "grid": [8, 1], "shard_shape_elems": [64, 1024]}}}})
        for i, j in T.grid(512, 1024):
            y[i, j] = x[i, j] * gamma[0, j]

    @T.prim_func
    def proj(y: T.Buffer((512, 1024), "bfloat16"), w: T.Buffer((1024, 1024), "bfloat8_b"), z: T.Buffer((512, 1024), "bfloat16")):
        """The projection after the layernorm."""
        T.func_attr({"tt.buffer_roles": {"y": "input", "w": "weight", "z": "output"}})
        bx = T.launch_thread("blockIdx.x", 32)
        by = T.launch_thread("blockIdx.y", 16)
        T.evaluate(0)
