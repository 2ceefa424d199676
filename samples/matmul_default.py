# from tvm.script import tir as T

@T.prim_func
def matmul(A: T.Buffer((256, 256), "float16"), B: T.Buffer((256, 256), "float16"), C: T.Buffer((256, 256), "float16")):
    """The seed's default case: a 256x256 float16 matmul with no hints, every buffer DRAM interleaved."""
    T.func_attr({"global_symbol": "matmul", "tir.noalias": T.bool(True)})
    with T.Kernel(8, 8, threads=128) as (bx, by):
        A_shared = T.alloc_shared((32, 32), "float16")
        B_shared = T.alloc_shared((32, 32), "float16")
        C_local = T.alloc_fragment((32, 32), "float32")
        T.clear(C_local)
        for ko in T.Pipelined(8, num_stages=2):
            T.copy(A[by * 32, ko * 32], A_shared)
            T.copy(B[ko * 32, bx * 32], B_shared)
            T.gemm(A_shared, B_shared, C_local)
        T.copy(C_local, C[by * 32, bx * 32])
