# from tvm.script import tir as T
x = 1
