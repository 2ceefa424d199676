/*
 * parse.c - TVMScript import (SPEC 1.2), the top: walks the text for
 * @T.prim_func functions (alone or in an @I.ir_module class), reads each
 * one's body for launch extents (T.launch_thread, T.Kernel), T.func_attr
 * and its docstring, skips everything else, and builds the PrimFunc JSON
 * of SPEC 1.1 that the normal loader then reads, so a TVMScript file and
 * its JSON twin load identically. Every error path frees what it built.
 */
#include "tvs_internal.h"

#include <inttypes.h>

/* ------------------------------------------------------- launch extents */

static int block_axis(const char *tag, size_t len) {
    if (len == 10 && memcmp(tag, "blockIdx.", 9) == 0 && tag[9] >= 'x' && tag[9] <= 'z')
        return tag[9] - 'x';
    return -1;
}

/* bx = T.env_thread("blockIdx.x"): tokens from `bx`. */
static bool parse_env_thread(parser_t *p, func_state_t *fs) {
    tok_t target = tvs_next(p);
    for (int i = 0; i < 5; i++)
        tvs_next(p);
    if (tvs_peek(p, 0)->kind == TK_STRING) {
        size_t mark = tvs_parse_strings(p);
        if (mark == SIZE_MAX) return false;
        int axis = block_axis(p->scratch + mark, strlen(p->scratch + mark));
        p->scratch_len = mark;
        if (axis >= 0) {
            if (fs->nenvs == fs->envcap) {
                size_t cap = fs->envcap ? fs->envcap * 2 : 4;
                env_thread_t *v = ttlx_realloc(fs->envs, cap * sizeof *v);
                if (!v) {
                    tvs_fail_oom(p);
                    return false;
                }
                fs->envs = v;
                fs->envcap = cap;
            }
            fs->envs[fs->nenvs].name = tvs_copy_token(p, &target);
            if (!fs->envs[fs->nenvs].name) return false;
            fs->envs[fs->nenvs++].axis = axis;
        }
    }
    tvs_skip_rest_of_group(p);
    return !p->failed;
}

static bool check_extent(parser_t *p, int line, int col, int64_t v) {
    if (v <= 0 && !p->collect) { /* collecting sites reads unbound symbols as 1 */
        tvs_fail(p, line, col, "launch extent must be positive, got %" PRId64, v);
        return false;
    }
    if (v > TVMS_EXACT_LIMIT) {
        tvs_fail(p, line, col, "launch extent is 2^53 or more");
        return false;
    }
    return true;
}

/* T.launch_thread("blockIdx.x", 8) or T.launch_thread(bx, 8). */
static bool parse_launch_thread(parser_t *p, func_state_t *fs) {
    for (int i = 0; i < 4; i++)
        tvs_next(p);
    const tok_t *t = tvs_peek(p, 0);
    int axis = -1;
    if (t->kind == TK_STRING) {
        size_t mark = tvs_parse_strings(p);
        if (mark == SIZE_MAX) return false;
        axis = block_axis(p->scratch + mark, strlen(p->scratch + mark));
        p->scratch_len = mark;
    } else if (t->kind == TK_NAME &&
               (tvs_is_op(p, tvs_peek(p, 1), ",") || tvs_is_op(p, tvs_peek(p, 1), ")"))) {
        for (size_t k = 0; k < fs->nenvs; k++)
            if (strlen(fs->envs[k].name) == t->len &&
                memcmp(fs->envs[k].name, p->s + t->off, t->len) == 0)
                axis = fs->envs[k].axis;
        tvs_next(p);
    }
    if (axis >= 0 && !fs->ext_set[axis] && tvs_is_op(p, tvs_peek(p, 0), ",")) {
        tvs_next(p);
        const tok_t *e = tvs_peek(p, 0);
        int el = e->line, ec = e->col;
        int64_t v;
        if (!tvs_ix_expr(p, "T.launch_thread extent", &v) || !check_extent(p, el, ec, v))
            return false;
        fs->ext[axis] = v;
        fs->ext_set[axis] = true;
    }
    tvs_skip_rest_of_group(p);
    return !p->failed;
}

/* The block axis a T.thread_binding call names (its thread tag, positional
 * or thread=), -1 for threadIdx, vthread and other tags. Reads up to the
 * closing ')' and decodes nothing, so the caller can rewind. */
