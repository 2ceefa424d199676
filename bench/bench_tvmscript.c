/*
 * bench_tvmscript.c - how long importing a large TVMScript module takes:
 * a 10,000-buffer @I.ir_module generated in memory (1/3 of the buffers
 * N-D sharded in L1, 1/3 with DRAM hints, and a kernel body to skip),
 * timed through ttlx_tvmscript_to_json and the module load that follows.
 * Target (issue 5): under 30 ms. Prints figures; asserts nothing.
 *   bench_tvmscript [BUFFERS]
 */
#include "ttlx_func.h"
#include "ttlx_load.h"
#include "ttlx_tvmscript.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct text {
    char *s;
    size_t len, cap;
} text_t;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
put(text_t *t, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)(n > 0 ? n : 0) + 64;
        t->s = realloc(t->s, t->cap);
        if (!t->s) {
            fprintf(stderr, "bench_tvmscript: out of memory\n");
            exit(2);
        }
    }
}

/* Two functions of n/2 buffers each, in the shape TVM prints. */
static text_t generate(int n) {
    text_t t = {malloc(1 << 16), 0, 1 << 16};
    put(&t, "# from tvm.script import ir as I\n# from tvm.script import tir as T\n\n"
            "@I.ir_module\nclass Module:\n");
    for (int f = 0; f < 2; f++) {
        int lo = f * (n / 2), hi = f ? n : n / 2;
        put(&t, "    @T.prim_func\n    def kernel%d(", f);
        for (int i = lo; i < hi; i++)
            put(&t, "%sB%d: T.Buffer((%d, T.int64(%d)), \"%s\")",
                i > lo ? ",\n                " : "", i, 256 + 32 * (i % 7), 128 * (1 + i % 4),
                i % 5 ? "bfloat16" : "float32");
        put(&t, "):\n        \"\"\"Generated: %d buffers.\"\"\"\n", hi - lo);
        put(&t,
            "        T.func_attr({\"global_symbol\": \"kernel%d\", \"tir.noalias\": T.bool(True),\n"
            "                     \"tt.user_layout\": {\n",
            f);
        for (int i = lo; i < hi; i++) {
            if (i % 3 == 0)
                put(&t,
                    "                         \"B%d\": {\"memory\": \"L1\", \"layout\": "
                    "\"sharded\", "
                    "\"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, T.int32(4)], "
                    "\"shard_shape_elems\": [%d, %d]}},\n",
                    i, (256 + 32 * (i % 7)) / 2, 128 * (1 + i % 4) / 4);
            else if (i % 3 == 1)
                put(&t,
                    "                         'B%d': {'memory': 'DRAM', 'tile_shape': (32, 32)},\n",
                    i);
        }
        put(&t, "                     }})\n"
                "        with T.Kernel(8, 8, threads=128) as (bx, by):\n");
        for (int i = lo; i < hi; i += 50)
            put(&t,
                "            for k in T.Pipelined(8, num_stages=2):\n"
                "                T.copy(B%d[by * 32, k * 32], B%d[bx * 32, k * 32])  # (skip)\n",
                i, i);
    }
    return t;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    if (n < 2) n = 2;
    text_t src = generate(n);
    printf("bench_tvmscript: %d buffers, %zu bytes of TVMScript\n", n, src.len);

    double best_import = 1e30, best_load = 1e30, best_total = 1e30;
    for (int rep = 0; rep < 15; rep++) {
        ttlx_error_t err = {0};
        double t0 = now_ms();
        cJSON *doc = ttlx_tvmscript_to_json(src.s, src.len, NULL, 0, &err);
        double t1 = now_ms();
        if (!doc) {
            fprintf(stderr, "bench_tvmscript: %d:%d: %s\n", err.line, err.col, err.what);
            return 2;
        }
        ttlx_module_t *mod = ttlx_module_from_json(doc, &err);
        double t2 = now_ms();
        if (!mod) {
            fprintf(stderr, "bench_tvmscript: load: %s\n", err.what);
            return 2;
        }
        size_t bufs = 0;
        for (size_t f = 0; f < ttlx_module_func_count(mod); f++)
            bufs += ttlx_func_buffer_count(ttlx_module_func(mod, f));
        ttlx_module_free(mod);
        if (bufs != (size_t)n) {
            fprintf(stderr, "bench_tvmscript: loaded %zu buffers, expected %d\n", bufs, n);
            return 2;
        }
        /* The whole path the commands take: detect, import, load. */
        double t3 = now_ms();
        mod = ttlx_module_load_string(src.s, src.len, "bench.py", NULL, 0, &err);
        double t4 = now_ms();
        if (!mod) {
            fprintf(stderr, "bench_tvmscript: %s\n", err.what);
            return 2;
        }
        ttlx_module_free(mod);
        if (t1 - t0 < best_import) best_import = t1 - t0;
        if (t2 - t1 < best_load) best_load = t2 - t1;
        if (t4 - t3 < best_total) best_total = t4 - t3;
    }
    printf("  ttlx_tvmscript_to_json      %8.2f ms\n", best_import);
    printf("  ttlx_module_from_json       %8.2f ms\n", best_load);
    printf("  import + load (end to end)  %8.2f ms   (target < 30 ms)  %s\n", best_total,
           best_total < 30.0 ? "ok" : "SLOW");
    printf("  throughput                  %8.1f MB/s\n",
           (double)src.len / (1024.0 * 1024.0) / (best_total / 1e3));
    free(src.s);
    return 0;
}
