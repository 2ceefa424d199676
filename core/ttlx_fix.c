/*
 * ttlx_fix.c - fixes as data (SPEC 4). After the passes, every diagnostic
 * whose fix is a hint change gets fix_hints: {buffer: complete hint}, the
 * nearest valid layout to what the user wrote, and up to 2 alternatives.
 * Each candidate is checked by rerunning the passes with it: it is kept
 * only when the diagnostic (same code on the same buffer) is gone and no
 * error appears that was not there before. The diagnostic's fix text is
 * rewritten to name the same fix as fix_hints (the alternatives carry their
 * own line in fix_alts).
 *
 * Which codes carry fix_hints:
 *   TTL001 halo, TTL010/TTL011 on a buffer's hint, TTL012 tile shape,
 *   TTL002/TTL003 nd_shard: the hint with the fix text's value applied,
 *       else the hint without the refused keys, else (sharded without a
 *       usable nd_shard) the nearest fitting shard grid, else interleaved.
 *   TTL004, TTL008, TTL009: the nearest tile-aligned covering shard (the
 *       text's fix), else the nearest fitting grid.
 *   TTL005: sharded: the nearest fitting grid (even tile divisions first,
 *       then the user's aspect ratio, then the nearest core count), then
 *       DRAM; interleaved: DRAM, then an L1 shard grid that fits.
 *   TTL007: as many cores as the device gives in the same direction, then
 *       round_robin_1d keeping the user's shards.
 *   TTL006: the L1 buffers moved to DRAM, largest on the worst core first,
 *       until no core is over (several entries).
 *   TTL014 sharded: a grid that fits the DRAM banks, when one does.
 *   None: TTL011 for a buffer that does not exist and everything else
 *   outside a buffer's hint (tt.user_layout not an object, tt.core_grid,
 *   partition_mode), TTL013 padding (a tile shape only lowers it), TTL014
 *   interleaved (split the tensor), TTL015 (split the kernel), TTL016/17.
 */
#include "ttlx_fix.h"
#include "ttlx_fix_internal.h"
#include "ttlx_func_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FOUND 3 /* the fix and up to 2 alternatives */
#define MAX_TRIES 12

/* ---- describing a change ------------------------------------------------ */