static int scan_thread_tag(parser_t *p) {
    int axis = -1;
    while (!p->failed) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_at_end(t) || tvs_is_op(p, t, ")")) break;
        bool tag = t->kind == TK_STRING;
        if (t->kind == TK_NAME && tvs_is_op(p, tvs_peek(p, 1), "=")) {
            tag = tvs_is_name(p, t, "thread") && tvs_peek(p, 2)->kind == TK_STRING;
            tvs_next(p);
            tvs_next(p);
        }
        t = tvs_peek(p, 0);
        if (tag && t->prefix == 0 && t->quote == 1 && t->len >= 2)
            axis = block_axis(p->s + t->off + 1, t->len - 2);
        tvs_skip_expr(p, false);
        if (tvs_is_op(p, tvs_peek(p, 0), ","))
            tvs_next(p);
        else
            break;
    }
    return axis;
}

/* for bx in T.thread_binding(8, thread="blockIdx.x"): what TVM prints for
 * every bound GPU loop (T.thread_binding(8, 16, ...) when the loop starts
 * at 8; T.thread_binding(0, 8, "blockIdx.x") as written by hand). Sets the
 * launch extent stop - start like T.launch_thread; threadIdx and vthread
 * loops, and loops inside a T.Kernel, set none and are not evaluated. */
static bool parse_thread_binding(parser_t *p, func_state_t *fs) {
    tok_t anchor = tvs_next(p);
    for (int i = 0; i < 3; i++)
        tvs_next(p);
    parser_t saved = *p; /* the scratch stack is not touched by the scan */
    int axis = scan_thread_tag(p);
    if (p->failed) return false;
    *p = saved;
    if (axis < 0 || fs->nkernel > 0 || fs->ext_set[axis]) {
        tvs_skip_rest_of_group(p);
        return !p->failed;
    }
    /* Python's signature: thread_binding(start, stop=None, thread=None, *,
     * annotations=None); with no stop, start is the stop and 0 the start. */
    int64_t num[2] = {0, 0};
    bool has[2] = {false, false};
    int npos = 0, nl = anchor.line, nc = anchor.col;
    char d[48];
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ")")) {
            tvs_next(p);
            break;
        }
        int slot = -1;
        if (t->kind == TK_NAME && tvs_is_op(p, tvs_peek(p, 1), "=")) {
            tok_t k = tvs_next(p);
            tvs_next(p);
            slot = tvs_is_name(p, &k, "start") ? 0 : tvs_is_name(p, &k, "stop") ? 1 : -1;
            if (slot < 0) tvs_skip_expr(p, false); /* thread=, annotations= */
        } else if (t->kind == TK_STRING) {
            tvs_skip_expr(p, false); /* the tag, read by the scan */
        } else {
            if (npos == 2) {
                tvs_fail(p, t->line, t->col, "T.thread_binding takes at most 2 loop bounds");
                return false;
            }
            slot = npos++;
        }
        if (slot >= 0) {
            t = tvs_peek(p, 0);
            if (!has[0] && !has[1]) {
                nl = t->line;
                nc = t->col;
            }
            if (!tvs_ix_expr(p, "T.thread_binding extent", &num[slot])) return false;
            has[slot] = true;
        }
        t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ","))
            tvs_next(p);
        else if (!tvs_is_op(p, t, ")")) {
            tvs_fail(p, t->line, t->col, "expected ',' or ')' in T.thread_binding, got %s",
                     tvs_describe(p, t, d, sizeof d));
            return false;
        }
    }
    if (p->failed) return false;
    if (!has[0] && !has[1]) {
        tvs_fail(p, anchor.line, anchor.col, "T.thread_binding needs a loop extent");
        return false;
    }
    int64_t v = has[1] ? num[1] : num[0];
    if (has[1] && __builtin_sub_overflow(num[1], num[0], &v)) {
        tvs_fail(p, nl, nc, "T.thread_binding extent: integer overflow");
        return false;
    }
    if (!check_extent(p, nl, nc, v)) return false;
    fs->ext[axis] = v;
    fs->ext_set[axis] = true;
    return true;
}

