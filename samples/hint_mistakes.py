# from tvm.script import tir as T

@T.prim_func
def typos(lhs: T.Buffer((512, 512), "bf16"), rhs: T.Buffer((512, 512), "bf16"), dst: T.Buffer((512, 512), "bf16")):
    """Hint mistakes made every day: a misspelt key, a wrong value, a hint for a buffer that does not exist, an incomplete nd_shard; each gets a did-you-mean or a completed hint."""
    T.func_attr({"tt.buffer_roles": {"dst": "output"},
                 "tt.user_layout": {
                     "lhs": {"memroy": "L1", "layout": "sharded", "nd_shard": {"axes": ["M", "N"], "grid": [4, 4]}},
                     "rhs": {"memory": "SRAM", "cb_depth": T.int32(0)},
                     "dts": {"memory": "L1"}}})
    T.evaluate(0)