static void put_value(ttlx_sb_t *sb, const cJSON *v) {
    if (!v) {
        ttlx_sb_puts(sb, "none");
    } else if (cJSON_IsString(v)) {
        ttlx_sb_json_string(sb, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        ttlx_sb_puts(sb, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNumber(v)) {
        ttlx_sb_printf(sb, "%.17g", v->valuedouble);
    } else if (cJSON_IsArray(v)) {
        ttlx_sb_puts(sb, "[");
        for (const cJSON *e = v->child; e; e = e->next) {
            put_value(sb, e);
            if (e->next) ttlx_sb_puts(sb, ", ");
        }
        ttlx_sb_puts(sb, "]");
    } else {
        char *s = cJSON_PrintUnformatted(v);
        ttlx_sb_puts(sb, s ? s : "?");
        cJSON_free(s);
    }
}

static void describe_obj(ttlx_sb_t *sb, const cJSON *before, const cJSON *after, bool with_old,
                         const char *skip) {
    for (const cJSON *a = after ? after->child : NULL; a; a = a->next) {
        if (skip && !strcmp(a->string, skip)) continue;
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(before, a->string);
        if (b && cJSON_Compare(a, b, true)) continue;
        if (sb->len) ttlx_sb_puts(sb, ", ");
        ttlx_sb_printf(sb, "%s ", a->string);
        if (with_old && b) {
            put_value(sb, b);
            ttlx_sb_puts(sb, " -> ");
        }
        put_value(sb, a);
    }
}

const char *ttlx_fix_describe(const cJSON *before, const cJSON *after, bool with_old, char *buf,
                              size_t size) {
    ttlx_sb_t sb = {0};
    describe_obj(&sb, before, after, with_old, "nd_shard");
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(after, "nd_shard");
    const cJSON *nb = cJSON_GetObjectItemCaseSensitive(before, "nd_shard");
    cJSON *dflt = NULL;
    if (na && !nb) { /* a new nd_shard: its defaults go without saying */
        dflt = cJSON_CreateObject();
        cJSON_AddStringToObject(dflt, "order", "row_major");
        cJSON_AddStringToObject(dflt, "distribution", "grid_2d");
        cJSON_AddBoolToObject(dflt, "align_tiles", true);
    }
    if (na)
        describe_obj(&sb, nb ? nb : dflt, na, with_old, NULL);
    else if (nb)
        ttlx_sb_puts(&sb, sb.len ? ", no nd_shard" : "no nd_shard");
    for (const cJSON *b = before ? before->child : NULL; b; b = b->next) { /* dropped keys */
        if (b->string && strcmp(b->string, "nd_shard") &&
            !cJSON_GetObjectItemCaseSensitive(after, b->string))
            ttlx_sb_printf(&sb, "%sno %s", sb.len ? ", " : "", b->string);
    }
    cJSON_Delete(dflt);
    snprintf(buf, size, "%s", sb.data ? sb.data : "");
    ttlx_sb_free(&sb);
    return buf;
}

cJSON *ttlx_fix_canonical_hint(const ttlx_func_t *f, size_t i) {
    const ttlx_buffer_info_t *b = ttlx_func_buffer(f, i);
    if (!b) return NULL;
    ttlx_hint_t h;
    ttlx_hint_parse(ttlx_func_hint(f, b->name), b, &h, NULL, NULL);
    return ttlx_hint_to_json(&h);
}

const char *ttlx_fix_describe_change(const ttlx_func_t *f, const char *buffer, const cJSON *after,
                                     char *buf, size_t size) {
    int bi = ttlx_func_find_buffer(f, buffer);
    cJSON *before = bi >= 0 ? ttlx_fix_canonical_hint(f, (size_t)bi) : NULL;
    /* as written: the user's own values where the hint has them */
    const cJSON *raw = ttlx_func_hint(f, buffer);
    for (const cJSON *k = cJSON_IsObject(raw) && before ? raw->child : NULL; k; k = k->next) {
        if (!k->string || !strcmp(k->string, "nd_shard")) continue;
        cJSON_DeleteItemFromObjectCaseSensitive(before, k->string);
        cJSON_AddItemToObject(before, k->string, cJSON_Duplicate(k, true));
    }
    ttlx_fix_describe(before, after, true, buf, size);
    cJSON_Delete(before);
    if (!buf[0] && size) snprintf(buf, size, "hint rewritten");
    return buf;
}

/* ---- checking a candidate ----------------------------------------------- */

typedef struct change {
    int bi;
    cJSON *hint; /* owned */
} change_t;

/* The passes on r's function with the hints of ch replaced (quiet: the
 * checks read codes, buffers, cores and layouts only); NULL on allocation
 * failure. */
static ttlx_result_t *rerun(const ttlx_result_t *r, const change_t *ch, size_t n) {
    ttlx_hint_override_t one, *ov = n == 1 ? &one : ttlx_calloc(n ? n : 1, sizeof *ov);
    if (!ov) return NULL;
    for (size_t k = 0; k < n; k++)
        ov[k] = (ttlx_hint_override_t){ch[k].bi, ch[k].hint};
    ttlx_result_t *res = ttlx_infer_passes_over(r->func, &r->dev, ov, n, true, NULL);
    if (ov != &one) ttlx_free(ov);
    return res;
}

/* ---- the reruns of one result, kept ------------------------------------- */

/* Diagnostics of one function often try the same candidate (TTL004, TTL008
 * and TTL009 on one shard; several TTL010 on one hint): each change map is
 * rerun once per ttlx_fix_attach. */
#define MEMO_MAX 256

typedef struct memo_entry {
    uint64_t hash;
    cJSON *map;           /* owned */
    ttlx_result_t *after; /* owned */
} memo_entry_t;

/* A buffer's hint as written, parsed and canonical (for describing). */
typedef struct user_hint {
    bool have;
    ttlx_hint_t h;
    cJSON *canon; /* owned; NULL when it could not be allocated */
} user_hint_t;

typedef struct memo {
    memo_entry_t *e;
    size_t n, cap;
    user_hint_t *users; /* one per buffer, filled on first use */
} memo_t;

static uint64_t hash_json(const cJSON *v, uint64_t h) {
    for (; v; v = v->next) {
        h = (h ^ (uint64_t)(v->type & 0xff)) * 0x100000001b3ull;
        for (const char *p = v->string; p && *p; p++)
            h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
        for (const char *p = v->valuestring; p && *p; p++)
            h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
        if (cJSON_IsNumber(v)) {
            uint64_t bits;
            memcpy(&bits, &v->valuedouble, sizeof bits);
            h = (h ^ bits) * 0x100000001b3ull;
        }
        h = hash_json(v->child, h);
    }
    return h;
}

/* The entry kept under map, or NULL. Valid until the next memo_add. */
static const memo_entry_t *memo_find(const memo_t *m, const cJSON *map, uint64_t hash) {
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].hash == hash && cJSON_Compare(m->e[i].map, map, true)) return &m->e[i];
    return NULL;
}

/* Keeps after under map (both owned by the memo when it returns the new
 * entry; NULL when the memo is full or out of memory). */
static const memo_entry_t *memo_add(memo_t *m, cJSON *map, uint64_t hash, ttlx_result_t *after) {
    if (m->n >= MEMO_MAX) return NULL;
    memo_entry_t *grown = ttlx_grow(m->e, &m->cap, m->n + 1, sizeof *m->e);
    if (!grown) return NULL;
    m->e = grown;
    m->e[m->n] = (memo_entry_t){hash, map, after};
    return &m->e[m->n++];
}