/* with T.Kernel(8, 8, threads=128) as (bx, by): positional extents. */
static bool parse_kernel(parser_t *p, func_state_t *fs) {
    tok_t anchor = tvs_next(p);
    for (int i = 0; i < 3; i++)
        tvs_next(p);
    if (fs->nkernel > 0) { /* the first T.Kernel gives the launch */
        tvs_skip_rest_of_group(p);
        return !p->failed;
    }
    int64_t ext[3];
    int n = 0;
    char d[48];
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ")")) {
            tvs_next(p);
            break;
        }
        if (t->kind == TK_NAME && tvs_is_op(p, tvs_peek(p, 1), "=")) {
            tvs_next(p);
            tvs_next(p);
            tvs_skip_expr(p, false);
        } else {
            if (n == 3) {
                tvs_fail(p, t->line, t->col, "T.Kernel takes at most 3 launch extents");
                return false;
            }
            int el = t->line, ec = t->col;
            if (!tvs_ix_expr(p, "T.Kernel extent", &ext[n]) || !check_extent(p, el, ec, ext[n]))
                return false;
            n++;
        }
        t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ","))
            tvs_next(p);
        else if (!tvs_is_op(p, t, ")")) {
            tvs_fail(p, t->line, t->col, "expected ',' or ')' in T.Kernel, got %s",
                     tvs_describe(p, t, d, sizeof d));
            return false;
        }
    }
    if (p->failed) return false;
    if (n == 0) {
        tvs_fail(p, anchor.line, anchor.col, "T.Kernel needs at least one launch extent");
        return false;
    }
    fs->nkernel = n;
    memcpy(fs->ext, ext, sizeof ext);
    return true;
}

/* ------------------------------------------------ attributes and bodies */

/* T.func_attr({...}): merged into the function's attributes. */
static bool parse_func_attr(parser_t *p, func_state_t *fs) {
    for (int i = 0; i < 4; i++)
        tvs_next(p);
    const tok_t *t = tvs_peek(p, 0);
    char d[48];
    if (!tvs_is_op(p, t, "{")) {
        tvs_fail(p, t->line, t->col, "T.func_attr expects a dict, got %s",
                 tvs_describe(p, t, d, sizeof d));
        return false;
    }
    size_t start = t->off;
    cJSON *attrs = tvs_parse_value(p);
    if (!attrs) return false;
    if (p->collect && p->nsites > 0) {
        ttlx_tvmscript_site_t *site = &p->sites[p->nsites - 1];
        if (site->attr_calls++ == 0) {
            site->has_attr = true;
            site->attr_start = start;
            site->attr_end = p->last_end;
        }
    }
    if (tvs_is_op(p, tvs_peek(p, 0), ",")) tvs_next(p);
    if (!tvs_expect_op(p, ")", "to close T.func_attr")) {
        cJSON_Delete(attrs);
        return false;
    }
    if (!fs->attrs) {
        fs->attrs = attrs;
        return true;
    }
    /* A second T.func_attr: its keys win. */
    while (attrs->child) {
        cJSON *item = cJSON_DetachItemViaPointer(attrs, attrs->child);
        cJSON_DeleteItemFromObjectCaseSensitive(fs->attrs, item->string);
        if (!cJSON_AddItemToObject(fs->attrs, item->string, item)) {
            cJSON_Delete(item);
            cJSON_Delete(attrs);
            tvs_fail_oom(p);
            return false;
        }
    }
    cJSON_Delete(attrs);
    return true;
}

/* Records, when collecting sites, that a new T.func_attr line could go
 * right after the line break that is the next token. */
static void note_insert_point(parser_t *p) {
    if (!p->collect || p->nsites == 0) return;
    ttlx_tvmscript_site_t *site = &p->sites[p->nsites - 1];
    const tok_t *nl = tvs_peek(p, 0);
    if (nl->kind != TK_NEWLINE) {
        site->insert_at = SIZE_MAX; /* the body shares the def line */
        return;
    }
    size_t at = nl->off;
    if (at >= p->n) {
        site->insert_at = p->n;
        site->newline_first = true;
        return;
    }
    at += (p->s[at] == '\r' && at + 1 < p->n && p->s[at + 1] == '\n') ? 2 : 1;
    site->insert_at = at;
    site->newline_first = false;
}

