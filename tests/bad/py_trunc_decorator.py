@T.prim_func
