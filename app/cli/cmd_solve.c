/*
 * cmd_solve.c - `ttlx solve [--objective O] [--top K] [--keep B,...]
 * [--reserve N|PCT%] [--json] [--apply [-o OUT]] FILE`: the layout solver
 * (SPEC 9) from the command line. Prints the alternatives as a table (or
 * the SPEC 9 JSON document) and, with --apply, saves the best one's hints
 * by the one save rule.
 * Exit 0 when an error-free alternative exists, 1 when none does, 2 on bad
 * input or usage.
 */
#include "cli/cli.h"
#include "export/export.h"
#include "sys/file.h"
#include "sys/say.h"
#include "ttlx_solve.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* At most this many --keep names in all. */
#define SOLVE_MAX_KEEP 256

typedef struct solve_args {
    sys_open_opts_t open;
    ttlx_solve_opts_t opts;
    const char *keep[SOLVE_MAX_KEEP];
    char *keep_text[SOLVE_MAX_KEEP]; /* the --keep values, split in place */
    size_t nkeep_text;
    const char *reserve; /* as given: bytes or PCT% (resolved once the device is known) */
    const char *path, *out;
    bool json, apply;
} solve_args_t;

static void args_free(solve_args_t *a) {
    for (size_t k = 0; k < a->nkeep_text; k++)
        free(a->keep_text[k]);
}

/* Splits a --keep value on commas into a->keep. Returns false (reported)
 * on an empty name or too many names. */
static bool add_keep(solve_args_t *a, const char *v) {
    if (a->nkeep_text >= SOLVE_MAX_KEEP) {
        cli_usage_error("solve", "at most %d --keep options", SOLVE_MAX_KEEP);
        return false;
    }
    char *text = strdup(v);
    if (!text) {
        fputs("ttlx: out of memory\n", stderr);
        return false;
    }
    a->keep_text[a->nkeep_text++] = text;
    char *p = text;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (!*p) {
            cli_usage_error("solve", "--keep takes buffer names separated by commas, not '%s'", v);
            return false;
        }
        if (a->opts.nkeep >= SOLVE_MAX_KEEP) {
            cli_usage_error("solve", "at most %d buffers in --keep", SOLVE_MAX_KEEP);
            return false;
        }
        a->keep[a->opts.nkeep++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    return true;
}

/* A whole decimal number in [0, max]; false otherwise. */
static bool parse_count(const char *s, int64_t max, int64_t *out) {
    if (!s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ') return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max) return false;
    *out = v;
    return true;
}

/* --reserve N (bytes) or PCT% (of the device's allocatable L1 bank). */
static bool parse_reserve(const char *s, const ttlx_device_t *dev, int64_t *out) {
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '%') {
        char num[32];
        int64_t pct;
        if (n - 1 >= sizeof num) return false;
        memcpy(num, s, n - 1);
        num[n - 1] = '\0';
        if (!parse_count(num, 100, &pct)) return false;
        /* bank <= 2^62 is checked by the device loader; pct <= 100. */
        *out = dev->l1_bank_bytes / 100 * pct + dev->l1_bank_bytes % 100 * pct / 100;
        return true;
    }
    return parse_count(s, dev->l1_bank_bytes, out);
}

/* Parses argv into a. Returns -1 to go on, else the exit status. */
static int parse_args(solve_args_t *a, int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int got = cli_open_opts_parse(&a->open, "solve", argc, argv, &i);
        if (got < 0) return SYS_EXIT_USAGE;
        if (got) continue;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(cli_command_help("solve"), stdout);
            return SYS_EXIT_OK;
        }
        if (!strcmp(s, "--json")) {
            a->json = true;
            continue;
        }
        if (!strcmp(s, "--apply")) {
            a->apply = true;
            continue;
        }
        bool valued = !strcmp(s, "--objective") || !strcmp(s, "--top") || !strcmp(s, "--keep") ||
                      !strcmp(s, "--reserve") || !strcmp(s, "-o");
        if (valued && i + 1 >= argc) return cli_usage_error("solve", "%s needs a value", s);
        if (!strcmp(s, "--objective")) {
            const char *v = argv[++i];
            if (!ttlx_solve_objective_parse(v, &a->opts.objective))
                return cli_usage_error("solve",
                                       "unknown objective '%s' (known: l1, cores, headroom)", v);
        } else if (!strcmp(s, "--top")) {
            const char *v = argv[++i];
            int64_t k;
            if (!parse_count(v, 1000, &k) || k < 1)
                return cli_usage_error("solve", "--top takes a number from 1 to 1000, not '%s'", v);
            a->opts.top_k = (size_t)k;
        } else if (!strcmp(s, "--keep")) {
            if (!add_keep(a, argv[++i])) return SYS_EXIT_USAGE;
        } else if (!strcmp(s, "--reserve")) {
            a->reserve = argv[++i];
        } else if (!strcmp(s, "-o")) {
            a->out = argv[++i];
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("solve", "unknown option '%s'", s);
        } else if (a->path) {
            return cli_usage_error("solve", "one FILE only (got '%s' and '%s')", a->path, s);
        } else {
            a->path = s;
        }
    }
    if (!a->path) return cli_usage_error("solve", "solve needs a FILE");
    if (a->out && !a->apply) return cli_usage_error("solve", "-o goes with --apply");
    if (a->json && a->apply)
        return cli_usage_error("solve", "--json and --apply do not go together");
    if (a->out && !strcmp(a->out, "-")) return cli_usage_error("solve", "-o takes a file path");
    a->opts.keep = a->keep;
    return -1;
}