static void memo_free(memo_t *m, size_t nbufs) {
    for (size_t i = 0; i < m->n; i++) {
        cJSON_Delete(m->e[i].map);
        ttlx_result_free(m->e[i].after);
    }
    for (size_t i = 0; m->users && i < nbufs; i++)
        cJSON_Delete(m->users[i].canon);
    ttlx_free(m->users);
    ttlx_free(m->e);
}

static bool same_diag(const ttlx_diag_t *a, const ttlx_diag_t *b) {
    if (strcmp(a->code, b->code) || a->buffer != b->buffer) return false;
    if (a->buffer >= 0 || (!a->buffer_name && !b->buffer_name)) return true;
    return a->buffer_name && b->buffer_name && !strcmp(a->buffer_name, b->buffer_name);
}

/* True when after no longer has d and has no error that r lacks. */
static bool verified(const ttlx_result_t *r, const ttlx_diag_t *d, const ttlx_result_t *after) {
    for (size_t i = 0; i < after->ndiags; i++) {
        const ttlx_diag_t *e = &after->diags[i];
        if (same_diag(e, d)) return false;
        if (e->severity != TTLX_SEV_ERROR) continue;
        bool known = false;
        for (size_t j = 0; j < r->ndiags && !known; j++)
            known = r->diags[j].severity == TTLX_SEV_ERROR && same_diag(e, &r->diags[j]);
        if (!known) return false;
    }
    return true;
}

/* The change from buffer bi's hint as written to hint: the keys whose
 * value the passes read differently, the refused keys given a value, and
 * the keys dropped ("no halo"). */
static void describe_from_user(const ttlx_result_t *r, memo_t *memo, int bi, const cJSON *hint,
                               char *t, size_t size) {
    const ttlx_buffer_info_t *b = r->layouts[bi].buf;
    const cJSON *raw = ttlx_func_hint(r->func, b->name);
    if (!memo->users) memo->users = ttlx_calloc(r->n ? r->n : 1, sizeof *memo->users);
    user_hint_t one = {0}, *u = memo->users ? &memo->users[bi] : &one;
    if (!u->have) {
        ttlx_hint_parse(raw, b, &u->h, NULL, NULL);
        u->canon = ttlx_hint_to_json(&u->h);
        u->have = u->canon != NULL;
    }
    const ttlx_hint_t *h = &u->h;
    ttlx_fix_describe(u->canon, hint, false, t, size);
    if (u == &one) cJSON_Delete(one.canon);
    if (!cJSON_IsObject(raw)) return;
    const cJSON *hn = cJSON_GetObjectItemCaseSensitive(hint, "nd_shard");
    for (int nested = 0; nested < 2; nested++) {
        const cJSON *obj = nested ? cJSON_GetObjectItemCaseSensitive(raw, "nd_shard") : raw;
        const cJSON *into = nested ? hn : hint;
        if (!cJSON_IsObject(obj) || (nested && !hn)) continue;
        for (const cJSON *k = obj->child; k; k = k->next) {
            if (!k->string || (!nested && !strcmp(k->string, "nd_shard"))) continue;
            char dotted[80];
            snprintf(dotted, sizeof dotted, "%s%.60s", nested ? "nd_shard." : "", k->string);
            const ttlx_hint_key_t *key = ttlx_hint_key_find(dotted);
            const cJSON *now = cJSON_GetObjectItemCaseSensitive(into, k->string);
            size_t len = strlen(t);
            if (!now && (!key || key->kind != TTLX_HINT_DERIVED))
                snprintf(t + len, size - len, "%sno %.60s", len ? ", " : "", k->string);
            else if (now && key && (h->bad & 1u << key->id) &&
                     !strstr(t, dotted + (nested ? 9 : 0))) {
                ttlx_sb_t sb = {0};
                put_value(&sb, now);
                snprintf(t + len, size - len, "%s%s %s", len ? ", " : "", k->string,
                         sb.data ? sb.data : "");
                ttlx_sb_free(&sb);
            }
        }
    }
}

/* The fixes found for one diagnostic. */
typedef struct found {
    ttlx_result_t *r;
    const ttlx_diag_t *d;
    const char *const *orig; /* every diagnostic's fix text as the passes wrote it */
    memo_t *memo;
    int n, tries;
    cJSON *maps[MAX_FOUND];
    char text[MAX_FOUND][400];
    bool oom;
} found_t;

static bool full(const found_t *fd) {
    return fd->n >= MAX_FOUND || fd->tries >= MAX_TRIES || fd->oom;
}

/* Tries the changes ch (consumed); text NULL: described from the change,
 * with tail (printf'd from the rerun's layout of ch[0]) appended. */
