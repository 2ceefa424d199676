# from tvm.script import tir as T

@T.prim_func
def conv2d_3x3(input: T.Buffer((1, 64, 128, 128), "bfloat16"),
               weight: T.Buffer((64, 64, 3, 3), "bfloat16"),
               output: T.Buffer((1, 64, 128, 128), "bfloat16")):
    """The seed's halo case: a stencil input asks for a halo, which InferTTLayout rejects (TTL001); the other buffers are still inferred."""
    T.func_attr({'tt.buffer_roles': {'input': 'input', 'weight': 'weight', 'output': 'output'},
                 'tt.user_layout': {'input': {'memory': 'L1', 'layout': 'sharded', 'halo': [1, 1],
                                              'nd_shard': {'axes': ['B', 'C', 'M', 'N'],
                                                           'grid': [1, 1, 4, 4],
                                                           'shard_shape_elems': [1, 64, 32, 32]}},
                                    'output': {'memory': 'DRAM'}}})
    for n, co, h, w, ci, kh, kw in T.grid(1, 64, 126, 126, 64, 3, 3):
        with T.block("conv"):
            output[n, co, h + 1, w + 1] += input[n, ci, h + kh, w + kw] * weight[co, ci, kh, kw]
