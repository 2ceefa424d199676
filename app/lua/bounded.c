/*
 * bounded.c - bounded string.rep, string.find/match/gmatch/gsub,
 * table.concat and table.move for the sandbox (see bounded.h). Owns a
 * pattern matcher written from the Lua 5.4 manual (section 6.4.1): same
 * results and same error messages as the stock library, but every step
 * is counted and the caller's clock is consulted every steps_per_check
 * steps, so exponential and quadratic patterns end with the budget error
 * instead of running on.
 */
#define _GNU_SOURCE /* memmem */
#include "lua/bounded.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_STEPS_PER_CHECK 10000
/* Nested matcher calls allowed, as the stock matcher ("pattern too
 * complex"); each is a C frame of well under 100 bytes. */
#define MATCH_DEPTH_MAX 200
/* string.rep copies at most this much between two looks at the clock. */
#define REP_CHUNK_BYTES ((size_t)1 << 20)
/* Captures in one pattern, as the stock library ("too many captures"). */
#define CAPTURES_MAX 32
/* Characters that make find() use the matcher rather than a plain search. */
static const char pattern_specials[] = "^$*+?.([%-";

typedef struct bounded {
    lua_bounded_ctx_t ctx;
    uint64_t countdown; /* steps left before the next call of expired() */
} bounded_t;

/* --------------------------------------------------------------- budget */

static void budget_spent(lua_State *L, bounded_t *b) {
    if (b->ctx.raise) b->ctx.raise(L, b->ctx.ud);
    luaL_error(L, "%s",
               b->ctx.expired_message ? b->ctx.expired_message
                                      : "script exceeded its instruction budget");
}

static void look_at_clock(lua_State *L, bounded_t *b) {
    b->countdown = b->ctx.steps_per_check;
    if (b->ctx.expired && b->ctx.expired(b->ctx.ud)) budget_spent(L, b);
}

/* Counts `steps` units of work; looks at the clock when the count is due. */
static void spend(lua_State *L, bounded_t *b, uint64_t steps) {
    if (b->countdown > steps) {
        b->countdown -= steps;
    } else {
        look_at_clock(L, b);
    }
}

static bounded_t *bounded_of(lua_State *L) {
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* Raises "<fn>: a result of <size> bytes is over the limit of <max> bytes".
 * `at_least` says the size is a lower bound (the building stopped there). */
static int too_large(lua_State *L, const char *fn, uint64_t bytes, bool at_least, size_t limit) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s: a result of %s%llu bytes is over the limit of %zu bytes", fn,
             at_least ? "at least " : "", (unsigned long long)bytes, limit);
    return luaL_error(L, "%s", msg);
}

/* ----------------------------------------------------------- the matcher */

#define CAP_UNFINISHED (-1)
#define CAP_POSITION (-2)

typedef struct matcher {
    lua_State *L;
    bounded_t *b;
    const char *src, *src_end; /* the whole subject */
    const char *pat_end;       /* patterns are NUL-terminated Lua strings */
    int depth_left;
    int level; /* captures open or closed so far */
    struct {
        const char *init;
        ptrdiff_t len; /* or CAP_UNFINISHED, CAP_POSITION */
    } cap[CAPTURES_MAX];
} matcher_t;

static void matcher_init(matcher_t *m, lua_State *L, const char *s, size_t ls, const char *p,
                         size_t lp) {
    m->L = L;
    m->b = bounded_of(L);
    m->src = s;
    m->src_end = s + ls;
    m->pat_end = p + lp;
}

static void matcher_reset(matcher_t *m) {
    m->level = 0;
    m->depth_left = MATCH_DEPTH_MAX;
}

static void step(matcher_t *m) {
    if (--m->b->countdown == 0) look_at_clock(m->L, m->b);
}

/* Does byte c belong to class letter cl (%a, %D, ...)? A letter that names
 * no class stands for itself. */