static void try_changes(found_t *fd, change_t *ch, size_t n, const char *text, bool with_tail) {
    /* The hints move into the map (ch[k].hint then points into it); a
     * hint whose key cannot be allocated stays with ch. */
    cJSON *map = cJSON_CreateObject();
    bool ok = map != NULL;
    size_t moved = 0;
    for (size_t k = 0; k < n && ok; k++) {
        ok = ch[k].hint &&
             cJSON_AddItemToObject(map, fd->r->layouts[ch[k].bi].buf->name, ch[k].hint);
        moved += ok;
    }
    for (int k = 0; k < fd->n && ok && map; k++)
        if (cJSON_Compare(fd->maps[k], map, true)) goto done; /* already found */
    if (!ok || full(fd)) {
        if (!ok) fd->oom = true;
        goto done;
    }
    fd->tries++;
    uint64_t hash = hash_json(map->child, 0xcbf29ce484222325ull);
    const memo_entry_t *entry = memo_find(fd->memo, map, hash);
    ttlx_result_t *after = entry ? entry->after : rerun(fd->r, ch, n);
    if (!after) {
        fd->oom = true;
        goto done;
    }
    if (!entry && (entry = memo_add(fd->memo, map, hash, after))) map = NULL;
    bool kept = entry != NULL;
    if (verified(fd->r, fd->d, after)) {
        /* the map itself, or a copy of the memo's */
        cJSON *own = map ? map : cJSON_Duplicate(entry->map, true);
        map = NULL;
        if (!own) {
            fd->oom = true;
        } else {
            char *t = fd->text[fd->n];
            if (text) {
                snprintf(t, 400, "%s", text);
            } else {
                describe_from_user(fd->r, fd->memo, ch[0].bi, ch[0].hint, t, 300);
                if (!t[0]) { /* nothing to name but the whole hint */
                    char *js = cJSON_PrintUnformatted(ch[0].hint);
                    snprintf(t, 300, "hint %s", js ? js : "{}");
                    cJSON_free(js);
                }
                const ttlx_layout_t *L = &after->layouts[ch[0].bi];
                if (with_tail && L->has_shard && L->placed && L->memory == TTLX_MEM_L1) {
                    ttlx_sb_t sb = {0};
                    ttlx_sb_bytes(&sb, L->bytes_per_core);
                    size_t len = strlen(t);
                    snprintf(t + len, 400 - len, ": %lld core%s, %s B per core",
                             (long long)L->cores_used, L->cores_used == 1 ? "" : "s",
                             sb.data ? sb.data : "?");
                    ttlx_sb_free(&sb);
                }
            }
            fd->maps[fd->n++] = own;
        }
    }
    if (!kept) ttlx_result_free(after);
done:
    cJSON_Delete(map);
    for (size_t k = 0; k < n; k++) {
        if (k >= moved) cJSON_Delete(ch[k].hint);
        ch[k].hint = NULL;
    }
}

static void try_hint(found_t *fd, int bi, const ttlx_hint_t *h, const char *text, bool tail) {
    change_t ch = {bi, ttlx_hint_to_json(h)};
    if (!ch.hint) fd->oom = true;
    try_changes(fd, &ch, 1, text, tail);
}

/* ---- the nearest fitting shard grid ------------------------------------- */

typedef struct geo {
    int64_t gm, gn, smt, snt;
    int64_t key[5];
} geo_t;

static int by_key(const void *a, const void *b) {
    const geo_t *x = a, *y = b;
    for (int k = 0; k < 5; k++)
        if (x->key[k] != y->key[k]) return x->key[k] < y->key[k] ? -1 : 1;
    return 0;
}

/* 0 single core, 1 height [g, 1], 2 width [1, g], 3 block. */
static int direction(int64_t gm, int64_t gn) {
    return (gm > 1 ? 1 : 0) + (gn > 1 ? 2 : 0);
}

/* Tries the tile-aligned covering shard grids of h's M and N axes on the
 * device (other axes keep their shards, their grids cover the tensor),
 * nearest first: TTL007 keeps the most cores in the user's direction;
 * otherwise even tile divisions, then the user's aspect, then the nearest
 * core count. */
