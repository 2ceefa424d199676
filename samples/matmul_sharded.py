# from tvm.script import tir as T

@T.prim_func
def matmul(A: T.Buffer((256, 256), "bfloat16"), B: T.Buffer((256, 256), "bfloat16"), C: T.Buffer((256, 256), "bfloat16")):
    """The seed's sharded projection: A is L1-sharded 2x4 over M and N, B and C stay in DRAM."""
    T.func_attr({"global_symbol": "matmul", "tir.noalias": T.bool(True),
                 "tt.device": "wormhole_n150",
                 "tt.buffer_roles": {"C": "output"},
                 "tt.user_layout": {"A": {"memory": "L1", "layout": "sharded",
                                          "nd_shard": {"axes": ["M", "N"], "grid": [2, 4],
                                                       "shard_shape_elems": [128, 64]}}},
                 "tt.user_schedule": {},
                 "tt.core_grid": [8, 8]})
    with T.Kernel(8, 8, threads=128) as (bx, by):
        A_shared = T.alloc_shared((32, 32), "bfloat16")
        B_shared = T.alloc_shared((32, 32), "bfloat16")
        C_local = T.alloc_fragment((32, 32), "float32")
        T.clear(C_local)
        for ko in T.Pipelined(8, num_stages=2):
            T.copy(A[by * 32, ko * 32], A_shared)
            T.copy(B[ko * 32, bx * 32], B_shared)
            T.gemm(A_shared, B_shared, C_local)
        T.copy(C_local, C[by * 32, bx * 32])
