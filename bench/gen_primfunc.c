/*
 * gen_primfunc.c - writes a large PrimFunc JSON for benchmarks:
 *   gen_primfunc [BUFFERS] > big.json
 * Buffers cycle through shapes and dtypes; a third carry N-D shard hints
 * (L1, 2-D and 4-D), a third DRAM/L1 interleaved hints, a third none.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
    if (n < 1 || n > 10000000) {
        fprintf(stderr, "usage: gen_primfunc [BUFFERS 1..10000000]\n");
        return 2;
    }
    static const char *const dtypes[] = {"bfloat16", "float32", "bfloat8_b", "float16"};
    printf("{\n  \"name\": \"big\",\n  \"description\": \"generated: %ld buffers\",\n"
           "  \"buffers\": [\n",
           n);
    for (long i = 0; i < n; i++) {
        if (i % 6 == 1)
            printf("    {\"name\": \"t%ld\", \"shape\": [2, 4, %ld, 256], \"dtype\": \"%s\"}%s\n",
                   i, 128 + 32 * (i % 8), dtypes[i % 4], i + 1 < n ? "," : "");
        else
            printf("    {\"name\": \"t%ld\", \"shape\": [%ld, %ld], \"dtype\": \"%s\"}%s\n", i,
                   256 + 32 * (i % 5), 512 + 64 * (i % 3), dtypes[i % 4], i + 1 < n ? "," : "");
    }
    printf("  ],\n  \"kernel\": [8, 8],\n  \"attrs\": {\n    \"tt.user_layout\": {\n");
    int first = 1;
    for (long i = 0; i < n; i++) {
        if (i % 3 == 2) continue;
        printf("%s      \"t%ld\": ", first ? "" : ",\n", i);
        first = 0;
        if (i % 6 == 1)
            printf(
                "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"B\", "
                "\"H\", \"M\", \"N\"], \"grid\": [2, 2, 4, 2], \"shard_shape_elems\": [1, 2, %ld, "
                "128]}}",
                (128 + 32 * (i % 8)) / 4);
        else if (i % 3 == 0)
            printf("{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
                   "\"N\"], \"grid\": [%ld, 4], \"shard_shape_elems\": [64, %ld], \"order\": "
                   "\"%s\"}}",
                   (256 + 32 * (i % 5) + 63) / 64, (512 + 64 * (i % 3)) / 4,
                   i % 2 ? "col_major" : "row_major");
        else
            printf("{\"memory\": \"%s\", \"layout\": \"interleaved\", \"cb_depth\": %ld}",
                   i % 4 ? "DRAM" : "L1", 1 + i % 4);
    }
    printf("\n    }\n  }\n}\n");
    return 0;
}