static bool in_class(int c, int cl) {
    bool r;
    switch (tolower(cl)) {
    case 'a':
        r = isalpha(c);
        break;
    case 'c':
        r = iscntrl(c);
        break;
    case 'd':
        r = isdigit(c);
        break;
    case 'g':
        r = isgraph(c);
        break;
    case 'l':
        r = islower(c);
        break;
    case 'p':
        r = ispunct(c);
        break;
    case 's':
        r = isspace(c);
        break;
    case 'u':
        r = isupper(c);
        break;
    case 'w':
        r = isalnum(c);
        break;
    case 'x':
        r = isxdigit(c);
        break;
    case 'z':
        r = c == 0;
        break; /* deprecated, still in the stock library */
    default:
        return cl == c;
    }
    return isupper(cl) ? !r : r;
}

/* Does byte c belong to the set [...] that starts at p and whose closing
 * ']' is at close? */
static bool in_set(int c, const char *p, const char *close) {
    bool negated = false;
    p++;
    if (*p == '^') {
        negated = true;
        p++;
    }
    while (p < close) {
        if (*p == '%') {
            if (in_class(c, (unsigned char)p[1])) return !negated;
            p += 2;
        } else if (p[1] == '-' && p + 2 < close) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return !negated;
            p += 3;
        } else {
            if ((unsigned char)*p == c) return !negated;
            p++;
        }
    }
    return negated;
}

/* The end of the single-character item at p: "x", "%x", ".", "[set]". */
static const char *item_end(matcher_t *m, const char *p) {
    if (*p == '%') {
        if (p + 1 >= m->pat_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 2;
    }
    if (*p != '[') return p + 1;
    const char *q = p + 1;
    if (*q == '^') q++;
    /* the set's first byte is a member even when it is ']' */
    for (bool first = true;; first = false) {
        if (q >= m->pat_end) luaL_error(m->L, "malformed pattern (missing ']')");
        if (*q == ']' && !first) return q + 1;
        q += (*q == '%' && q + 1 < m->pat_end) ? 2 : 1;
    }
}

/* Does the item p..ep match the subject byte at s? */
static bool item_matches(const matcher_t *m, const char *s, const char *p, const char *ep) {
    if (s >= m->src_end) return false;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.':
        return true;
    case '%':
        return in_class(c, (unsigned char)p[1]);
    case '[':
        return in_set(c, p, ep - 1);
    default:
        return (unsigned char)*p == c;
    }
}

static const char *match(matcher_t *m, const char *s, const char *p);

/* item* and item+: as many as possible, then give back one at a time. */
static const char *match_greedy(matcher_t *m, const char *s, const char *p, const char *ep) {
    size_t n = 0;
    while (item_matches(m, s + n, p, ep)) {
        n++;
        step(m);
    }
    for (;;) {
        const char *r = match(m, s + n, ep + 1);
        if (r) return r;
        if (n == 0) return NULL;
        n--;
    }
}

/* item-: as few as possible, then one more at a time. */
static const char *match_lazy(matcher_t *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        const char *r = match(m, s, ep + 1);
        if (r) return r;
        if (!item_matches(m, s, p, ep)) return NULL;
        s++;
    }
}

static const char *open_capture(matcher_t *m, const char *s, const char *p, ptrdiff_t what) {
    if (m->level >= CAPTURES_MAX) luaL_error(m->L, "too many captures");
    m->cap[m->level].init = s;
    m->cap[m->level].len = what;
    m->level++;
    const char *r = match(m, s, p);
    if (!r) m->level--;
    return r;
}

static const char *close_capture(matcher_t *m, const char *s, const char *p) {
    int l = m->level - 1;
    while (l >= 0 && m->cap[l].len != CAP_UNFINISHED)
        l--;
    if (l < 0) luaL_error(m->L, "invalid pattern capture");
    m->cap[l].len = s - m->cap[l].init;
    const char *r = match(m, s, p);
    if (!r) m->cap[l].len = CAP_UNFINISHED;
    return r;
}

