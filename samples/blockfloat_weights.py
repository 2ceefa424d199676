# from tvm.script import tir as T

@T.prim_func
def mlp_blockfloat(x: T.Tensor((128, 4096), "bfloat16"),
                   w_up: T.Tensor((4096, 11008), "bfloat16"),
                   w_down: T.Tensor((11008, 4096), "bfloat16"),
                   y: T.Tensor((128, 4096), "bfloat16")):
    """Block-float weights: bfloat8_b and bfloat4_b tiles carry shared exponents (1088 and 576 bytes per 32x32 tile) against 2048 for bfloat16."""
    T.func_attr({
        "tt.buffer_roles": {"x": "input", "w_up": "weight", "w_down": "weight", "y": "output"},
        "tt.user_layout": {
            "w_up": {"dtype": "bfloat8_b"},
            "w_down": {"dtype": "bfloat4_b"},
            "x": {"memory": "L1", "layout": "interleaved"},
        },
    })
    T.evaluate(0)