static void try_grids(found_t *fd, int bi, const ttlx_hint_t *h, bool most_cores) {
    const ttlx_result_t *r = fd->r;
    const ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_buffer_info_t *b = L->buf;
    const ttlx_device_t *dev = &r->dev;
    int am = h->axis_m, an = h->axis_n;
    if (am < 0 || an < 0 || full(fd)) return;
    ttlx_hint_t c = *h;
    int64_t stack = 1, other = 1;
    for (int d = 0; d < b->rank; d++) {
        if (d == am || d == an) continue;
        c.grid[d] = ttlx_ceil_div(b->shape[d], c.shard_shape_elems[d]);
        stack = ttlx_sat_mul(stack, c.grid[d]);
        other = ttlx_sat_mul(other, c.shard_shape_elems[d]);
    }
    if (c.memory == TTLX_MEM_L1) c.align_tiles = true;
    int64_t mt = ttlx_ceil_div(b->shape[am], h->tile_h),
            nt = ttlx_ceil_div(b->shape[an], h->tile_w);
    int64_t cores = (int64_t)dev->grid_x * dev->grid_y;
    bool rr = c.distribution == TTLX_DIST_ROUND_ROBIN_1D;
    bool colm = !rr && c.order == TTLX_ORDER_COL_MAJOR;
    int64_t max_m = rr ? cores : colm ? dev->grid_x : dev->grid_y;
    int64_t max_n = rr ? cores : colm ? dev->grid_y : dev->grid_x;
    if (c.memory == TTLX_MEM_DRAM) max_m = max_n = 64; /* DRAM shards: any grid */
    if (max_m > mt) max_m = mt;
    if (max_n > nt) max_n = nt;
    int64_t page =
        c.memory == TTLX_MEM_L1
            ? ttlx_ceil_div(L->tile_bytes, dev->l1_align_bytes) * dev->l1_align_bytes
            : ttlx_ceil_div(L->tile_bytes, dev->dram_align_bytes) * dev->dram_align_bytes;
    int64_t ugm = h->grid[am], ugn = h->grid[an];
    double uaspect = log2((double)ugm / (double)ugn);
    geo_t *gs = ttlx_calloc((size_t)(max_m * max_n) + 1, sizeof *gs);
    if (!gs) {
        fd->oom = true;
        return;
    }
    size_t n = 0;
    for (int64_t gm = 1; gm <= max_m; gm++) {
        int64_t smt = ttlx_ceil_div(mt, gm);
        if (ttlx_ceil_div(mt, smt) != gm) continue; /* would leave an empty shard */
        for (int64_t gn = 1; gn <= max_n; gn++) {
            int64_t snt = ttlx_ceil_div(nt, gn);
            if (ttlx_ceil_div(nt, snt) != gn) continue;
            int64_t shards = ttlx_sat_mul(stack, gm * gn);
            int64_t holders = c.memory == TTLX_MEM_DRAM ? dev->dram_banks : rr ? cores : gm * gn;
            int64_t bytes = ttlx_sat_mul(
                ttlx_sat_mul(ttlx_ceil_div(shards, holders), ttlx_sat_mul(other, smt * snt)), page);
            int64_t budget = c.memory == TTLX_MEM_L1 ? dev->l1_bank_bytes : dev->dram_bank_bytes;
            if (bytes > budget) continue;
            geo_t *g = &gs[n++];
            *g = (geo_t){gm, gn, smt, snt, {0}};
            int64_t mism = direction(gm, gn) != direction(ugm, ugn);
            int64_t uneven = mt % gm != 0 || nt % gn != 0;
            int64_t aspect = (int64_t)(fabs(log2((double)gm / (double)gn) - uaspect) * 1000.0);
            int64_t dc = gm * gn > ugm * ugn ? gm * gn - ugm * ugn : ugm * ugn - gm * gn;
            if (most_cores) {
                int64_t k[5] = {mism, -(gm * gn), uneven, aspect, bytes};
                memcpy(g->key, k, sizeof k);
            } else {
                int64_t k[5] = {mism, uneven, aspect, dc, bytes};
                memcpy(g->key, k, sizeof k);
            }
        }
    }
    qsort(gs, n, sizeof *gs, by_key);
    for (size_t k = 0; k < n && !full(fd); k++) {
        c.grid[am] = gs[k].gm;
        c.grid[an] = gs[k].gn;
        c.shard_shape_elems[am] = ttlx_shard_for_grid(b->shape[am], gs[k].gm, h->tile_h);
        c.shard_shape_elems[an] = ttlx_shard_for_grid(b->shape[an], gs[k].gn, h->tile_w);
        try_hint(fd, bi, &c, NULL, true);
        if (most_cores && fd->n == 1 && !rr && c.memory == TTLX_MEM_L1) {
            /* the alternative tt-metal height sharding takes: the user's
             * shards dealt round-robin over the cores */
            ttlx_hint_t rrh = *h;
            rrh.distribution = TTLX_DIST_ROUND_ROBIN_1D;
            rrh.align_tiles = true;
            try_hint(fd, bi, &rrh, NULL, true);
        }
    }
    ttlx_free(gs);
}

/* A default nd_shard (one shard of the whole buffer) on h, for grids to
 * start from; false when the buffer has no M and N dims. */
static bool default_shard(ttlx_hint_t *h, const ttlx_buffer_info_t *b) {
    if (b->rank < 2) return false;
    ttlx_hint_default_axes(b->rank, h->axes);
    h->rank = b->rank;
    for (int d = 0; d < b->rank; d++) {
        h->grid[d] = 1;
        h->shard_shape_elems[d] = b->shape[d];
    }
    h->axis_m = b->rank - 2;
    h->axis_n = b->rank - 1;
    h->has_nd_shard = true;
    h->shards = 1;
    return true;
}

/* ---- per code ------------------------------------------------------------ */

/* Applies one fix text to the hint object h (a copy of the user's hint):
 * "rename \"X\" to \"Y\"", "remove \"X\"", or "KEY VALUE..." where KEY is
 * a hint key and VALUE a JSON value. code/key: the diagnostic's (TTL011's
 * misspelt key goes). False when the text is none of these. */