/* %bxy at p (p points at x): a balanced run from x to y. */
static const char *match_balanced(matcher_t *m, const char *s, const char *p) {
    if (p + 1 >= m->pat_end) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->src_end || *s != p[0]) return NULL;
    size_t open = 1;
    while (++s < m->src_end) {
        step(m);
        if (*s == p[1]) {
            if (--open == 0) return s + 1;
        } else if (*s == p[0]) {
            open++;
        }
    }
    return NULL;
}

/* %1 .. %9: the text of an earlier closed capture again. */
static const char *match_backref(matcher_t *m, const char *s, int digit) {
    int i = digit - '1';
    if (i < 0 || i >= m->level || m->cap[i].len == CAP_UNFINISHED)
        luaL_error(m->L, "invalid capture index %%%d", i + 1);
    size_t len = (size_t)m->cap[i].len; /* a position capture never matches */
    spend(m->L, m->b, len >> 6);
    if ((size_t)(m->src_end - s) >= len && memcmp(m->cap[i].init, s, len) == 0) return s + len;
    return NULL;
}

/* Matches pattern p (up to pat_end) at s; the end of the match or NULL.
 * Single items without a quantifier loop here; quantifiers and captures
 * recurse, at most MATCH_DEPTH_MAX deep. */
static const char *match(matcher_t *m, const char *s, const char *p) {
    if (m->depth_left-- == 0) luaL_error(m->L, "pattern too complex");
    for (;;) {
        step(m);
        if (p == m->pat_end) break;
        if (*p == '(') {
            s = p[1] == ')' ? open_capture(m, s, p + 2, CAP_POSITION)
                            : open_capture(m, s, p + 1, CAP_UNFINISHED);
            break;
        }
        if (*p == ')') {
            s = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pat_end) {
            if (s != m->src_end) s = NULL;
            break;
        }
        if (*p == '%' && p[1] == 'b') {
            s = match_balanced(m, s, p + 2);
            if (!s) break;
            p += 4;
            continue;
        }
        if (*p == '%' && p[1] == 'f') {
            p += 2;
            if (*p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
            const char *ep = item_end(m, p);
            int before = s == m->src ? 0 : (unsigned char)s[-1];
            int here = s < m->src_end ? (unsigned char)*s : 0;
            if (in_set(before, p, ep - 1) || !in_set(here, p, ep - 1)) {
                s = NULL;
                break;
            }
            p = ep;
            continue;
        }
        if (*p == '%' && isdigit((unsigned char)p[1])) {
            s = match_backref(m, s, (unsigned char)p[1]);
            if (!s) break;
            p += 2;
            continue;
        }
        const char *ep = item_end(m, p);
        bool hit = item_matches(m, s, p, ep);
        if (*ep == '?') {
            const char *r = hit ? match(m, s + 1, ep + 1) : NULL;
            if (r) {
                s = r;
                break;
            }
            p = ep + 1;
        } else if (*ep == '+') {
            s = hit ? match_greedy(m, s + 1, p, ep) : NULL;
            break;
        } else if (*ep == '*' || *ep == '-') {
            if (!hit) {
                p = ep + 1;
                continue;
            }
            s = *ep == '*' ? match_greedy(m, s, p, ep) : match_lazy(m, s, p, ep);
            break;
        } else {
            if (!hit) {
                s = NULL;
                break;
            }
            s++;
            p = ep;
        }
    }
    m->depth_left++;
    return s;
}

/* The text of capture i (the whole match s..e when there are none) in
 * *text, and its length; for a position capture pushes the position and
 * returns CAP_POSITION. */
static ptrdiff_t get_capture(matcher_t *m, int i, const char *s, const char *e, const char **text) {
    if (i >= m->level) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        *text = s;
        return e - s;
    }
    ptrdiff_t len = m->cap[i].len;
    *text = m->cap[i].init;
    if (len == CAP_UNFINISHED) luaL_error(m->L, "unfinished capture");
    if (len == CAP_POSITION) lua_pushinteger(m->L, (m->cap[i].init - m->src) + 1);
    return len;
}

