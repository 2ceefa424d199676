# from tvm.script import tir as T

# The forms TVM and TileLang print that ttlx reads (SPEC 1.2): a quoted
# symbolic shape ("n + 1", read with --bind n=127), T.thread_binding loops
# as the launch grid, dtypes as attributes (T.float32, dtype=T.float16),
# the subscript T.Tensor[...] form, and bool/int64 buffers that tt-metal
# has no data format for (TTL016, no placement). Twin: fidelity.json.
@T.prim_func
def masked_add(X: T.Buffer(("n + 1", n), "float32"), W: T.Tensor((128, 127), T.float32), mask: T.Buffer((128, 128), "bool"), idx: T.Tensor[(64,), T.int64], Y: T.Buffer((128, 127), dtype=T.float16)):
    T.func_attr({"tt.buffer_roles": {"Y": "output"},
                 "tt.user_layout": {"W": {"memory": "L1"}, "mask": {"memory": "L1"}}})
    for by in T.thread_binding(4, thread="blockIdx.y"):
        for bx in T.thread_binding(0, 4, thread="blockIdx.x"):
            for tx in T.thread_binding(128, thread="threadIdx.x"):
                Y[by * 32 + tx // 4, bx * 32 + tx % 4] = T.Cast("float16", X[by * 32, bx * 32] + W[by * 32, bx * 32])