/* The readable form: a header, a table of the alternatives, then what
 * each one changes. */
static void print_table(const ttlx_solution_t *s, const ttlx_device_t *dev, int64_t reserve,
                        const char *func, FILE *o) {
    size_t n = ttlx_solution_count(s);
    sys_printf_safe(o, "Solve %s on %s: objective %s, reserve %" PRId64 " B per core", func,
                    dev->name, ttlx_solve_objective_name(ttlx_solution_objective(s)), reserve);
    fputc('\n', o);
    fprintf(o, "%" PRIu64 " candidate%s evaluated; rank 1 is %s\n\n", ttlx_solution_evaluated(s),
            ttlx_solution_evaluated(s) == 1 ? "" : "s",
            ttlx_solution_exact(s) ? "proven optimal" : "the best found (not proven optimal)");
    fputs("rank  errors     L1 bytes  work cores  reshards    padding  worst-core free  pareto\n",
          o);
    for (size_t i = 0; i < n; i++) {
        const ttlx_solve_metrics_t *m = ttlx_solution_metrics(s, i);
        fprintf(o,
                "%4zu  %6" PRId64 "  %11" PRId64 "  %10" PRId64 "  %8" PRId64 "  %9" PRId64
                "  %15" PRId64,
                i + 1, m->errors, m->l1_bytes, m->work_cores, m->reshards, m->padding_bytes,
                m->worst_core_free);
        fprintf(o, "  %s\n", ttlx_solution_pareto(s, i) ? "yes" : "no");
    }
    if (!n) fputs("(no alternative)\n", o);
    for (size_t i = 0; i < n; i++) {
        size_t nc = ttlx_solution_change_count(s, i);
        fprintf(o, "\n%zu.%s\n", i + 1, nc ? "" : " no change");
        for (size_t j = 0; j < nc; j++) {
            fputs("   ", o);
            sys_put_safe(o, ttlx_solution_change(s, i, j), false);
            fputc('\n', o);
        }
    }
}

/* Writes alternative 0's hints into the module and saves it. */
static bool apply_best(ttlx_module_t *mod, size_t fi, const ttlx_solution_t *s,
                       const solve_args_t *a, const sys_file_id_t *id) {
    cJSON *h = cJSON_Duplicate(ttlx_solution_hints(s, 0), true);
    if (!h || !ttlx_func_set_hints(ttlx_module_func(mod, fi), h)) {
        fputs("ttlx: out of memory\n", stderr);
        return false;
    }
    ttlx_error_t err = {0};
    if (!export_save(mod, a->path, a->out, id, &err)) {
        sys_error("%s", err.what);
        return false;
    }
    sys_error("wrote the hints of rank 1 to %s", a->out ? a->out : a->path);
    return true;
}

int cmd_solve(int argc, char **argv) {
    solve_args_t a;
    memset(&a, 0, sizeof a);
    int status = parse_args(&a, argc, argv);
    if (status >= 0) {
        args_free(&a);
        return status;
    }
    status = SYS_EXIT_USAGE;
    sys_file_id_t id;
    bool have_id = sys_file_identity(a.path, &id, NULL);
    ttlx_device_t dev;
    size_t fi;
    ttlx_module_t *mod = cli_open(a.path, &a.open, &dev, &fi);
    ttlx_solution_t *s = NULL;
    cJSON *doc = NULL;
    if (!mod) goto out;
    if (a.reserve && !parse_reserve(a.reserve, &dev, &a.opts.reserve_bytes)) {
        cli_usage_error("solve",
                        "--reserve takes bytes up to the L1 bank (%" PRId64
                        " on %s) or a percentage like 10%%, not '%s'",
                        dev.l1_bank_bytes, dev.name, a.reserve);
        goto out;
    }
    ttlx_func_t *f = ttlx_module_func(mod, fi);
    ttlx_error_t err = {0};
    s = ttlx_solve(f, &dev, &a.opts, &err);
    if (!s) {
        sys_error("%s: %s", a.path, err.what);
        goto out;
    }
    size_t n = ttlx_solution_count(s);
    bool clean = n > 0 && ttlx_solution_metrics(s, 0)->errors == 0;
    if (a.json) {
        char *text = NULL;
        doc = ttlx_solution_to_json(s);
        if (doc) text = export_json_text(doc);
        if (!text) {
            fputs("ttlx: out of memory\n", stderr);
            goto out;
        }
        fputs(text, stdout);
        ttlx_free(text);
    } else {
        print_table(s, &dev, a.opts.reserve_bytes, ttlx_func_name(f), stdout);
    }
    if (fflush(stdout) != 0) {
        sys_error("%s: could not write the output", a.path);
        goto out;
    }
    if (a.apply) {
        if (!clean) {
            /* A layout with errors is no decision: the file stays as it is. */
            sys_error("%s: no alternative without errors; nothing applied", a.path);
            status = SYS_EXIT_ERRORS;
            goto out;
        }
        if (!apply_best(mod, fi, s, &a, have_id ? &id : NULL)) goto out;
    }
    status = clean ? SYS_EXIT_OK : SYS_EXIT_ERRORS;
out:
    cJSON_Delete(doc);
    ttlx_solution_free(s);
    ttlx_module_free(mod);
    args_free(&a);
    return status;
}