static void push_capture(matcher_t *m, int i, const char *s, const char *e) {
    const char *text;
    ptrdiff_t len = get_capture(m, i, s, e, &text);
    if (len != CAP_POSITION) lua_pushlstring(m->L, text, (size_t)len);
}

/* Pushes the captures (the whole match s..e if there are none and s is
 * not NULL); returns how many. */
static int push_captures(matcher_t *m, const char *s, const char *e) {
    int n = (m->level == 0 && s) ? 1 : m->level;
    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++)
        push_capture(m, i, s, e);
    return n;
}

/* ------------------------------------------------- find, match, gmatch */

/* A start position as the string library reads it: negative counts from
 * the end, 0 and anything before the start mean 1. */
static size_t start_index(lua_Integer pos, size_t len) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0 || pos < -(lua_Integer)len) return 1;
    return len + (size_t)pos + 1;
}

static bool has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++)
        if (memchr(pattern_specials, p[i], sizeof pattern_specials - 1)) return true;
    return false;
}

/* A plain search in linear time, so it needs no clock: memmem (linear in
 * glibc) for long needles; for short ones memchr on the first byte and
 * memcmp (at most PLAIN_SHORT bytes a start), fast when the first byte is
 * rare, switching to memmem when false starts are frequent. */
#define PLAIN_SHORT 32
static const char *plain_find(const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    if (lp > PLAIN_SHORT) return memmem(s, ls, p, lp);
    const char *end = s + ls - lp + 1; /* candidates start before end */
    size_t false_starts = 0;
    for (const char *at = s; at < end; at++) {
        at = memchr(at, *p, (size_t)(end - at));
        if (!at) return NULL;
        if (memcmp(at + 1, p + 1, lp - 1) == 0) return at;
        if (++false_starts > 64 && false_starts * 16 > (size_t)(at - s))
            return memmem(at + 1, (size_t)(s + ls - at - 1), p, lp);
    }
    return NULL;
}

static int find_or_match(lua_State *L, bool find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *hit = plain_find(s + init, ls - init, p, lp);
        if (!hit) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (hit - s) + 1);
        lua_pushinteger(L, (lua_Integer)((size_t)(hit - s) + lp));
        return 2;
    }
    bool anchored = *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    matcher_t m;
    matcher_init(&m, L, s, ls, p, lp);
    const char *at = s + init;
    do {
        matcher_reset(&m);
        const char *e = match(&m, at, p);
        if (e) {
            if (!find) return push_captures(&m, at, e);
            lua_pushinteger(L, (at - s) + 1);
            lua_pushinteger(L, e - s);
            return push_captures(&m, NULL, NULL) + 2;
        }
    } while (at++ < m.src_end && !anchored);
    luaL_pushfail(L);
    return 1;
}

static int b_find(lua_State *L) {
    return find_or_match(L, true);
}

static int b_match(lua_State *L) {
    return find_or_match(L, false);
}

typedef struct gmatch_state {
    size_t next; /* where the next attempt starts */
    size_t last; /* end of the previous match; SIZE_MAX before the first */
} gmatch_state_t;

/* The iterator: upvalues are the bounded state, the subject, the pattern
 * and the gmatch_state_t. A '^' is an ordinary character here. */
static int gmatch_next(lua_State *L) {
    size_t ls, lp;
    const char *s = lua_tolstring(L, lua_upvalueindex(2), &ls);
    const char *p = lua_tolstring(L, lua_upvalueindex(3), &lp);
    gmatch_state_t *g = lua_touserdata(L, lua_upvalueindex(4));
    matcher_t m;
    matcher_init(&m, L, s, ls, p, lp);
    for (size_t at = g->next; at <= ls; at++) {
        matcher_reset(&m);
        const char *e = match(&m, s + at, p);
        if (e && (size_t)(e - s) != g->last) {
            g->next = g->last = (size_t)(e - s);
            return push_captures(&m, s + at, e);
        }
    }
    g->next = ls + 1;
    return 0;
}

