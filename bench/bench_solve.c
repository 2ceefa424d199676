/*
 * bench_solve.c - how long the layout solver takes: a 3-buffer 4096x4096
 * matmul on wormhole_n150 and blackhole_p150 (full candidate space, exact
 * search), a 32-buffer function (bounded search), the candidate
 * evaluations per second, and the peak memory. Prints figures; asserts
 * nothing.
 *   bench_solve [FILE [DEVICE]]   (also solves FILE once)
 */
#include "ttlx_func.h"
#include "ttlx_load.h"
#include "ttlx_solve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char matmul_4096[] =
    "{\"name\": \"matmul\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [4096, 4096], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [4096, 4096], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"C\", \"shape\": [4096, 4096], \"dtype\": \"bfloat16\", \"role\": \"output\"}]}";

/* 32 buffers of mixed shapes, ranks and dtypes. */
static void make_32(char *out, size_t n) {
    static const char *const dtypes[] = {"bfloat16", "float32", "bfloat8_b", "float16"};
    size_t k = (size_t)snprintf(out, n, "{\"name\": \"block32\", \"buffers\": [");
    for (int i = 0; i < 32 && k < n; i++) {
        if (i % 8 == 5)
            k += (size_t)snprintf(out + k, n - k,
                                  "%s{\"name\": \"t%d\", \"shape\": [2, %d, 512], \"dtype\": "
                                  "\"%s\"}",
                                  i ? "," : "", i, 256 + 128 * (i % 3), dtypes[i % 4]);
        else
            k += (size_t)snprintf(
                out + k, n - k, "%s{\"name\": \"t%d\", \"shape\": [%d, %d], \"dtype\": \"%s\"}",
                i ? "," : "", i, 256 * (1 + i % 4), 512 * (1 + i % 3), dtypes[i % 4]);
    }
    if (k < n) snprintf(out + k, n - k, "], \"kernel\": [8, 8]}");
}

typedef struct run {
    double ms;
    uint64_t evals;
    bool exact;
} run_t;

static run_t solve_once(const char *json, const char *device, int reps, bool show) {
    run_t r = {0};
    ttlx_error_t err = {0};
    ttlx_module_t *mod = ttlx_module_load_string(json, strlen(json), "b.json", NULL, 0, &err);
    const ttlx_device_t *dev = ttlx_device_find(device);
    if (!mod || !dev) {
        fprintf(stderr, "bench_solve: %s\n", err.what);
        ttlx_module_free(mod);
        return r;
    }
    ttlx_func_t *f = ttlx_module_func(mod, 0);
    double best = 1e30;
    for (int i = 0; i < reps; i++) {
        double t0 = now_ms();
        ttlx_solution_t *s = ttlx_solve(f, dev, NULL, &err);
        double t = now_ms() - t0;
        if (!s) {
            fprintf(stderr, "bench_solve: %s\n", err.what);
            break;
        }
        if (t < best) best = t;
        r.evals = ttlx_solution_evaluated(s);
        r.exact = ttlx_solution_exact(s);
        if (show && i == 0 && ttlx_solution_count(s) > 0) {
            const ttlx_solve_metrics_t *m = ttlx_solution_metrics(s, 0);
            printf("    rank 1: errors %lld, l1 %lld B, %lld work cores, %lld reshards, "
                   "%lld B padding, %lld B free on the worst core\n",
                   (long long)m->errors, (long long)m->l1_bytes, (long long)m->work_cores,
                   (long long)m->reshards, (long long)m->padding_bytes,
                   (long long)m->worst_core_free);
            for (size_t j = 0; j < ttlx_solution_change_count(s, 0) && j < 6; j++)
                printf("      %s\n", ttlx_solution_change(s, 0, j));
        }
        ttlx_solution_free(s);
    }
    r.ms = best;
    ttlx_module_free(mod);
    return r;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    return buf;
}

int main(int argc, char **argv) {
    if (argc > 1) {
        char *text = slurp(argv[1]);
        if (!text) {
            fprintf(stderr, "bench_solve: cannot read %s\n", argv[1]);
            return 1;
        }
        const char *dev = argc > 2 ? argv[2] : "wormhole_n150";
        run_t r = solve_once(text, dev, 1, true);
        printf("%-28s %-15s %9.2f ms per solve  %10llu evaluations  exact %s\n", argv[1], dev, r.ms,
               (unsigned long long)r.evals, r.exact ? "yes" : "no");
        free(text);
    }
    static char big[16384];
    make_32(big, sizeof big);
    struct {
        const char *what, *json, *device;
    } cases[] = {
        {"3-buffer 4096x4096 matmul", matmul_4096, "wormhole_n150"},
        {"3-buffer 4096x4096 matmul", matmul_4096, "blackhole_p150"},
        {"32-buffer function", big, "wormhole_n150"},
        {"32-buffer function", big, "blackhole_p150"},
    };
    uint64_t evals = 0;
    double ms = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_t r = solve_once(cases[i].json, cases[i].device, 5, true);
        printf("%-28s %-15s %9.2f ms per solve  %10llu evaluations (%.1fM/s)  exact %s\n",
               cases[i].what, cases[i].device, r.ms, (unsigned long long)r.evals,
               r.ms > 0 ? (double)r.evals / r.ms / 1e3 : 0.0, r.exact ? "yes" : "no");
        evals += r.evals;
        ms += r.ms;
    }
    printf("candidate evaluations per second (whole solves, setup and re-checks included): "
           "%.0f\n",
           ms > 0 ? (double)evals / (ms / 1e3) : 0.0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak memory (ru_maxrss): %ld KiB\n", ru.ru_maxrss);
    return 0;
}
