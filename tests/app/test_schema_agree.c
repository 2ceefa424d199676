/*
 * test_schema_agree.c - the hint editor, Lua and the exporters know the
 * same hint keys, kinds and choices as the core's schema (ttlx_hint.h):
 * the editor's fields and what it cycles through, ttlx.hint_schema(), the
 * key order ttlx.hint stores, and the keys the JSON and Python exports
 * write for a hint that sets every key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "export/export.h"
#include "lua/lua_api.h"
#include "ttlx_hint.h"
#include "ttlx_load.h"
#include "ui/ui.h"

#include <lua.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sample[] =
    "{\"name\": \"mm\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"output\"}]}";

/* A key a user sets (not derived, rejected or the nd_shard object). */
static bool settable(const ttlx_hint_key_t *k) {
    return k->kind != TTLX_HINT_DERIVED && k->kind != TTLX_HINT_REJECTED &&
           k->kind != TTLX_HINT_OBJECT;
}

static size_t count_names(const char *const *v) {
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

/* Every settable key is one editor field, named, found and typed as the
 * schema says; the editor adds no key of its own. */
static void editor_fields(void **state) {
    (void)state;
    int seen[TTLX_HK_COUNT] = {0};
    int nf = ui_edit_field_count();
    assert_int_equal(nf, 11);
    assert_null(ui_edit_field_key(-1));
    assert_null(ui_edit_field_key(nf));
    for (int i = 0; i < nf; i++) {
        const ttlx_hint_key_t *k = ui_edit_field_key(i);
        assert_non_null(k);
        assert_ptr_equal(k, ttlx_hint_key_find(k->name));
        assert_true(settable(k));
        assert_string_equal(ui_edit_field_name(i), k->name);
        assert_int_equal(ui_edit_field_find(k->name), i);
        assert_int_equal(ui_edit_field_find(k->leaf), i);
        seen[k->id]++;
    }
    for (size_t i = 0; i < ttlx_hint_key_count(); i++)
        assert_int_equal(seen[i], settable(ttlx_hint_key(i)) ? 1 : 0);
}

/* Cycling a field walks unset, then exactly the schema's values in order;
 * each value parses under its key without a diagnostic. */
static int problems;
static void count_problem(void *ctx, const ttlx_hint_problem_t *p) {
    (void)ctx;
    (void)p;
    problems++;
}

static void editor_cycles_schema_values(void **state) {
    (void)state;
    static ui_t u;
    ui_init(&u);
    assert_true(ui_open_string(&u, sample, sizeof sample - 1, "mm.json", NULL));
    ui_select_buffer(&u, 0);
    const ttlx_hint_key_id_t cycled[] = {TTLX_HK_MEMORY, TTLX_HK_LAYOUT, TTLX_HK_TILE_SHAPE,
                                         TTLX_HK_DTYPE, TTLX_HK_CB_DEPTH};
    for (size_t c = 0; c < sizeof cycled / sizeof cycled[0]; c++) {
        const ttlx_hint_key_t *k = ttlx_hint_key(cycled[c]);
        int f = ui_edit_field_find(k->name);
        assert_true(f >= 0);
        size_t nv = count_names(k->values);
        assert_true(nv >= 2);
        if (k->choices) assert_int_equal(nv, count_names(k->choices));
        char v[160];
        for (size_t i = 0; i < nv; i++) {
            ui_edit_cycle(&u, f, +1);
            ui_edit_field_value(&u, f, v, sizeof v);
            assert_string_equal(v, k->values[i]);
            problems = 0;
            ttlx_hint_t h;
            ttlx_hint_parse(ttlx_func_hint(u.func, "A"), ttlx_func_buffer(u.func, 0), &h,
                            count_problem, NULL);
            /* a tile other than 32x32 is valid with a TTL012 warning */
            assert_int_equal(problems, k->id == TTLX_HK_TILE_SHAPE && i > 0 ? 1 : 0);
            assert_true(h.present & (1u << k->id));
            assert_false(h.bad & (1u << k->id));
        }
        ui_edit_cycle(&u, f, +1); /* back to unset */
        ui_edit_field_value(&u, f, v, sizeof v);
        assert_string_equal(v, "");
    }
    /* nd_shard choices: the values are the schema's choices (block_linear
     * written with its k) */
    const ttlx_hint_key_t *order = ttlx_hint_key(TTLX_HK_ORDER);
    assert_int_equal(count_names(order->values), count_names(order->choices));
    for (size_t i = 0; order->values[i]; i++) {
        ttlx_order_t o;
        int bk;
        assert_true(ttlx_order_parse(order->values[i], &o, &bk));
        assert_string_equal(ttlx_order_name(o), order->choices[i]);
    }
    const ttlx_hint_key_t *dist = ttlx_hint_key(TTLX_HK_DISTRIBUTION);
    assert_ptr_equal(dist->values, dist->choices);
    assert_ptr_equal(dist->choices, ttlx_dist_names());
    ui_free(&u);
}

/* ttlx.hint_schema() is the core table, row for row. */
static void lua_schema(void **state) {
    (void)state;
    lua_engine_opts_t o = {0};
    lua_engine_t *e = lua_engine_new(&o);
    assert_non_null(e);
    assert_int_equal(
        lua_engine_run_string(e, "local t = {}\n"
                                 "for _, k in ipairs(ttlx.hint_schema()) do\n"
                                 "  t[#t + 1] = k.name .. '|' .. k.leaf .. '|' .. k.kind\n"
                                 "    .. '|' .. table.concat(k.choices, ',')\n"
                                 "    .. '|' .. table.concat(k.values, ',')\n"
                                 "    .. '|' .. k.default .. '|' .. tostring(k.min)\n"
                                 "    .. '|' .. tostring(k.max) .. '|' .. k.doc\n"
                                 "end\n"
                                 "SCHEMA = table.concat(t, '\\n')"),
        LUA_ENGINE_OK);
    lua_State *L = lua_engine_state(e);
    lua_getglobal(L, "SCHEMA");
    const char *got = lua_tostring(L, -1);
    assert_non_null(got);
    char want[8192] = "";
    for (size_t i = 0; i < ttlx_hint_key_count(); i++) {
        const ttlx_hint_key_t *k = ttlx_hint_key(i);
        char ch[400] = "", va[400] = "", mn[24] = "nil", mx[24] = "nil";
        for (size_t c = 0; k->choices && k->choices[c]; c++)
            snprintf(ch + strlen(ch), sizeof ch - strlen(ch), "%s%s", c ? "," : "", k->choices[c]);
        for (size_t c = 0; k->values && k->values[c]; c++)
            snprintf(va + strlen(va), sizeof va - strlen(va), "%s%s", c ? "," : "", k->values[c]);
        if (k->kind == TTLX_HINT_INT) {
            snprintf(mn, sizeof mn, "%lld", (long long)k->min);
            snprintf(mx, sizeof mx, "%lld", (long long)k->max);
        }
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s|%s|%s|%s|%s|%s|%s|%s|%s",
                 i ? "\n" : "", k->name, k->leaf, ttlx_hint_kind_name(k->kind), ch, va,
                 k->default_text, mn, mx, k->doc);
    }
    assert_string_equal(got, want);
    /* a fixed row, to be sure the join above says what it should */
    assert_non_null(strstr(got, "nd_shard.order|order|choice|row_major,col_major,match_shard,"
                                "block_linear|row_major,col_major,match_shard,block_linear(2)|"
                                "row_major|nil|nil|"));
    assert_non_null(strstr(got, "cb_depth|cb_depth|int||1,2,3,4,8,16|2|1|16|"));
    assert_non_null(strstr(got, "nd_shard.projected_grid|projected_grid|derived||||nil|nil|"));
    lua_pop(L, 1);
    lua_engine_free(e);
}