static int b_gmatch(lua_State *L) {
    size_t ls;
    luaL_checklstring(L, 1, &ls);
    luaL_checkstring(L, 2);
    size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) init = ls + 1;
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    gmatch_state_t *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->next = init;
    g->last = SIZE_MAX;
    lua_pushcclosure(L, gmatch_next, 4);
    return 1;
}

/* ------------------------------------------------------------------ gsub */

/* Appends the replacement string (argument 3) with %0-%9 and %% read. */
static void add_template(matcher_t *m, luaL_Buffer *b, const char *s, const char *e) {
    size_t l;
    const char *r = lua_tolstring(m->L, 3, &l);
    const char *end = r + l;
    spend(m->L, m->b, l >> 6);
    for (;;) {
        const char *pct = memchr(r, '%', (size_t)(end - r));
        if (!pct) break;
        luaL_addlstring(b, r, (size_t)(pct - r));
        char c = pct[1]; /* the terminating NUL when '%' ends the string */
        if (c == '%') {
            luaL_addchar(b, '%');
        } else if (isdigit((unsigned char)c)) {
            const char *text = s;
            ptrdiff_t len = c == '0' ? e - s : get_capture(m, c - '1', s, e, &text);
            if (len == CAP_POSITION) {
                luaL_addvalue(b);
            } else {
                luaL_addlstring(b, text, (size_t)len);
            }
        } else {
            luaL_error(m->L, "invalid use of '%c' in replacement string", '%');
        }
        r = pct + 2;
    }
    luaL_addlstring(b, r, (size_t)(end - r));
}

/* Appends the replacement of match s..e; false when the function or table
 * gave false or nil, so the match was kept as it was. */