/* The body: everything indented deeper than the def line. */
static bool parse_body(parser_t *p, func_state_t *fs, int indent) {
    note_insert_point(p);
    if (p->collect && p->nsites > 0) {
        const tok_t *b = tvs_peek(p, 0)->kind == TK_NEWLINE ? tvs_peek(p, 1) : tvs_peek(p, 0);
        ttlx_tvmscript_site_t *site = &p->sites[p->nsites - 1];
        if (b->bol && b->indent > indent) {
            site->indent_start = b->off - (size_t)(b->col - 1);
            site->indent_len = (size_t)(b->col - 1);
            site->indent_is_def = false;
        }
    }
    /* A docstring first in the body is the description (SPEC 1.1). */
    const tok_t *first = tvs_peek(p, 0);
    if (first->kind == TK_NEWLINE) first = tvs_peek(p, 1);
    if (first->kind == TK_STRING && first->bol && first->indent > indent) {
        unsigned k = first == tvs_peek(p, 0) ? 0 : 1;
        while (k + 1 < TVMS_LOOKAHEAD && tvs_peek(p, k + 1)->kind == TK_STRING)
            k++;
        const tok_t *after = tvs_peek(p, k + 1);
        if (after->kind == TK_NEWLINE || tvs_at_end(after)) {
            if (tvs_peek(p, 0)->kind == TK_NEWLINE) tvs_next(p);
            size_t mark = tvs_parse_strings(p);
            if (mark == SIZE_MAX) return false;
            fs->description = cJSON_CreateString(p->scratch + mark);
            p->scratch_len = mark;
            if (!fs->description) {
                tvs_fail_oom(p);
                return false;
            }
            note_insert_point(p); /* after the docstring */
        }
    }
    while (!p->failed) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_at_end(t) || (t->bol && t->indent <= indent)) break;
        if (t->kind == TK_NAME && tvs_is_op(p, tvs_peek(p, 1), "=")) {
            if (tvs_at_t_call(p, 2, "match_buffer", false)) {
                if (!tvs_parse_match_buffer(p, fs)) return false;
                continue;
            }
            if (tvs_at_t_call(p, 2, "env_thread", false)) {
                if (!parse_env_thread(p, fs)) return false;
                continue;
            }
        }
        if (tvs_is_name(p, t, "T") && tvs_is_op(p, tvs_peek(p, 1), ".") &&
            tvs_is_op(p, tvs_peek(p, 3), "(")) {
            bool ok = true, hit = true;
            if (tvs_at_t_call(p, 0, "func_attr", false))
                ok = parse_func_attr(p, fs);
            else if (tvs_at_t_call(p, 0, "launch_thread", false))
                ok = parse_launch_thread(p, fs);
            else if (tvs_at_t_call(p, 0, "Kernel", false))
                ok = parse_kernel(p, fs);
            else if (tvs_at_t_call(p, 0, "thread_binding", false))
                ok = parse_thread_binding(p, fs);
            else
                hit = false;
            if (!ok) return false;
            if (hit) continue;
        }
        tvs_next(p);
    }
    return !p->failed;
}

/* ------------------------------------------------------------ functions */

/* "tt.buffer_roles": {"C": "output"} gives buffers their SPEC 1.1 role;
 * like "tt.device", it moves out of attrs so the document equals its JSON
 * twin. */
static bool apply_roles(parser_t *p, func_state_t *fs, const keylist_t *names, const tok_t *fname) {
    cJSON *roles =
        fs->attrs ? cJSON_GetObjectItemCaseSensitive(fs->attrs, "tt.buffer_roles") : NULL;
    if (!cJSON_IsObject(roles)) return true;
    for (const cJSON *r = roles->child; r; r = r->next) {
        const keypos_t *hit = tvs_keylist_find(names, r->string);
        if (!hit) {
            tvs_fail(p, fname->line, fname->col,
                     "tt.buffer_roles names '%.64s', which is not a buffer of '%.*s'", r->string,
                     (int)(fname->len > 64 ? 64 : fname->len), p->s + fname->off);
            return false;
        }
        if (!cJSON_IsString(r) ||
            (strcmp(r->valuestring, "input") != 0 && strcmp(r->valuestring, "output") != 0 &&
             strcmp(r->valuestring, "weight") != 0)) {
            tvs_fail(p, fname->line, fname->col,
                     "tt.buffer_roles: the role of '%.64s' must be \"input\", \"output\" or "
                     "\"weight\"",
                     r->string);
            return false;
        }
        cJSON *copy = cJSON_Duplicate(r, true);
        if (!copy || !cJSON_AddItemToObject(hit->item, "role", copy)) {
            cJSON_Delete(copy);
            tvs_fail_oom(p);
            return false;
        }
    }
    cJSON_DeleteItemFromObjectCaseSensitive(fs->attrs, "tt.buffer_roles");
    return true;
}