static bool apply_text(cJSON *h, const char *fix, const char *code, const char *dkey) {
    char from[64] = "", to[64] = "";
    bool rename = sscanf(fix, "rename \"%63[^\"]\" to \"%63[^\"]\"", from, to) == 2;
    if (rename || sscanf(fix, "remove \"%63[^\"]\"", from) == 1) {
        cJSON *nd = cJSON_GetObjectItemCaseSensitive(h, "nd_shard");
        cJSON *in = cJSON_GetObjectItemCaseSensitive(h, from) ? h : cJSON_IsObject(nd) ? nd : NULL;
        cJSON *v = in ? cJSON_DetachItemFromObjectCaseSensitive(in, from) : NULL;
        if (!v) return false;
        if (rename) {
            cJSON_DeleteItemFromObjectCaseSensitive(in, to);
            if (!cJSON_AddItemToObject(in, to, v)) {
                cJSON_Delete(v);
                return false;
            }
        } else {
            cJSON_Delete(v);
        }
        return true;
    }
    const char *sp = strchr(fix, ' ');
    if (!sp || sp - fix > 40) return false;
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)(sp - fix), fix);
    if (key[0] && key[strlen(key) - 1] == ':') key[strlen(key) - 1] = 0;
    const ttlx_hint_key_t *k = ttlx_hint_key_find(key);
    char dotted[80];
    snprintf(dotted, sizeof dotted, "nd_shard.%s", key);
    if (!k || k->in_nd_shard) k = ttlx_hint_key_find(dotted);
    if (!k || k->kind == TTLX_HINT_DERIVED || k->kind == TTLX_HINT_REJECTED) return false;
    cJSON *v = cJSON_ParseWithOpts(sp + 1, NULL, false);
    if (!v) return false;
    if (dkey && !strcmp(code, "TTL011")) { /* the misspelt key goes */
        cJSON_DeleteItemFromObjectCaseSensitive(h, dkey);
        cJSON *nd = cJSON_GetObjectItemCaseSensitive(h, "nd_shard");
        if (cJSON_IsObject(nd)) cJSON_DeleteItemFromObjectCaseSensitive(nd, dkey);
    }
    cJSON *into = h;
    if (k->in_nd_shard) {
        into = cJSON_GetObjectItemCaseSensitive(h, "nd_shard");
        if (!cJSON_IsObject(into)) {
            cJSON_DeleteItemFromObjectCaseSensitive(h, "nd_shard");
            into = cJSON_AddObjectToObject(h, "nd_shard");
        }
    }
    if (!into) {
        cJSON_Delete(v);
        return false;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(into, k->leaf);
    if (!cJSON_AddItemToObject(into, k->leaf, v)) {
        cJSON_Delete(v);
        return false;
    }
    return true;
}

/* The fix texts of this diagnostic and of the others with its code on the
 * same buffer (one hint holds them all), applied to the user's hint; the
 * text names each. */
static void try_text(found_t *fd, int bi, const cJSON *raw) {
    cJSON *h = cJSON_IsObject(raw) ? cJSON_Duplicate(raw, true) : cJSON_CreateObject();
    if (!h) {
        fd->oom = true;
        return;
    }
    if (!apply_text(h, fd->d->fix, fd->d->code, fd->d->key)) {
        cJSON_Delete(h);
        return;
    }
    ttlx_sb_t sb = {0};
    ttlx_sb_puts(&sb, fd->d->fix);
    const ttlx_result_t *r = fd->r;
    for (size_t i = 0; i < r->ndiags; i++) {
        const ttlx_diag_t *o = &r->diags[i];
        const char *ofix = fd->orig[i];
        if (o == fd->d || o->buffer != bi || strcmp(o->code, fd->d->code) || !ofix) continue;
        if (apply_text(h, ofix, o->code, o->key)) ttlx_sb_printf(&sb, "; %s", ofix);
    }
    ttlx_hint_t p;
    ttlx_hint_parse(h, r->layouts[bi].buf, &p, NULL, NULL);
    cJSON_Delete(h);
    char text[400];
    snprintf(text, sizeof text, "%s", sb.data ? sb.data : "");
    ttlx_sb_free(&sb);
    try_hint(fd, bi, &p, text, false);
}

static void fix_hint_problem(found_t *fd, int bi, const ttlx_hint_t *h, const cJSON *raw) {
    try_text(fd, bi, raw);
    const ttlx_buffer_info_t *b = fd->r->layouts[bi].buf;
    ttlx_hint_t c = *h;
    if (c.tile_h != 32 || c.tile_w != 32) { /* TTL012 */
        if (!strcmp(fd->d->code, "TTL012")) c.tile_h = c.tile_w = 32;
    }
    if (c.layout != TTLX_LAYOUT_SHARDED || c.has_nd_shard) try_hint(fd, bi, &c, NULL, false);
    if (c.layout == TTLX_LAYOUT_SHARDED && c.has_nd_shard) try_grids(fd, bi, &c, false);
    if (c.layout == TTLX_LAYOUT_SHARDED && !c.has_nd_shard && default_shard(&c, b)) {
        int had = fd->n;
        try_grids(fd, bi, &c, false);
        /* the passes' own text for a sharded buffer without nd_shard names
         * the same grid: keep it */
        const char *g1 = strstr(fd->d->fix, "grid ["),
                   *g2 = had < fd->n ? strstr(fd->text[had], "grid [") : NULL;
        if (had == 0 && g1 && g2 && !strncmp(fd->d->fix, "nd_shard axes", 13) &&
            strcspn(g1, "]") == strcspn(g2, "]") && !strncmp(g1, g2, strcspn(g1, "]")))
            snprintf(fd->text[0], sizeof fd->text[0], "%s", fd->d->fix);
    }
    c = *h;
    c.layout = TTLX_LAYOUT_INTERLEAVED;
    c.has_nd_shard = false;
    try_hint(fd, bi, &c, NULL, false);
}

