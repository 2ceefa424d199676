# from tvm.script import tir as T

@T.prim_func
def big_activation(act: T.Buffer((2048, 2048), "float32"), bias: T.Buffer((1, 2048), "float32"), out: T.Buffer((2048, 2048), "float32")):
    """An L1 overflow: a 2048x2048 float32 shard on only four cores needs 4 MiB per core (TTL005); the fix is the smallest grid whose shards fit."""
    T.func_attr({"tt.buffer_roles": {"act": "input", "bias": "weight", "out": "output"},
                 "tt.user_layout": {"act": {"memory": "L1", "layout": "sharded",
                                            "nd_shard": {"axes": ["M", "N"], "grid": [2, 2],
                                                         "shard_shape_elems": [1024, 1024]}},
                                    "bias": {"memory": "L1"}}})
    for i, j in T.grid(2048, 2048):
        out[i, j] = act[i, j] + bias[0, j]
