/*
 * fuzz_lua.c - the Lua sandbox (SPEC 8) on generated scripts: each input
 * runs as a `:lua` chunk in a fresh sandboxed engine (20 ms budget, 32 MiB
 * cap) on a small PrimFunc, then the infer event fires and every command
 * and key it registered runs. The engine must report failures, never crash.
 * ttlx.save and ttlx.export are removed first: the fuzzer must not write
 * files wherever it likes.
 */
#include "fuzz.h"
#include "lua/lua_api.h"
#include "ttlx_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char primfunc[] =
    "{\"name\": \"f\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [4, 100, 72], \"dtype\": \"float32\", \"role\": \"output\"}],"
    "\"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", \"layout\": \"sharded\","
    "\"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 4], \"shard_shape_elems\": [128, "
    "64]}}}}}";

static void sink(void *ud, const char *text, size_t len) {
    (void)ud;
    (void)text;
    (void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lua_engine_opts_t opts = {0};
    opts.budget_ms = 20;
    opts.memory_cap_bytes = (size_t)32 << 20;
    opts.output = sink;
    lua_engine_t *eng = lua_engine_new(&opts);
    if (!eng) return 0;
    ttlx_error_t err = {0};
    ttlx_module_t *mod =
        ttlx_module_load_string(primfunc, sizeof primfunc - 1, "f.json", NULL, 0, &err);
    lua_engine_set_module(eng, mod, 0, NULL, NULL);
    if (lua_engine_run_string(eng, "ttlx.save = nil; ttlx.export = nil") != LUA_ENGINE_OK) abort();
    char *text = malloc(size + 1);
    if (!text) {
        lua_engine_free(eng);
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    if (lua_engine_run_string(eng, text) == LUA_ENGINE_ERROR && !lua_engine_error(eng)[0]) abort();
    free(text);
    lua_engine_fire(eng, "infer", NULL);
    lua_engine_fire(eng, "load", NULL);
    /* Names are copied: a host passes what the user typed, not the
     * engine's own string (which a rerun of the binding may replace). */
    char name[256];
    for (size_t i = 0; i < lua_engine_command_count(eng) && i < 8; i++) {
        snprintf(name, sizeof name, "%s", lua_engine_command_at(eng, i)->name);
        lua_engine_run_command(eng, name, "A 2 x");
    }
    for (size_t i = 0; i < lua_engine_key_count(eng) && i < 8; i++) {
        snprintf(name, sizeof name, "%s", lua_engine_key_at(eng, i)->name);
        lua_engine_run_key(eng, name);
    }
    lua_engine_free(eng);
    return 0;
}