/* TTL004/TTL008/TTL009: first the text's own change (M and N shards
 * tile-aligned with their grids covering; or one axis's grid), then every
 * axis at once, then the nearest fitting grid. */
static void fix_coverage(found_t *fd, int bi, const ttlx_hint_t *h) {
    const ttlx_buffer_info_t *b = fd->r->layouts[bi].buf;
    const char *code = fd->d->code;
    ttlx_hint_t own = *h;
    int axis = -1;
    long long want = 0;
    if (strcmp(code, "TTL004") &&
        sscanf(fd->d->fix, "grid[%d] (%*[^)]) = %lld", &axis, &want) == 2 && axis >= 0 &&
        axis < b->rank && want > 0) {
        own.grid[axis] = want;
        try_hint(fd, bi, &own, fd->d->fix, false);
    }
    ttlx_hint_t c = *h;
    for (int d = 0; d < b->rank; d++) {
        int64_t s = c.shard_shape_elems[d];
        if (d == c.axis_m || d == c.axis_n) {
            int64_t t = d == c.axis_m ? c.tile_h : c.tile_w;
            int64_t lo = s / t * t, hi = lo + t;
            s = lo == s ? s : (lo >= t && s - lo < hi - s) ? lo : hi;
            own.shard_shape_elems[d] = s;
            own.grid[d] = ttlx_ceil_div(b->shape[d], s);
        }
        c.shard_shape_elems[d] = s;
        c.grid[d] = ttlx_ceil_div(b->shape[d], s);
    }
    if (c.memory == TTLX_MEM_L1) c.align_tiles = own.align_tiles = true;
    if (!strcmp(code, "TTL004")) try_hint(fd, bi, &own, fd->d->fix, false);
    try_hint(fd, bi, &c, NULL, false);
    try_grids(fd, bi, &c, false);
}

static void fix_moves_to_dram(found_t *fd) {
    const ttlx_result_t *r = fd->r;
    change_t *ch = ttlx_calloc(r->n ? r->n : 1, sizeof *ch);
    if (!ch) {
        fd->oom = true;
        return;
    }
    size_t n = 0;
    ttlx_result_t *cur = NULL;
    const ttlx_result_t *view = r;
    for (size_t round = 0; round < r->n; round++) {
        const ttlx_diag_t *over = NULL;
        for (size_t i = 0; i < view->ndiags && !over; i++)
            if (!strcmp(view->diags[i].code, "TTL006")) over = &view->diags[i];
        if (!over) break;
        int pick = -1;
        int64_t most = 0;
        for (size_t i = 0; i < view->n; i++) {
            const ttlx_layout_t *L = &view->layouts[i];
            if (L->memory != TTLX_MEM_L1) continue;
            int64_t v = ttlx_layout_bytes_on(view, L, over->core_x, over->core_y);
            if (v > most) {
                most = v;
                pick = (int)i;
            }
        }
        if (pick < 0) break;
        ttlx_hint_t h;
        const ttlx_buffer_info_t *b = r->layouts[pick].buf;
        ttlx_hint_parse(ttlx_func_hint(r->func, b->name), b, &h, NULL, NULL);
        h.memory = TTLX_MEM_DRAM;
        ch[n].bi = pick;
        ch[n].hint = ttlx_hint_to_json(&h);
        if (!ch[n++].hint) break;
        ttlx_result_free(cur);
        cur = rerun(r, ch, n);
        if (!cur) break;
        view = cur;
    }
    if (cur && n) {
        ttlx_sb_t sb = {0};
        ttlx_sb_puts(&sb, "memory \"DRAM\" for ");
        for (size_t k = 0; k < n; k++)
            ttlx_sb_printf(&sb, "%s%s", k ? ", " : "", r->layouts[ch[k].bi].buf->name);
        int wx = 0, wy = 0;
        int64_t used = ttlx_result_max_used(cur, &wx, &wy);
        ttlx_sb_printf(&sb, ": core (%d,%d) then uses ", wx, wy);
        ttlx_sb_bytes(&sb, used);
        ttlx_sb_puts(&sb, " B");
        char text[400];
        snprintf(text, sizeof text, "%s", sb.data ? sb.data : "");
        ttlx_sb_free(&sb);
        try_changes(fd, ch, n, text, false);
    }
    ttlx_result_free(cur);
    for (size_t k = 0; k < n; k++)
        cJSON_Delete(ch[k].hint);
    ttlx_free(ch);
}

