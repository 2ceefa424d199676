# from tvm.script import tir as T
# T.Kernel extents whose product passes 2^63: TTL010, and the partition
# falls back to the output tile grid.
@T.prim_func
def k(A: T.Buffer((64, 64), "bfloat16"), C: T.Buffer((64, 64), "bfloat16")):
    with T.Kernel(2147483647, 2147483647, 3) as (bx, by, bz):
        pass
