/*
 * ttlx_nfkc.c - names the way Python reads them. Python folds every
 * identifier with NFKC, so a parameter written `ｆ` (fullwidth) is the
 * buffer `f`. ttlx folds buffer names the same way before it compares
 * them (the name index, hint lookups), for the compatibility forms that
 * can appear in identifiers:
 *   - fullwidth ASCII U+FF01..U+FF5E;
 *   - mathematical alphanumerics U+1D400..U+1D7FF (Latin, Greek, digits);
 *   - letterlike symbols (ℂ ℎ ℓ ℕ ℝ ℤ K Å ℯ ...) and Roman numerals;
 *   - ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ Ĳ ĳ Ǆ..ǌ Ǳ..ǳ, long s ſ, micro µ;
 *   - superscripts and subscripts (ª º ¹ ² ³ ⁱ ⁿ ⁰..⁹ ₀..₉ ₐ..ₜ ʰ..ʸ).
 * It is a subset: no canonical composition (e + U+0301 stays two code
 * points, where NFKC makes é) and no other compatibility blocks.
 */
#include "ttlx_nfkc.h"
#include "ttlx_base.h"
#include "ttlx_text.h"

#include <stdint.h>
#include <string.h>

/* A byte that starts no well-formed sequence: kept as itself, equal to no
 * code point. */
#define RAW_BYTE 0x110000u

/* Decodes one code point at *s (NUL-terminated) and advances: a valid
 * UTF-8 sequence, else the one byte as RAW_BYTE | byte (ASCII as itself). */
static uint32_t decode(const unsigned char **s) {
    const unsigned char *p = *s;
    uint32_t cp;
    size_t n = ttlx_utf8_decode((const char *)p, strnlen((const char *)p, 4), &cp);
    if (n == 0) {
        *s = p + 1;
        return RAW_BYTE | p[0];
    }
    *s = p + n;
    return cp;
}

static int encode(uint32_t c, char *out) {
    if (c >= RAW_BYTE) {
        out[0] = (char)(c & 0xFF);
        return 1;
    }
    return ttlx_utf8_encode(c, out);
}

/* Single code points and their folds (sorted by code point). */
static const struct {
    uint16_t from;
    char to[5]; /* ASCII */
} ascii_folds[] = {
    {0x00AA, "a"},   {0x00B2, "2"},   {0x00B3, "3"},    {0x00B9, "1"},    {0x00BA, "o"},
    {0x0132, "IJ"},  {0x0133, "ij"},  {0x017F, "s"},    {0x01C7, "LJ"},   {0x01C8, "Lj"},
    {0x01C9, "lj"},  {0x01CA, "NJ"},  {0x01CB, "Nj"},   {0x01CC, "nj"},   {0x01F1, "DZ"},
    {0x01F2, "Dz"},  {0x01F3, "dz"},  {0x02B0, "h"},    {0x02B2, "j"},    {0x02B3, "r"},
    {0x02B7, "w"},   {0x02B8, "y"},   {0x2070, "0"},    {0x2071, "i"},    {0x2074, "4"},
    {0x2075, "5"},   {0x2076, "6"},   {0x2077, "7"},    {0x2078, "8"},    {0x2079, "9"},
    {0x207F, "n"},   {0x2080, "0"},   {0x2081, "1"},    {0x2082, "2"},    {0x2083, "3"},
    {0x2084, "4"},   {0x2085, "5"},   {0x2086, "6"},    {0x2087, "7"},    {0x2088, "8"},
    {0x2089, "9"},   {0x2090, "a"},   {0x2091, "e"},    {0x2092, "o"},    {0x2093, "x"},
    {0x2095, "h"},   {0x2096, "k"},   {0x2097, "l"},    {0x2098, "m"},    {0x2099, "n"},
    {0x209A, "p"},   {0x209B, "s"},   {0x209C, "t"},    {0x2102, "C"},    {0x210A, "g"},
    {0x210B, "H"},   {0x210C, "H"},   {0x210D, "H"},    {0x210E, "h"},    {0x2110, "I"},
    {0x2111, "I"},   {0x2112, "L"},   {0x2113, "l"},    {0x2115, "N"},    {0x2119, "P"},
    {0x211A, "Q"},   {0x211B, "R"},   {0x211C, "R"},    {0x211D, "R"},    {0x2124, "Z"},
    {0x2128, "Z"},   {0x212A, "K"},   {0x212C, "B"},    {0x212D, "C"},    {0x212F, "e"},
    {0x2130, "E"},   {0x2131, "F"},   {0x2133, "M"},    {0x2134, "o"},    {0x2139, "i"},
    {0x2145, "D"},   {0x2146, "d"},   {0x2147, "e"},    {0x2148, "i"},    {0x2149, "j"},
    {0x2160, "I"},   {0x2161, "II"},  {0x2162, "III"},  {0x2163, "IV"},   {0x2164, "V"},
    {0x2165, "VI"},  {0x2166, "VII"}, {0x2167, "VIII"}, {0x2168, "IX"},   {0x2169, "X"},
    {0x216A, "XI"},  {0x216B, "XII"}, {0x216C, "L"},    {0x216D, "C"},    {0x216E, "D"},
    {0x216F, "M"},   {0x2170, "i"},   {0x2171, "ii"},   {0x2172, "iii"},  {0x2173, "iv"},
    {0x2174, "v"},   {0x2175, "vi"},  {0x2176, "vii"},  {0x2177, "viii"}, {0x2178, "ix"},
    {0x2179, "x"},   {0x217A, "xi"},  {0x217B, "xii"},  {0x217C, "l"},    {0x217D, "c"},
    {0x217E, "d"},   {0x217F, "m"},   {0xFB00, "ff"},   {0xFB01, "fi"},   {0xFB02, "fl"},
    {0xFB03, "ffi"}, {0xFB04, "ffl"}, {0xFB05, "st"},   {0xFB06, "st"},
};

