# from tvm.script import tir as T

@T.prim_func
def odd_shapes(x: T.Buffer((100, 100), "bfloat16"), x16: T.Buffer((100, 100), "bfloat16"), bias: T.Buffer((100,), "float32"), y: T.Buffer((100, 100), "bfloat16")):
    """Padding: dims that are not tile multiples pad to whole tiles (TTL013), a 16x16 tile wastes less (TTL012 warns that it is not the default), and a 1-D bias becomes one tile row."""
    T.func_attr({"tt.buffer_roles": {"x": "input", "bias": "weight", "y": "output"},
                 "tt.user_layout": {"x16": {"tile_shape": (16, 16)}}})
    for i, j in T.grid(100, 100):
        y[i, j] = x[i, j] + x16[i, j] + T.Cast("bfloat16", bias[j])
