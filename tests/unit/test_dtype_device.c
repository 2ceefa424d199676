/*
 * test_dtype_device.c - tile bytes for every dtype and tile shape (SPEC 3.3),
 * page alignment per memory and device, CB data formats, and the device
 * profiles of SPEC 5.
 */
#include "test_support.h"
#include "ttlx_device.h"

#include <stdlib.h>

/* Tile bytes per dtype for 32x32, 16x32, 32x16 and 16x16, by hand from
 * SPEC 3.3: dense h*w*size; bfp8 h*w + E; bfp4 h*w/2 + E; E = 16*faces. */
static const struct {
    const char *dtype;
    int64_t bytes[4];
    const char *format;
} expected[] = {
    {"bfloat16", {2048, 1024, 1024, 512}, "Float16_b"},
    {"float16", {2048, 1024, 1024, 512}, "Float16"},
    {"float32", {4096, 2048, 2048, 1024}, "Float32"},
    {"int32", {4096, 2048, 2048, 1024}, "Int32"},
    {"uint32", {4096, 2048, 2048, 1024}, "UInt32"},
    {"uint16", {2048, 1024, 1024, 512}, "UInt16"},
    {"int8", {1024, 512, 512, 256}, "Int8"},
    {"uint8", {1024, 512, 512, 256}, "UInt8"},
    {"bfloat8_b", {1088, 544, 544, 272}, "Bfp8_b"},
    {"bfloat4_b", {576, 288, 288, 144}, "Bfp4_b"},
};
static const char *const tiles[4] = {"[32, 32]", "[16, 32]", "[32, 16]", "[16, 16]"};

static void tile_bytes_every_dtype_and_tile(void **state) {
    (void)state;
    for (size_t d = 0; d < sizeof expected / sizeof expected[0]; d++) {
        for (int t = 0; t < 4; t++) {
            char hint[128];
            snprintf(hint, sizeof hint, "{\"tile_shape\": %s, \"memory\": \"L1\"}", tiles[t]);
            t_run_t run = t_one("[64, 64]", expected[d].dtype, hint, NULL);
            const ttlx_layout_t *L = ttlx_result_layout(run.r, 0);
            if (L->tile_bytes != expected[d].bytes[t])
                fail_msg("%s %s: %lld != %lld", expected[d].dtype, tiles[t],
                         (long long)L->tile_bytes, (long long)expected[d].bytes[t]);
            assert_int_equal(L->page_bytes, expected[d].bytes[t]); /* L1: all are 16-aligned */
            assert_string_equal(L->data_format, expected[d].format);
            t_free(&run);
        }
    }
}

static void dram_pages_are_aligned_per_device(void **state) {
    (void)state;
    /* bfloat8_b 16x16 = 272 B: 288 on Wormhole (32), 320 on Blackhole (64). */
    t_run_t a = t_one("[64, 64]", "bfloat8_b", "{\"tile_shape\": [16, 16]}", "wormhole_n150");
    assert_int_equal(ttlx_result_layout(a.r, 0)->tile_bytes, 272);
    assert_int_equal(ttlx_result_layout(a.r, 0)->page_bytes, 288);
    t_free(&a);
    t_run_t b = t_one("[64, 64]", "bfloat8_b", "{\"tile_shape\": [16, 16]}", "blackhole_p150");
    assert_int_equal(ttlx_result_layout(b.r, 0)->page_bytes, 320);
    t_free(&b);
    /* bfloat4_b 16x16 = 144 B: 160 and 192; the CB page stays 144. */
    t_run_t c = t_one("[64, 64]", "bfloat4_b", "{\"tile_shape\": [16, 16]}", "blackhole_p100");
    assert_int_equal(ttlx_result_layout(c.r, 0)->page_bytes, 192);
    assert_int_equal(ttlx_result_layout(c.r, 0)->cb_bytes, 288); /* 144 x depth 2 */
    t_free(&c);
}

static void dtype_aliases_and_override(void **state) {
    (void)state;
    assert_string_equal(ttlx_dtype_canonical("bf16"), "bfloat16");
    assert_string_equal(ttlx_dtype_canonical("fp16"), "float16");
    assert_string_equal(ttlx_dtype_canonical("fp32"), "float32");
    assert_null(ttlx_dtype_canonical("float64"));
    t_run_t run = t_one("[32, 32]", "fp32", "{\"dtype\": \"bf16\"}", NULL);
    const ttlx_layout_t *L = ttlx_result_layout(run.r, 0);
    assert_string_equal(L->buf->dtype, "float32");
    assert_string_equal(L->dtype, "bfloat16");
    assert_int_equal(L->tile_bytes, 2048);
    t_free(&run);
}