/* Folds that are not ASCII: {from, to1, to2} (to2 0 when one). */
static const uint32_t other_folds[][3] = {
    {0x00B5, 0x03BC, 0}, /* micro sign: mu */
    {0x01C4, 'D', 0x017D}, {0x01C5, 'D', 0x017E}, {0x01C6, 'd', 0x017E}, {0x02B1, 0x0266, 0},
    {0x02B4, 0x0279, 0},   {0x02B5, 0x027B, 0},   {0x02B6, 0x0281, 0},   {0x03D0, 0x03B2, 0},
    {0x03D1, 0x03B8, 0},   {0x03D2, 0x03A5, 0},   {0x03D5, 0x03C6, 0},   {0x03D6, 0x03C0, 0},
    {0x03F0, 0x03BA, 0},   {0x03F1, 0x03C1, 0},   {0x03F2, 0x03C2, 0},   {0x03F4, 0x0398, 0},
    {0x03F5, 0x03B5, 0},   {0x03F9, 0x03A3, 0},   {0x2094, 0x0259, 0},   {0x2126, 0x03A9, 0},
    {0x212B, 0x00C5, 0},   {0x1D6A4, 0x0131, 0},  {0x1D6A5, 0x0237, 0},  {0x1D7CA, 0x03DC, 0},
    {0x1D7CB, 0x03DD, 0},
};

/* The 58 letters of each Greek style of U+1D6A8..U+1D7C9. */
static uint32_t math_greek(uint32_t i) {
    /* partial, epsilon, theta, kappa, phi, rho and pi symbols: their own
     * folds, since NFKC folds the result again */
    static const uint32_t tail[] = {0x2202, 0x03B5, 0x03B8, 0x03BA, 0x03C6, 0x03C1, 0x03C0};
    if (i < 17) return 0x0391 + i;
    if (i == 17) return 0x0398; /* capital theta symbol, folded again */
    if (i < 25) return 0x03A3 + (i - 18);
    if (i == 25) return 0x2207; /* nabla */
    if (i < 51) return 0x03B1 + (i - 26);
    return tail[i - 51];
}

/* Writes the fold of c to out (up to 4 code points); returns how many. */
static int fold_cp(uint32_t c, uint32_t out[4]) {
    if (c < 0xAA) {
        out[0] = c;
        return 1;
    }
    if (c >= 0xFF01 && c <= 0xFF5E) {
        out[0] = c - 0xFF01 + 0x21;
        return 1;
    }
    if (c >= 0x1D400 && c <= 0x1D6A3) {
        uint32_t i = (c - 0x1D400) % 52;
        out[0] = i < 26 ? 'A' + i : 'a' + (i - 26);
        return 1;
    }
    if (c >= 0x1D6A8 && c <= 0x1D7C9) {
        out[0] = math_greek((c - 0x1D6A8) % 58);
        return 1;
    }
    if (c >= 0x1D7CE && c <= 0x1D7FF) {
        out[0] = '0' + (c - 0x1D7CE) % 10;
        return 1;
    }
    size_t lo = 0, hi = sizeof ascii_folds / sizeof ascii_folds[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ascii_folds[mid].from < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (c <= 0xFFFF && lo < sizeof ascii_folds / sizeof ascii_folds[0] &&
        ascii_folds[lo].from == c) {
        int n = 0;
        for (const char *t = ascii_folds[lo].to; *t; t++)
            out[n++] = (unsigned char)*t;
        return n;
    }
    for (size_t k = 0; k < sizeof other_folds / sizeof other_folds[0]; k++)
        if (other_folds[k][0] == c) {
            out[0] = other_folds[k][1];
            if (!other_folds[k][2]) return 1;
            out[1] = other_folds[k][2];
            return 2;
        }
    out[0] = c;
    return 1;
}

bool ttlx_name_plain(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return false;
    return true;
}

char *ttlx_name_fold(const char *s) {
    size_t n = strlen(s);
    /* A fold is at most 4 ASCII bytes for a 2-byte form, 4 ASCII bytes for
     * a 3-byte one (a Roman numeral), never longer per input byte than 2. */
    size_t cap;
    if (__builtin_mul_overflow(n, (size_t)2, &cap) || cap == SIZE_MAX) return NULL;
    char *out = ttlx_malloc(cap + 1);
    if (!out) return NULL;
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t f[4];
        int m = fold_cp(decode(&p), f);
        for (int i = 0; i < m; i++)
            k += (size_t)encode(f[i], out + k);
    }
    out[k] = '\0';
    return out;
}

/* The folded code points of a string, one at a time. */
typedef struct fold_iter {
    const unsigned char *s;
    uint32_t buf[4];
    int n, i;
} fold_iter_t;

static uint32_t next_cp(fold_iter_t *it) {
    if (it->i < it->n) return it->buf[it->i++];
    if (!*it->s) return 0;
    it->n = fold_cp(decode(&it->s), it->buf);
    it->i = 1;
    return it->buf[0];
}

bool ttlx_name_eq(const char *a, const char *b) {
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    if (a[i] == b[i]) return true;
    /* The same bytes fold the same; two different ASCII bytes (or an end)
     * right after them stay different. */
    if ((unsigned char)a[i] < 0x80 && (unsigned char)b[i] < 0x80) return false;
    fold_iter_t x = {(const unsigned char *)a, {0}, 0, 0},
                y = {(const unsigned char *)b, {0}, 0, 0};
    for (;;) {
        uint32_t p = next_cp(&x), q = next_cp(&y);
        if (p != q) return false;
        if (!p) return true;
    }
}
