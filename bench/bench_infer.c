/*
 * bench_infer.c - how long inference takes on a 10,000-buffer PrimFunc
 * with mixed hints, split into load, infer and JSON output, and how fast
 * the placement queries are. Prints figures; asserts nothing.
 *   bench_infer [FILE]   (default: generate 10,000 buffers in memory)
 */
#include "sys/arena.h"
#include "ttlx_func.h"
#include "ttlx_infer.h"
#include "ttlx_load.h"
#include "ttlx_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : NULL;
    char tmp[] = "/tmp/ttlx-bench-XXXXXX";
    if (!path) {
        int fd = mkstemp(tmp);
        if (fd < 0) return 1;
        char cmd[512];
        snprintf(cmd, sizeof cmd, "\"%s\" 10000 > %s", "./build/bench/gen_primfunc", tmp);
        /* Prefer the generator next to this binary. */
        char self[400];
        snprintf(self, sizeof self, "%s", argv[0]);
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            snprintf(cmd, sizeof cmd, "\"%s/gen_primfunc\" 10000 > %s", self, tmp);
        }
        if (system(cmd) != 0) {
            fprintf(stderr, "bench_infer: could not run gen_primfunc\n");
            return 1;
        }
        path = tmp;
    }
    size_t len;
    char *text = slurp(path, &len);
    if (!text) return 1;
    enum { RUNS = 20 };
    double best_load = 1e9, best_infer = 1e9, best_out = 1e9;
    size_t nbuf = 0, ndiag = 0, out_len = 0, arena_bytes = 0;
    for (int run = 0; run < RUNS; run++) {
        ttlx_error_t err = {0};
        double t0 = now_ms();
        sys_arena_install(len * 24 + ((size_t)64 << 20)); /* as `ttlx infer` does */
        ttlx_module_t *mod = ttlx_module_load_string(text, len, path, NULL, 0, &err);
        double t1 = now_ms();
        if (!mod) {
            fprintf(stderr, "bench_infer: %s\n", err.what);
            return 1;
        }
        ttlx_result_t *r = ttlx_infer(ttlx_module_func(mod, 0), NULL, &err);
        double t2 = now_ms();
        /* Streamed, as `ttlx infer --json` writes it. */
        FILE *sink = fopen("/dev/null", "w");
        if (!sink || !ttlx_output_json_write(r, sink)) {
            fprintf(stderr, "bench_infer: could not write the output\n");
            return 1;
        }
        fclose(sink);
        double t3 = now_ms();
        if (run == 0) {
            char *out = ttlx_output_json_text(r);
            out_len = out ? strlen(out) : 0;
            ttlx_free(out);
        }
        nbuf = ttlx_result_buffer_count(r);
        ndiag = ttlx_result_diag_count(r);
        if (t1 - t0 < best_load) best_load = t1 - t0;
        if (t2 - t1 < best_infer) best_infer = t2 - t1;
        if (t3 - t2 < best_out) best_out = t3 - t2;
        ttlx_result_free(r);
        ttlx_module_free(mod);
        arena_bytes = sys_arena_used();
        sys_arena_release();
    }
    printf("bench_infer: %zu buffers, %zu KiB in, %zu KiB out, %zu diagnostics (best of %d)\n",
           nbuf, len / 1024, out_len / 1024, ndiag, RUNS);
    printf("  load (parse + validate)   %8.2f ms\n", best_load);
    printf("  infer (all passes)        %8.2f ms\n", best_infer);
    printf("  canonical JSON (streamed) %8.2f ms\n", best_out);
    printf("  total                     %8.2f ms  (target < 20 ms)\n",
           best_load + best_infer + best_out);
    printf("  memory touched            %8.2f MiB (model and result)\n",
           (double)arena_bytes / (1 << 20));

    /* Placement queries on a 65536x65536 bfloat16 buffer (4,194,304 tiles). */
    static const char big[] =
        "{\"name\":\"q\",\"buffers\":[{\"name\":\"X\",\"shape\":[65536,65536],\"dtype\":"
        "\"bfloat16\"},"
        "{\"name\":\"Y\",\"shape\":[4,65536,16384],\"dtype\":\"bfloat16\"}],"
        "\"attrs\":{\"tt.user_layout\":{\"Y\":{\"memory\":\"DRAM\",\"layout\":\"sharded\","
        "\"nd_shard\":{\"axes\":[\"B\",\"M\",\"N\"],\"grid\":[4,8,8],\"shard_shape_elems\":[1,8192,"
        "2048]}}}}}";
    ttlx_error_t err = {0};
    ttlx_module_t *mod = ttlx_module_load_string(big, sizeof big - 1, "q.json", NULL, 0, &err);
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(mod, 0), NULL, &err);
    for (size_t b = 0; b < 2; b++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, b);
        enum { Q = 2000000 };
        ttlx_place_t p;
        int64_t sum = 0;
        double t0 = now_ms();
        for (int64_t k = 0; k < Q; k++) {
            int64_t row = (k * 7919) % L->view_rows, col = (k * 104729) % L->view_cols;
            if (ttlx_place_tile(r, b, row, col, &p)) sum += p.bank;
        }
        double t1 = now_ms();
        int64_t held = 0;
        for (int y = -1; y < 8; y++)
            for (int x = 0; x < 12; x++)
                held += ttlx_place_count_on(r, b, x, y);
        double t2 = now_ms();
        printf("  place_tile on %s (%lld tiles, %s): %.1f ns per query (checksum %lld)\n",
               L->buf->name, (long long)L->pages, b ? "DRAM sharded" : "DRAM interleaved",
               (t1 - t0) * 1e6 / Q, (long long)sum);
        printf("  count_on over all banks/cores: %.3f ms, %lld tiles accounted\n", t2 - t1,
               (long long)held);
    }
    ttlx_result_free(r);
    ttlx_module_free(mod);
    free(text);
    if (path == tmp) remove(tmp);
    return 0;
}