static void builtin_profiles(void **state) {
    (void)state;
    assert_int_equal(ttlx_device_builtin_count(), 6);
    const ttlx_device_t *d = ttlx_device_default();
    assert_string_equal(d->name, "wormhole_n150");
    assert_int_equal(d->grid_x, 8);
    assert_int_equal(d->grid_y, 8);
    assert_int_equal(d->l1_bytes, 1499136);
    assert_int_equal(d->l1_bank_bytes, 1382144);
    assert_int_equal(d->dram_banks, 12);
    /* What tt-metal's allocator reports: 1 GiB less the 32-byte unreserved base. */
    assert_int_equal(d->dram_bank_bytes, 1073741792);
    assert_int_equal(d->dram_align_bytes, 32);
    assert_int_equal(d->max_cbs, 32);
    assert_string_equal(d->dispatch, "tensix");
    /* n300: 8x8 with Ethernet dispatch, 8x7 with Tensix dispatch. */
    const ttlx_device_t *n300 = ttlx_device_find("wormhole_n300");
    assert_int_equal(n300->grid_x, 8);
    assert_int_equal(n300->grid_y, 8);
    assert_string_equal(n300->dispatch, "ethernet");
    assert_int_equal(n300->dram_bank_bytes, 1073741792);
    assert_int_equal(n300->l1_bank_bytes, 1382144);
    const ttlx_device_t *n300t = ttlx_device_find("wormhole_n300_tensix_dispatch");
    assert_non_null(n300t);
    assert_int_equal(n300t->grid_x, 8);
    assert_int_equal(n300t->grid_y, 7);
    assert_string_equal(n300t->dispatch, "tensix");
    assert_int_equal(n300t->dram_banks, 12);
    assert_int_equal(n300t->dram_bank_bytes, 1073741792);
    assert_int_equal(n300t->l1_bank_bytes, 1382144);
    const ttlx_device_t *p100 = ttlx_device_find("BLACKHOLE_P100");
    assert_non_null(p100);
    assert_int_equal(p100->grid_x, 11);
    assert_int_equal(p100->grid_y, 10);
    assert_int_equal(p100->dram_banks, 7);
    assert_int_equal(p100->dram_bank_bytes, 4278190016LL);
    assert_int_equal(p100->l1_bank_bytes, 1461504);
    assert_string_equal(p100->dispatch, "tensix");
    const ttlx_device_t *p130 = ttlx_device_find("blackhole_p150_130");
    assert_int_equal(p130->grid_x, 13);
    assert_int_equal(p130->l1_bank_bytes, 1461760);
    assert_int_equal(p130->max_cbs, 64);
    assert_int_equal(ttlx_device_find("blackhole_p150")->dram_banks, 8);
    assert_null(ttlx_device_find("grayskull"));
}

static void resolve_names_and_files(void **state) {
    (void)state;
    ttlx_device_t d;
    ttlx_error_t err = {0};
    assert_false(ttlx_device_resolve("wormhole_n105", &d, &err));
    assert_contains(err.what, "unknown device 'wormhole_n105': did you mean 'wormhole_n150'?");
    char path[] = "/tmp/ttlx-dev-XXXXXX.json";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    const char *good =
        "{\"name\": \"tiny\", \"grid\": [2, 3], \"l1\": 1048576, \"l1_bank\": 1000000,"
        " \"dram_banks\": 2, \"dram_bank\": 65536, \"dram_align\": 32, \"max_cbs\": 8}";
    FILE *f = fdopen(fd, "w");
    fputs(good, f);
    fclose(f);
    assert_true(ttlx_device_resolve(path, &d, &err));
    assert_string_equal(d.name, "tiny");
    assert_int_equal(d.grid_x, 2);
    assert_int_equal(d.grid_y, 3);
    assert_int_equal(d.l1_align_bytes, 16);
    assert_int_equal(d.max_cbs, 8);
    /* A bank larger than L1 is rejected with the field named. */
    f = fopen(path, "w");
    fputs("{\"name\": \"x\", \"grid\": [2, 3], \"l1\": 100, \"l1_bank\": 200, \"dram_banks\": 2,"
          " \"dram_bank\": 65536, \"dram_align\": 32, \"max_cbs\": 8}",
          f);
    fclose(f);
    assert_false(ttlx_device_resolve(path, &d, &err));
    assert_contains(err.what, "\"l1_bank\" must be an integer from 1 to 100");
    /* Malformed JSON names the file and position. */
    f = fopen(path, "w");
    fputs("{\"name\": \"x\",\n  \"grid\": [2 3]}", f);
    fclose(f);
    assert_false(ttlx_device_resolve(path, &d, &err));
    assert_contains(err.what, ":2:14: malformed JSON in device profile");
    remove(path);
    assert_false(ttlx_device_resolve("/nonexistent/dev.json", &d, &err));
    assert_contains(err.what, "cannot open");
}

static void device_json_round_trip(void **state) {
    (void)state;
    cJSON *j = ttlx_device_to_json(ttlx_device_find("blackhole_p150"));
    ttlx_device_t d;
    ttlx_error_t err = {0};
    assert_true(ttlx_device_from_json(j, &d, &err));
    cJSON_Delete(j);
    assert_memory_equal(&d, ttlx_device_find("blackhole_p150"), sizeof d);
    /* Both n300 variants keep their dispatch through JSON. */
    const char *n300s[] = {"wormhole_n300", "wormhole_n300_tensix_dispatch"};
    for (int k = 0; k < 2; k++) {
        j = ttlx_device_to_json(ttlx_device_find(n300s[k]));
        assert_string_equal(cJSON_GetObjectItem(j, "dispatch")->valuestring,
                            k ? "tensix" : "ethernet");
        assert_true(ttlx_device_from_json(j, &d, &err));
        cJSON_Delete(j);
        assert_memory_equal(&d, ttlx_device_find(n300s[k]), sizeof d);
    }
    /* Any other dispatch is refused, naming the field. */
    j = ttlx_device_to_json(ttlx_device_find("wormhole_n300"));
    cJSON_ReplaceItemInObject(j, "dispatch", cJSON_CreateString("idle"));
    assert_false(ttlx_device_from_json(j, &d, &err));
    assert_string_equal(err.what,
                        "device profile: \"dispatch\" must be \"ethernet\" or \"tensix\"");
    cJSON_Delete(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tile_bytes_every_dtype_and_tile),
        cmocka_unit_test(dram_pages_are_aligned_per_device),
        cmocka_unit_test(dtype_aliases_and_override),
        cmocka_unit_test(builtin_profiles),
        cmocka_unit_test(resolve_names_and_files),
        cmocka_unit_test(device_json_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
