# from tvm.script import tir as T

@T.prim_func
def kv_cache(cache: T.Buffer((96, 32, 128), "bfloat16"), out: T.Buffer((32, 128), "bfloat16")):
    """round_robin_1d: 96 shards dealt over the 64 cores in raster order, so the first 32 cores hold two shards and every core reserves two."""
    T.func_attr({"tt.buffer_roles": {"out": "output"},
                 "tt.user_layout": {"cache": {"memory": "L1", "layout": "sharded",
                                              "nd_shard": {"axes": ["S", "M", "N"], "grid": [96, 1, 1],
                                                           "shard_shape_elems": [1, 32, 128],
                                                           "distribution": "round_robin_1d"}}}})
    for s, i, j in T.grid(96, 32, 128):
        out[i, j] = out[i, j] + cache[s, i, j]
