/*
 * cmd_devices.c - `ttlx devices [--json]`: the built-in device profiles.
 */
#include "cli/cli.h"

#include <string.h>

static void with_commas(char *buf, size_t n, int64_t v) {
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    size_t k = 0;
    for (int i = 0; i < len && k + 1 < n; i++) {
        if (i && (len - i) % 3 == 0 && k + 2 < n) buf[k++] = ',';
        buf[k++] = tmp[i];
    }
    buf[k] = '\0';
}

int cmd_devices(int argc, char **argv) {
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(cli_command_help("devices"), stdout);
            return SYS_EXIT_OK;
        } else
            return cli_usage_error("devices", "unknown argument '%s'", argv[i]);
    }
    size_t n = ttlx_device_builtin_count();
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t k = 0; arr && k < n; k++) {
            cJSON *d = ttlx_device_to_json(ttlx_device_builtin(k));
            if (!d || !cJSON_AddItemToArray(arr, d)) {
                cJSON_Delete(d);
                cJSON_Delete(arr);
                arr = NULL;
            }
        }
        char *text = arr ? cJSON_Print(arr) : NULL;
        cJSON_Delete(arr);
        if (!text) {
            fputs("ttlx: out of memory\n", stderr);
            return SYS_EXIT_USAGE;
        }
        puts(text);
        cJSON_free(text);
        return SYS_EXIT_OK;
    }
    printf("%-20s %-6s %11s %11s %-20s %6s %7s\n", "name", "grid", "L1", "L1 bank",
           "DRAM banks x bank", "align", "max CBs");
    for (size_t k = 0; k < n; k++) {
        const ttlx_device_t *d = ttlx_device_builtin(k);
        char grid[16], l1[32], bank[32], dram[48], db[32];
        snprintf(grid, sizeof grid, "%dx%d", d->grid_x, d->grid_y);
        with_commas(l1, sizeof l1, d->l1_bytes);
        with_commas(bank, sizeof bank, d->l1_bank_bytes);
        with_commas(db, sizeof db, d->dram_bank_bytes);
        snprintf(dram, sizeof dram, "%d x %s", d->dram_banks, db);
        printf("%-20s %-6s %11s %11s %-20s %6d %7d%s\n", d->name, grid, l1, bank, dram,
               d->dram_align_bytes, d->max_cbs, k == 0 ? "  (default)" : "");
    }
    puts("\nSizes in bytes. L1 bank = allocatable L1 per core. Use --device NAME or a JSON file\n"
         "with the fields of 'ttlx devices --json'.");
    return SYS_EXIT_OK;
}
