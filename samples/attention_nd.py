# from tvm.script import tir as T

@T.prim_func
def attention(Q: T.Buffer((2, 8, 1024, 128), "bfloat16"),
              K: T.Buffer((2, 8, 1024, 128), "bfloat16"),
              V: T.Buffer((2, 8, 1024, 128), "bfloat16"),
              O: T.Buffer((2, 8, 1024, 128), "bfloat16")):
    """N-D sharding: Q of shape [batch, heads, seq, dim] is sharded over all four axes; M and N project onto the core grid and the batch/head shards stack on each core."""
    T.func_attr({"tt.buffer_roles": {"Q": "input", "K": "input", "V": "input", "O": "output"},
                 "tt.user_layout": {
                     "Q": {"memory": "L1", "layout": "sharded",
                           "nd_shard": {"axes": ("B", "H", "M", "N"), "grid": (2, 2, 8, 1),
                                        "shard_shape_elems": (1, 4, 128, 128)}},
                     "K": {"memory": "DRAM", "layout": "interleaved"},
                     "V": {"memory": "DRAM", "layout": "interleaved"}}})
    # The kernel body is not needed to infer layouts: ttlx skips it.
    for b, h, i, j in T.grid(2, 8, 1024, 1024):
        with T.block("scores"):
            vb, vh, vi, vj = T.axis.remap("SSSR", [b, h, i, j])
            O[vb, vh, vi, 0] = O[vb, vh, vi, 0] + Q[vb, vh, vi, 0] * K[vb, vh, vj, 0] * V[vb, vh, vj, 0]