/* The document of one function, keys in SPEC 1.1 order. */
static cJSON *build_function(parser_t *p, func_state_t *fs, const tok_t *name) {
    cJSON *obj = cJSON_CreateObject();
    cJSON *bufs = NULL;
    keylist_t names;
    tvs_keylist_init(&names);
    if (!obj) goto oom;
    char *fname = tvs_copy_token(p, name);
    if (!fname || !cJSON_AddStringToObject(obj, "name", fname)) {
        ttlx_free(fname);
        goto oom;
    }
    ttlx_free(fname);
    if (fs->description) {
        if (!cJSON_AddItemToObject(obj, "description", fs->description)) goto oom;
        fs->description = NULL;
    }
    bufs = cJSON_CreateArray();
    if (!bufs || !cJSON_AddItemToObject(obj, "buffers", bufs)) {
        cJSON_Delete(bufs);
        goto oom;
    }
    for (size_t i = 0; i < fs->nparams; i++) {
        param_t *pa = &fs->params[i];
        if (!pa->buf) continue;
        const char *bn = cJSON_GetObjectItemCaseSensitive(pa->buf, "name")->valuestring;
        if (strlen(bn) > 255) { /* the JSON loader's limit, said where it stands */
            tvs_fail(p, pa->line, pa->col, "buffer name '%.40s...' is longer than 255 characters",
                     bn);
            goto fail;
        }
        if (!tvs_keylist_add(p, &names, bn, pa->line, pa->col)) goto fail;
        names.v[names.n - 1].item = pa->buf;
        cJSON_AddItemToArray(bufs, pa->buf); /* cannot fail for a valid item */
        pa->buf = NULL;
    }
    if (!tvs_check_duplicates(p, &names, "buffer name") || !apply_roles(p, fs, &names, name))
        goto fail;
    int n = fs->nkernel;
    if (n == 0)
        for (int a = 0; a < 3; a++)
            if (fs->ext_set[a]) n = a + 1;
    if (n > 0) {
        cJSON *k = cJSON_CreateArray();
        if (!k || !cJSON_AddItemToObject(obj, "kernel", k)) {
            cJSON_Delete(k);
            goto oom;
        }
        for (int a = 0; a < n; a++) {
            bool set = fs->nkernel > 0 || fs->ext_set[a];
            cJSON *v = cJSON_CreateNumber(set ? (double)fs->ext[a] : 1.0);
            if (!v || !cJSON_AddItemToArray(k, v)) {
                cJSON_Delete(v);
                goto oom;
            }
        }
    }
    if (fs->attrs) {
        /* "tt.device" names the device profile (SPEC 1.1 "device"). */
        cJSON *dev = cJSON_GetObjectItemCaseSensitive(fs->attrs, "tt.device");
        if (cJSON_IsString(dev)) {
            cJSON_DetachItemViaPointer(fs->attrs, dev);
            if (!cJSON_AddItemToObject(obj, "device", dev)) {
                cJSON_Delete(dev);
                goto oom;
            }
        }
        if (!cJSON_AddItemToObject(obj, "attrs", fs->attrs)) goto oom;
        fs->attrs = NULL;
    }
    tvs_keylist_free(&names);
    return obj;
oom:
    tvs_fail_oom(p);
fail:
    tvs_keylist_free(&names);
    cJSON_Delete(obj);
    return NULL;
}

/* At `def`: the signature and body of a @T.prim_func. */
static cJSON *parse_function(parser_t *p) {
    tok_t def = tvs_next(p);
    int indent = def.bol ? def.indent : 0;
    const tok_t *t = tvs_peek(p, 0);
    char d[48];
    if (t->kind != TK_NAME) {
        tvs_fail(p, t->line, t->col, "expected a function name after 'def', got %s",
                 tvs_describe(p, t, d, sizeof d));
        return NULL;
    }
    tok_t name = tvs_next(p);
    func_state_t fs;
    memset(&fs, 0, sizeof fs);
    cJSON *obj = NULL;
    if (p->collect) {
        if (p->nsites == p->sitecap) {
            size_t cap = p->sitecap ? p->sitecap * 2 : 4;
            ttlx_tvmscript_site_t *v = ttlx_realloc(p->sites, cap * sizeof *v);
            if (!v) {
                tvs_fail_oom(p);
                return NULL;
            }
            p->sites = v;
            p->sitecap = cap;
        }
        ttlx_tvmscript_site_t *site = &p->sites[p->nsites++];
        memset(site, 0, sizeof *site);
        site->insert_at = SIZE_MAX;
        site->indent_start = def.off - (size_t)(def.col - 1);
        site->indent_len = (size_t)(def.col - 1);
        site->indent_is_def = true;
    }
    if (!tvs_expect_op(p, "(", "after the function name") || !tvs_parse_params(p, &fs)) goto done;
    if (tvs_is_op(p, tvs_peek(p, 0), "->")) {
        tvs_next(p);
        tvs_skip_expr(p, true);
    }
    if (!tvs_expect_op(p, ":", "after the function signature") || !parse_body(p, &fs, indent))
        goto done;
    obj = build_function(p, &fs, &name);
done:
    tvs_func_state_free(&fs);
    return obj;
}