static bool add_replacement(matcher_t *m, luaL_Buffer *b, const char *s, const char *e, int tr) {
    lua_State *L = m->L;
    if (tr == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (tr == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_template(m, b, s, e);
        return true;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return false;
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return true;
}

static int b_gsub(lua_State *L) {
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int tr = lua_type(L, 3);
    lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(
        L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
        "string/function/table");
    size_t limit = bounded_of(L)->ctx.max_result_bytes;
    bool anchored = *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    matcher_t m;
    matcher_init(&m, L, src, ls, p, lp);
    const char *s = src, *last = NULL;
    lua_Integer n = 0;
    bool changed = false;
    while (n < max_n) {
        matcher_reset(&m);
        const char *e = match(&m, s, p);
        if (e && e != last) {
            n++;
            changed = add_replacement(&m, &b, s, e, tr) || changed;
            s = last = e;
            if (limit && luaL_bufflen(&b) > limit)
                too_large(L, "string.gsub", luaL_bufflen(&b), true, limit);
        } else if (s < m.src_end) {
            luaL_addchar(&b, *s++);
        } else {
            break;
        }
        if (anchored) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        size_t total = luaL_bufflen(&b) + (size_t)(m.src_end - s);
        if (limit && total > limit) too_large(L, "string.gsub", total, false, limit);
        luaL_addlstring(&b, s, (size_t)(m.src_end - s));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

/* ------------------------------------------------------------------- rep */

static int b_rep(lua_State *L) {
    size_t l, lsep;
    const char *s = luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    const char *sep = luaL_optlstring(L, 3, "", &lsep);
    bounded_t *b = bounded_of(L);
    if (n <= 0 || (l == 0 && lsep == 0)) {
        lua_pushliteral(L, "");
        return 1;
    }
    /* total = l * n + lsep * (n - 1), in 64 bits with overflow noticed */
    uint64_t count = (uint64_t)n, total = 0;
    bool overflow = false;
    if (l > 0 && count > UINT64_MAX / l) overflow = true;
    if (!overflow) total = l * count;
    if (!overflow && lsep > 0) {
        if (count - 1 > UINT64_MAX / lsep || total > UINT64_MAX - lsep * (count - 1)) {
            overflow = true;
        } else {
            total += lsep * (count - 1);
        }
    }
    size_t limit = b->ctx.max_result_bytes;
    if (limit && (overflow || total > limit))
        return too_large(L, "string.rep", overflow ? UINT64_MAX : total, overflow, limit);
    if (overflow || total >= (uint64_t)LUA_MAXINTEGER || total >= SIZE_MAX)
        return luaL_error(L, "resulting string too large");
    size_t size = (size_t)total, unit = l + lsep;
    luaL_Buffer buf;
    char *out = luaL_buffinitsize(L, &buf, size);
    memcpy(out, s, l);
    size_t pos = l;
    if (count > 1) {
        memcpy(out + pos, sep, lsep);
        memcpy(out + pos + lsep, s, l);
        pos += unit;
    }
    /* out[l..pos) holds whole sep..s units: copy it onto its end, doubling,
     * in chunks that are whole units of at most about REP_CHUNK_BYTES */
    size_t chunk_max = unit >= REP_CHUNK_BYTES ? unit : REP_CHUNK_BYTES / unit * unit;
    while (pos < size) {
        size_t chunk = pos - l;
        if (chunk > chunk_max) chunk = chunk_max;
        if (chunk > size - pos) chunk = size - pos;
        memcpy(out + pos, out + l, chunk);
        pos += chunk;
        look_at_clock(L, b);
    }
    luaL_pushresultsize(&buf, size);
    return 1;
}

/* ---------------------------------------------------------------- concat */

/* As the stock table library: argument arg is a table, or a value whose
 * metatable has each of the metamethods named in `needs` (NULL-ended). */
static void check_table(lua_State *L, int arg, const char *const *needs) {
    if (lua_type(L, arg) == LUA_TTABLE) return;
    int top = lua_gettop(L);
    bool ok = lua_getmetatable(L, arg);
    if (ok) {
        int mt = lua_gettop(L);
        for (; ok && *needs; needs++) {
            lua_pushstring(L, *needs);
            ok = lua_rawget(L, mt) != LUA_TNIL;
        }
    }
    lua_settop(L, top);
    if (!ok) luaL_checktype(L, arg, LUA_TTABLE);
}

static const char *const readable_list[] = {"__index", "__len", NULL};
static const char *const readable[] = {"__index", NULL};
static const char *const writable[] = {"__newindex", NULL};

/* Pushes element i and returns its text and length (numbers converted). */
static const char *concat_item(lua_State *L, lua_Integer i, bool raw, size_t *len) {
    if (raw) {
        lua_rawgeti(L, 1, i);
    } else {
        lua_geti(L, 1, i);
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid value (%s) at index %I in table for 'concat'", luaL_typename(L, -1),
                   i);
    return lua_tolstring(L, -1, len);
}

static int b_concat(lua_State *L) {
    check_table(L, 1, readable_list);
    lua_Integer last = luaL_len(L, 1);
    size_t lsep;
    const char *sep = luaL_optlstring(L, 2, "", &lsep);
    lua_Integer first = luaL_optinteger(L, 3, 1);
    last = luaL_optinteger(L, 4, last);
    bounded_t *b = bounded_of(L);
    size_t limit = b->ctx.max_result_bytes;
    if (first > last) {
        lua_pushliteral(L, "");
        return 1;
    }
    /* A plain table is read twice without side effects: once to add up
     * the length (refused over the limit before anything is built), once
     * to copy. A table with a metatable is read once, as the stock library
     * does, and the limit is checked as the result grows. */
    bool raw = lua_type(L, 1) == LUA_TTABLE && !lua_getmetatable(L, 1);
    lua_settop(L, 4);
    luaL_Buffer buf;
    size_t total = 0;
    if (raw) {
        for (lua_Integer i = first;; i++) {
            size_t len;
            concat_item(L, i, true, &len);
            lua_pop(L, 1);
            spend(L, b, 1);
            if (len > SIZE_MAX - total) luaL_error(L, "resulting string too large");
            total += len;
            if (i == last) break;
            if (lsep > SIZE_MAX - total) luaL_error(L, "resulting string too large");
            total += lsep;
            if (limit && total > limit) too_large(L, "table.concat", total, true, limit);
        }
        if (limit && total > limit) too_large(L, "table.concat", total, false, limit);
        char *out = luaL_buffinitsize(L, &buf, total);
        size_t pos = 0;
        for (lua_Integer i = first;; i++) {
            size_t len;
            const char *text = concat_item(L, i, true, &len);
            memcpy(out + pos, text, len);
            pos += len;
            lua_pop(L, 1);
            if (i == last) break;
            memcpy(out + pos, sep, lsep);
            pos += lsep;
        }
        luaL_pushresultsize(&buf, total);
        return 1;
    }
    luaL_buffinit(L, &buf);
    for (lua_Integer i = first;; i++) {
        size_t len;
        concat_item(L, i, false, &len);
        luaL_addvalue(&buf);
        spend(L, b, 1);
        if (i != last) luaL_addlstring(&buf, sep, lsep);
        if (limit && luaL_bufflen(&buf) > limit)
            too_large(L, "table.concat", luaL_bufflen(&buf), i != last, limit);
        if (i == last) break;
    }
    luaL_pushresult(&buf);
    return 1;
}

/* ------------------------------------------------------------------ move */

/* table.move(a1, f, e, t [, a2]): the stock checks and order of copying,
 * with a step per element (the stock loop of geti/seti never meets the
 * hook, and a range of 2^40 runs for hours). */
static int b_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int dest = lua_isnoneornil(L, 5) ? 1 : 5;
    check_table(L, 1, readable);
    check_table(L, dest, writable);
    bounded_t *b = bounded_of(L);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        /* copy backwards when the ranges overlap with the target after f */
        bool forward = t > e || t <= f || (dest != 1 && !lua_compare(L, 1, dest, LUA_OPEQ));
        for (lua_Integer k = 0; k < n; k++) {
            lua_Integer i = forward ? k : n - 1 - k;
            lua_geti(L, 1, f + i);
            lua_seti(L, dest, t + i);
            spend(L, b, 1);
        }
    }
    lua_pushvalue(L, dest);
    return 1;
}

/* --------------------------------------------------------------- install */

/* Sets the functions (each with the bounded state as upvalue) into the
 * table at idx, if it is a table. */
static void patch(lua_State *L, int idx, int state, const luaL_Reg *fns) {
    if (lua_type(L, idx) != LUA_TTABLE) return;
    idx = lua_absindex(L, idx);
    for (const luaL_Reg *f = fns; f->name; f++) {
        lua_pushvalue(L, state);
        lua_pushcclosure(L, f->func, 1);
        lua_setfield(L, idx, f->name);
    }
}

void lua_bounded_install(lua_State *L, const lua_bounded_ctx_t *ctx) {
    static const luaL_Reg string_fns[] = {{"rep", b_rep},     {"find", b_find},
                                          {"match", b_match}, {"gmatch", b_gmatch},
                                          {"gsub", b_gsub},   {NULL, NULL}};
    static const luaL_Reg table_fns[] = {{"concat", b_concat}, {"move", b_move}, {NULL, NULL}};
    bounded_t *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->ctx = *ctx;
    if (b->ctx.steps_per_check == 0) b->ctx.steps_per_check = DEFAULT_STEPS_PER_CHECK;
    b->countdown = b->ctx.steps_per_check;
    int state = lua_gettop(L);

    lua_getglobal(L, "string");
    patch(L, -1, state, string_fns);
    lua_pop(L, 1);
    lua_getglobal(L, "table");
    patch(L, -1, state, table_fns);
    lua_pop(L, 1);
    /* package.loaded and the string metatable's __index are usually the
     * same tables as the globals; patching them again is harmless */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_getfield(L, -1, LUA_STRLIBNAME);
        patch(L, -1, state, string_fns);
        lua_getfield(L, -2, LUA_TABLIBNAME);
        patch(L, -1, state, table_fns);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_getfield(L, -1, "__index");
        patch(L, -1, state, string_fns);
        lua_pop(L, 2);
    }
    lua_pop(L, 2); /* the "" and the state */
}
