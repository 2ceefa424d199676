# from tvm.script import tir as T

@T.prim_func
def matmul_misaligned(a: T.handle, b: T.handle, c: T.handle):
    """The seed's misaligned L1 shard: 100-row shards are not a multiple of the 32-row tile (TTL004), with the nearest aligned shard as the fix."""
    T.func_attr({"global_symbol": "matmul_misaligned", "tir.noalias": T.bool(True),
                 "tt.buffer_roles": {"C": "output"},
                 "tt.user_layout": {"A": {"memory": "L1", "layout": "sharded",
                                          "nd_shard": {"axes": ["M", "N"], "grid": [3, 4],
                                                       "shard_shape_elems": [100, 64]}}}})
    A = T.match_buffer(a, (256, 256), "bfloat16")
    B = T.match_buffer(b, (256, 256), "bfloat16")
    C = T.match_buffer(c, (256, 256), "bfloat16")
    bx = T.launch_thread("blockIdx.x", 8)
    by = T.launch_thread("blockIdx.y", 8)
    tx = T.launch_thread("threadIdx.x", 128)
    for k in range(256):
        C[by * 32 + tx // 32, bx * 32 + tx % 32] = C[by * 32 + tx // 32, bx * 32 + tx % 32] + A[by * 32 + tx // 32, k] * B[k, bx * 32 + tx % 32]