static void fix_one(found_t *fd) {
    const ttlx_diag_t *d = fd->d;
    const char *c = d->code;
    if (!d->fix) return;
    if (!strcmp(c, "TTL006")) {
        fix_moves_to_dram(fd);
        return;
    }
    if (d->buffer < 0 || !strcmp(c, "TTL013") || !strcmp(c, "TTL015") || !strcmp(c, "TTL016") ||
        !strcmp(c, "TTL017"))
        return;
    int bi = d->buffer;
    const ttlx_layout_t *L = &fd->r->layouts[bi];
    const cJSON *raw = ttlx_func_hint(fd->r->func, L->buf->name);
    ttlx_hint_t h;
    ttlx_hint_parse(raw, L->buf, &h, NULL, NULL);
    if (!strcmp(c, "TTL007")) {
        try_grids(fd, bi, &h, true);
    } else if (!strcmp(c, "TTL005") || !strcmp(c, "TTL014")) {
        if (h.layout == TTLX_LAYOUT_SHARDED && h.has_nd_shard) {
            try_grids(fd, bi, &h, false);
            ttlx_hint_t dram = h;
            dram.memory = TTLX_MEM_DRAM;
            if (h.memory == TTLX_MEM_L1) try_hint(fd, bi, &dram, NULL, false);
        } else if (!strcmp(c, "TTL005")) {
            ttlx_hint_t dram = h;
            dram.memory = TTLX_MEM_DRAM;
            try_hint(fd, bi, &dram, fd->d->fix, false);
            ttlx_hint_t s = h;
            s.layout = TTLX_LAYOUT_SHARDED;
            if (default_shard(&s, L->buf)) try_grids(fd, bi, &s, false);
        }
    } else if (!strcmp(c, "TTL004") || !strcmp(c, "TTL008") || !strcmp(c, "TTL009")) {
        if (h.has_nd_shard) fix_coverage(fd, bi, &h);
    } else {
        fix_hint_problem(fd, bi, &h, raw);
    }
}

static bool attach_one(ttlx_result_t *r, size_t i, const char *const *orig, memo_t *memo);

bool ttlx_fix_attach(ttlx_result_t *r) {
    if (r->n > TTLX_FIX_MAX_BUFFERS || r->oom || !r->ndiags) return true;
    const char **orig = ttlx_calloc(r->ndiags, sizeof *orig);
    if (!orig) return false;
    for (size_t i = 0; i < r->ndiags; i++)
        orig[i] = r->diags[i].fix;
    memo_t memo = {0};
    bool ok = true;
    for (size_t i = 0; i < r->ndiags && ok; i++)
        ok = attach_one(r, i, orig, &memo);
    memo_free(&memo, r->n);
    ttlx_free(orig);
    return ok;
}

static bool attach_one(ttlx_result_t *r, size_t i, const char *const *orig, memo_t *memo) {
    {
        found_t fd = {.r = r, .d = &r->diags[i], .orig = orig, .memo = memo};
        fix_one(&fd);
        bool ok = !fd.oom;
        if (fd.n > 0 && ok) {
            if (!r->fix_store) r->fix_store = cJSON_CreateArray();
            cJSON *alts = fd.n > 1 ? cJSON_CreateArray() : NULL;
            ttlx_sb_t sb = {0};
            ttlx_sb_puts(&sb, fd.text[0]);
            for (int k = 1; k < fd.n && alts; k++) {
                cJSON *a = cJSON_CreateObject();
                if (!a || !cJSON_AddStringToObject(a, "fix", fd.text[k]) ||
                    !cJSON_AddItemToObject(a, "fix_hints", fd.maps[k]) ||
                    !cJSON_AddItemToArray(alts, a)) {
                    if (!a || !cJSON_GetObjectItemCaseSensitive(a, "fix_hints"))
                        cJSON_Delete(fd.maps[k]);
                    cJSON_Delete(a);
                    ok = false;
                }
                fd.maps[k] = NULL;
            }
            if (fd.n > 1 && !alts) ok = false;
            if (ok && r->fix_store && cJSON_AddItemToArray(r->fix_store, fd.maps[0])) {
                r->diags[i].fix_hints = fd.maps[0];
                fd.maps[0] = NULL;
                if (alts && cJSON_AddItemToArray(r->fix_store, alts)) {
                    r->diags[i].fix_alts = alts;
                    alts = NULL;
                }
                const char *t = ttlx_result_strdup(r, sb.data ? sb.data : fd.text[0]);
                if (t) r->diags[i].fix = t;
            } else {
                ok = false;
            }
            cJSON_Delete(alts);
            ttlx_sb_free(&sb);
        }
        for (int k = 0; k < fd.n; k++)
            cJSON_Delete(fd.maps[k]);
        if (!ok || r->oom) return false;
    }
    return true;
}