/* ----------------------------------------------------------- the module */

/* A decorator line; true when it is @T.prim_func (or @T.prim_func(...)). */
static bool parse_decorator(parser_t *p) {
    tvs_next(p); /* @ */
    bool prim = false;
    if (tvs_peek(p, 0)->kind == TK_NAME) {
        tok_t last = tvs_next(p);
        while (tvs_is_op(p, tvs_peek(p, 0), ".") && tvs_peek(p, 1)->kind == TK_NAME) {
            tvs_next(p);
            last = tvs_next(p);
        }
        prim = tvs_is_name(p, &last, "prim_func");
    }
    tvs_skip_line(p);
    return prim;
}

static bool is_json_start(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i < n && s[i] == '{';
}

static void parser_init(parser_t *p, const char *text, size_t len, const ttlx_binding_t *binds,
                        size_t nbinds, ttlx_error_t *err) {
    memset(p, 0, sizeof *p);
    p->s = text ? text : "";
    p->n = text ? len : 0;
    p->line = 1;
    p->binds = binds;
    p->nbinds = binds ? nbinds : 0;
    p->err = err;
    if (p->n >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0)
        p->pos = p->line_start = 3; /* UTF-8 byte order mark */
}

/* The whole text: every @T.prim_func, as one document. */
static cJSON *convert(parser_t *p) {
    cJSON *funcs = NULL;
    if (!tvs_check_encoding(p)) goto done;
    funcs = cJSON_CreateArray();
    if (!funcs) {
        tvs_fail_oom(p);
        goto done;
    }
    bool pending = false;
    while (!p->failed) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_at_end(t)) break;
        if (t->kind == TK_NEWLINE) {
            tvs_next(p);
            continue;
        }
        if (t->bol && tvs_is_op(p, t, "@")) {
            pending = parse_decorator(p) || pending;
            continue;
        }
        if (pending && tvs_is_name(p, t, "def")) {
            pending = false;
            cJSON *f = parse_function(p);
            if (!f) break;
            cJSON_AddItemToArray(funcs, f);
            continue;
        }
        pending = false;
        tvs_skip_line(p);
    }
    if (p->failed) goto done;
    int count = cJSON_GetArraySize(funcs);
    if (count == 0) {
        tvs_fail(p, 1, 1, "no @T.prim_func found%s",
                 is_json_start(p->s, p->n) ? " (the input looks like JSON)" : "");
        goto done;
    }
    cJSON *doc;
    if (count == 1) {
        doc = cJSON_DetachItemFromArray(funcs, 0);
    } else {
        doc = cJSON_CreateObject();
        if (!doc || !cJSON_AddItemToObject(doc, "functions", funcs)) {
            cJSON_Delete(doc);
            tvs_fail_oom(p);
            goto done;
        }
        funcs = NULL;
    }
    cJSON_Delete(funcs);
    ttlx_free(p->scratch);
    p->scratch = NULL;
    return doc;
done:
    cJSON_Delete(funcs);
    ttlx_free(p->scratch);
    p->scratch = NULL;
    return NULL;
}

cJSON *ttlx_tvmscript_to_json(const char *text, size_t len, const ttlx_binding_t *binds,
                              size_t nbinds, ttlx_error_t *err) {
    parser_t p;
    parser_init(&p, text, len, binds, nbinds, err);
    return convert(&p);
}

bool ttlx_tvmscript_sites(const char *text, size_t len, const ttlx_binding_t *binds, size_t nbinds,
                          ttlx_tvmscript_site_t **sites, size_t *count, ttlx_error_t *err) {
    parser_t p;
    parser_init(&p, text, len, binds, nbinds, err);
    p.collect = true;
    cJSON *doc = convert(&p);
    *sites = NULL;
    *count = 0;
    if (!doc) {
        ttlx_free(p.sites);
        return false;
    }
    cJSON_Delete(doc);
    *sites = p.sites;
    *count = p.nsites;
    return true;
}