/* The keys of an object, in order, joined with ",". */
static void keys_of(const cJSON *o, char *out, size_t n) {
    out[0] = '\0';
    for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
        snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? "," : "", c->string);
}

/* The settable keys of the schema at one level, in the schema's order. */
static void schema_keys(bool nd, char *out, size_t n) {
    out[0] = '\0';
    for (size_t i = 0; i < ttlx_hint_key_count(); i++) {
        const ttlx_hint_key_t *k = ttlx_hint_key(i);
        if (k->in_nd_shard != nd || k->kind == TTLX_HINT_DERIVED || k->kind == TTLX_HINT_REJECTED)
            continue;
        snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? "," : "", k->leaf);
    }
}

/* A hint setting every key, set from Lua (whose tables have no order):
 * stored in the schema's order, and the JSON and Python exports write
 * exactly those keys in that order. */
static void lua_order_and_exports(void **state) {
    (void)state;
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(sample, sizeof sample - 1, "mm.json", NULL, 0, &err);
    assert_non_null(m);
    lua_engine_opts_t o = {0};
    lua_engine_t *e = lua_engine_new(&o);
    lua_engine_set_module(e, m, 0, NULL, NULL);
    assert_int_equal(
        lua_engine_run_string(e, "ttlx.hint('A', {cb_depth = 3, dtype = 'float32',\n"
                                 "  nd_shard = {align_tiles = true, distribution = 'grid_2d',\n"
                                 "    order = 'col_major', shard_shape_elems = {128, 64},\n"
                                 "    grid = {2, 4}, axes = {'M', 'N'}},\n"
                                 "  tile_shape = {32, 32}, layout = 'sharded', memory = 'L1'})"),
        LUA_ENGINE_OK);
    char got[400], want[400];
    ttlx_func_t *f = ttlx_module_func(m, 0);
    const cJSON *h = ttlx_func_hint(f, "A");
    keys_of(h, got, sizeof got);
    schema_keys(false, want, sizeof want);
    assert_string_equal(want, "memory,layout,tile_shape,dtype,nd_shard,cb_depth");
    assert_string_equal(got, want);
    keys_of(cJSON_GetObjectItemCaseSensitive(h, "nd_shard"), got, sizeof got);
    schema_keys(true, want, sizeof want);
    assert_string_equal(want, "axes,grid,shard_shape_elems,order,distribution,align_tiles");
    assert_string_equal(got, want);

    const ttlx_device_t *dev = ttlx_device_builtin(0);
    assert_non_null(dev);
    size_t len = 0;
    char *json = export_render(m, 0, dev, EXPORT_JSON, NULL, 0, &len, &err);
    assert_non_null(json);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    const cJSON *ul = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "attrs"), "tt.user_layout");
    const cJSON *ha = cJSON_GetObjectItemCaseSensitive(ul, "A");
    keys_of(ha, got, sizeof got);
    schema_keys(false, want, sizeof want);
    assert_string_equal(got, want);
    keys_of(cJSON_GetObjectItemCaseSensitive(ha, "nd_shard"), got, sizeof got);
    schema_keys(true, want, sizeof want);
    assert_string_equal(got, want);
    cJSON_Delete(doc);
    ttlx_free(json);

    char *py = export_render(m, 0, dev, EXPORT_PYTHON, NULL, 0, &len, &err);
    assert_non_null(py);
    const char *at = py;
    for (size_t i = 0; i < ttlx_hint_key_count(); i++) {
        const ttlx_hint_key_t *k = ttlx_hint_key(i);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\"%s\":", k->leaf);
        const char *hit = strstr(py, quoted);
        if (!settable(k) && k->kind != TTLX_HINT_OBJECT) {
            assert_null(hit);
            continue;
        }
        assert_non_null(hit);
        if (k->id != TTLX_HK_CB_DEPTH && k->id != TTLX_HK_AXES) assert_true(hit > at);
        at = hit;
    }
    ttlx_free(py);
    lua_engine_free(e); /* frees m, which it owns */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(editor_fields),
        cmocka_unit_test(editor_cycles_schema_values),
        cmocka_unit_test(lua_schema),
        cmocka_unit_test(lua_order_and_exports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
