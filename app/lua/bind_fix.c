/*
 * bind_fix.c - ttlx.apply_fix(diag [, n]): puts a diagnostic's fix_hints
 * (n = 0 or nil) or its alternative n (fix_alternatives[n]) in place of
 * the hints they name, reruns inference and returns the change in words
 * and the new inference document (as ttlx.infer, "infer" handlers fired).
 * The diagnostic must be one of the current inference: its code, buffer
 * and message are looked up there, and the fix applied is the core's own
 * (checked: it removes the diagnostic and adds no error), never the
 * table's copy.
 */
#include "lua/lua_internal.h"

#include "ttlx_fix.h"

#include <string.h>

/* The string field k of the table at idx, or NULL when it is not a string
 * (nil for a missing buffer). */
static const char *str_field(lua_State *L, int idx, const char *k) {
    lua_getfield(L, idx, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the table keeps the string alive */
    return s;
}

/* The diagnostic of r that the table at idx describes, or NULL. */
static const ttlx_diag_t *find_diag(const ttlx_result_t *r, const char *code, const char *buf,
                                    const char *msg) {
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++) {
        const ttlx_diag_t *d = ttlx_result_diag(r, i);
        if (strcmp(d->code, code) || strcmp(d->message, msg)) continue;
        if (buf ? d->buffer_name && !strcmp(d->buffer_name, buf) : !d->buffer_name) return d;
    }
    return NULL;
}

int l_apply_fix(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_optinteger(L, 2, 0);
    lua_settop(L, 2);
    const char *code = str_field(L, 1, "code"), *msg = str_field(L, 1, "message");
    const char *buf = str_field(L, 1, "buffer");
    lua_getfield(L, 1, "buffer");
    bool buf_ok = buf || lua_isnil(L, -1);
    lua_pop(L, 1);
    if (!code || !msg || !buf_ok)
        return luaL_argerror(L, 1,
                             "not a diagnostic (a table of ttlx.diagnostics() or "
                             "ttlx.infer().diagnostics, with code, buffer and message)");
    char where[200];
    snprintf(where, sizeof where, "%.20s%s%.120s", code, buf ? " on " : "", buf ? buf : "");
    ttlx_func_t *f = engine_need_func(L, e);
    const ttlx_result_t *r = bind_run_infer(L, e);
    const ttlx_diag_t *d = find_diag(r, code, buf, msg);
    if (!d)
        return luaL_argerror(
            L, 1,
            lua_pushfstring(L,
                            "stale diagnostic: the current inference has no %s with that "
                            "message (the hints or the device changed since; take it from a "
                            "new ttlx.diagnostics())",
                            where));
    if (!d->fix_hints)
        return luaL_argerror(
            L, 1,
            d->fix ? lua_pushfstring(L, "%s has no fix_hints: its fix is text only (%s)", where,
                                     d->fix)
                   : lua_pushfstring(L, "%s has no fix", where));
    lua_Integer nalts = d->fix_alts ? cJSON_GetArraySize(d->fix_alts) : 0;
    if (n < 0 || n > nalts)
        return luaL_argerror(
            L, 2,
            nalts ? lua_pushfstring(L, "%s has %I alternative%s: n is 0 (the fix) to %I", where,
                                    nalts, nalts == 1 ? "" : "s", nalts)
                  : lua_pushfstring(L, "%s has no alternatives: n is 0 (the fix) or nil", where));
    const cJSON *map = n == 0 ? d->fix_hints
                              : cJSON_GetObjectItemCaseSensitive(
                                    cJSON_GetArrayItem(d->fix_alts, (int)n - 1), "fix_hints");
    /* map lives in e->result, which stays until the inference at the end */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (const cJSON *h = map->child; h; h = h->next) {
        char text[600];
        ttlx_fix_describe_change(f, h->string, h, text, sizeof text);
        if (h != map->child) luaL_addstring(&b, "; ");
        luaL_addstring(&b, h->string);
        luaL_addstring(&b, ": ");
        luaL_addstring(&b, text);
    }
    luaL_pushresult(&b);
    engine_note_hint_edit(L, e, f);
    for (const cJSON *h = map->child; h; h = h->next) {
        cJSON *dup = cJSON_Duplicate(h, true); /* NULL would clear the hint */
        if (!dup || !ttlx_func_set_hint(f, h->string, dup))
            return engine_error_memory(L, "ttlx.apply_fix");
    }
    l_infer(L); /* pushes the new document, fires the "infer" handlers */
    return 2;
}
