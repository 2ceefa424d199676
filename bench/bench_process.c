/*
 * bench_process.c - the whole `ttlx infer --json FILE` process, end to end:
 * exec, dynamic linking, load, inference, output, exit. Runs the command N
 * times with stdout on /dev/null and prints wall and CPU time (user + sys,
 * from wait4) as minimum, median and mean, then the same for `ttlx
 * --version` (the fixed cost of starting the binary), with the 90th and
 * 99th percentiles: on a VM the slow runs matter. Asserts nothing.
 *   bench_process [-n RUNS] [TTLX FILE]
 * Without TTLX FILE: this build's ttlx on a generated 10,000-buffer
 * PrimFunc (gen_primfunc 10000), the figure the README quotes.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    double wall, cpu;
} sample_t;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv) {
    return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

/* Runs argv once; returns false if it could not run or was killed. */
static bool run_once(char *const argv[], sample_t *s, int *status) {
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            close(fd);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    struct rusage ru;
    if (wait4(pid, status, 0, &ru) != pid) return false;
    s->wall = now_ms() - t0;
    s->cpu = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
    return WIFEXITED(*status) && WEXITSTATUS(*status) != 127;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, sample_t *s, int n) {
    double *w = malloc(sizeof *w * (size_t)n), *c = malloc(sizeof *c * (size_t)n);
    if (!w || !c) {
        free(w);
        free(c);
        return;
    }
    double sw = 0, sc = 0;
    for (int i = 0; i < n; i++) {
        w[i] = s[i].wall;
        c[i] = s[i].cpu;
        sw += w[i];
        sc += c[i];
    }
    qsort(w, (size_t)n, sizeof *w, cmp_double);
    qsort(c, (size_t)n, sizeof *c, cmp_double);
    printf("  %-34s wall min %6.2f  median %6.2f  p90 %6.2f  p99 %6.2f  mean %6.2f ms\n", what,
           w[0], w[n / 2], w[n * 9 / 10], w[n * 99 / 100], sw / n);
    printf("  %-34s CPU  min %6.2f  median %6.2f  p90 %6.2f  p99 %6.2f  mean %6.2f ms\n", "", c[0],
           c[n / 2], c[n * 9 / 10], c[n * 99 / 100], sc / n);
    free(w);
    free(c);
}

static int measure(const char *what, char *const argv[], int n) {
    sample_t *s = calloc((size_t)n, sizeof *s);
    if (!s) return 1;
    int status = 0;
    for (int i = 0; i < n; i++) {
        if (!run_once(argv, &s[i], &status)) {
            fprintf(stderr, "bench_process: could not run %s\n", argv[0]);
            free(s);
            return 1;
        }
    }
    report(what, s, n);
    free(s);
    return 0;
}

int main(int argc, char **argv) {
    int runs = 100, a = 1;
    if (a + 1 < argc && !strcmp(argv[a], "-n")) {
        runs = atoi(argv[a + 1]);
        a += 2;
    }
    if ((argc - a != 2 && argc - a != 0) || runs < 1 || runs > 100000) {
        fprintf(stderr, "usage: bench_process [-n RUNS] [TTLX FILE]\n");
        return 2;
    }
    char ttlx_default[] = TTLX_BINARY_DIR "/ttlx";
    char tmp[] = "/tmp/ttlx-bench-XXXXXX";
    char *ttlx = ttlx_default, *file = tmp;
    if (argc - a == 2) {
        ttlx = argv[a];
        file = argv[a + 1];
    } else {
        int fd = mkstemp(tmp);
        if (fd < 0) return 1;
        close(fd);
        char cmd[600];
        snprintf(cmd, sizeof cmd, "'%s/bench/gen_primfunc' 10000 > '%s'", TTLX_BINARY_DIR, tmp);
        if (system(cmd) != 0) {
            fprintf(stderr, "bench_process: could not generate %s\n", tmp);
            unlink(tmp);
            return 1;
        }
    }
    printf("bench_process: %d runs each of the whole process\n", runs);
    char *infer[] = {ttlx, "infer", "--json", file, NULL};
    char *version[] = {ttlx, "--version", NULL};
    char label[300];
    snprintf(label, sizeof label, "ttlx infer --json %s",
             strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
    int rc = measure(label, infer, runs);
    if (!rc) rc = measure("ttlx --version (start-up only)", version, runs);
    if (file == tmp) unlink(tmp);
    return rc;
}
