/*
 * xml_check.h - a tiny XML well-formedness checker for the SVG tests (one
 * root, balanced tags, quoted attributes, valid entities) that counts the
 * <rect class="tile|core|bank"> cells. Included by one test program each.
 */
#ifndef TTLX_TEST_XML_CHECK_H
#define TTLX_TEST_XML_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct xml_counts {
    int tile, core, bank, elements;
    char error[160];
} xml_counts_t;

static bool xml_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == ':' || c == '.';
}

/* An entity reference at s ('&'): its length, 0 when invalid. */
static size_t xml_entity(const char *s) {
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (int i = 0; i < 5; i++)
        if (!strncmp(s, named[i], strlen(named[i]))) return strlen(named[i]);
    if (s[1] == '#') {
        size_t k = 2;
        while (s[k] >= '0' && s[k] <= '9')
            k++;
        return k > 2 && s[k] == ';' ? k + 1 : 0;
    }
    return 0;
}

/* Checks well-formedness (one root, balanced tags, quoted attributes,
 * valid entities, no stray '<' or '&') and counts <rect class="...">. */
static bool xml_check(const char *s, xml_counts_t *c) {
    memset(c, 0, sizeof *c);
    char stack[64][32];
    int depth = 0, roots = 0;
    size_t i = 0;
#define XML_FAIL(...)                                                                              \
    do {                                                                                           \
        snprintf(c->error, sizeof c->error, __VA_ARGS__);                                          \
        return false;                                                                              \
    } while (0)
    if (!strncmp(s, "<?xml", 5)) {
        const char *e = strstr(s, "?>");
        if (!e) XML_FAIL("unterminated declaration");
        i = (size_t)(e - s) + 2;
    }
    while (s[i]) {
        if (s[i] == '&') {
            size_t k = xml_entity(s + i);
            if (!k) XML_FAIL("bad entity at %zu", i);
            i += k;
            continue;
        }
        if (s[i] != '<') {
            if (depth == 0 && s[i] != '\n' && s[i] != ' ')
                XML_FAIL("text outside the root at %zu", i);
            i++;
            continue;
        }
        if (!strncmp(s + i, "<!--", 4)) {
            const char *e = strstr(s + i, "-->");
            if (!e) XML_FAIL("unterminated comment");
            i = (size_t)(e - s) + 3;
            continue;
        }
        bool closing = s[i + 1] == '/';
        i += closing ? 2 : 1;
        size_t n0 = i;
        while (xml_name_char(s[i]))
            i++;
        size_t nlen = i - n0;
        if (nlen == 0 || nlen >= 32) XML_FAIL("bad tag name at %zu", n0);
        if (closing) {
            while (s[i] == ' ')
                i++;
            if (s[i] != '>') XML_FAIL("bad closing tag at %zu", i);
            i++;
            if (depth == 0 || strlen(stack[depth - 1]) != nlen ||
                strncmp(stack[depth - 1], s + n0, nlen))
                XML_FAIL("mismatched </%.*s> at %zu", (int)nlen, s + n0, n0);
            depth--;
            continue;
        }
        bool rect = nlen == 4 && !strncmp(s + n0, "rect", 4);
        char cls[16] = "";
        for (;;) {
            while (s[i] == ' ' || s[i] == '\n')
                i++;
            if (s[i] == '>' || (s[i] == '/' && s[i + 1] == '>')) break;
            size_t a0 = i;
            while (xml_name_char(s[i]))
                i++;
            if (i == a0 || s[i] != '=' || (s[i + 1] != '"' && s[i + 1] != '\''))
                XML_FAIL("bad attribute at %zu", a0);
            char q = s[i + 1];
            size_t v0 = i + 2, v = v0;
            while (s[v] && s[v] != q) {
                if (s[v] == '<') XML_FAIL("'<' in an attribute at %zu", v);
                if (s[v] == '&' && !xml_entity(s + v))
                    XML_FAIL("bad entity in an attribute at %zu", v);
                v++;
            }
            if (!s[v]) XML_FAIL("unterminated attribute at %zu", a0);
            if (rect && i - a0 == 5 && !strncmp(s + a0, "class", 5) && v - v0 < sizeof cls)
                snprintf(cls, sizeof cls, "%.*s", (int)(v - v0), s + v0);
            i = v + 1;
        }
        c->elements++;
        if (depth == 0 && ++roots > 1) XML_FAIL("a second root element at %zu", n0);
        if (rect) {
            c->tile += !strcmp(cls, "tile");
            c->core += !strcmp(cls, "core");
            c->bank += !strcmp(cls, "bank");
        }
        if (s[i] == '/') {
            i += 2;
            continue;
        }
        i++;
        if (depth == 64) XML_FAIL("too deep");
        snprintf(stack[depth++], 32, "%.*s", (int)nlen, s + n0);
    }
    if (depth) XML_FAIL("<%s> is never closed", stack[depth - 1]);
    if (roots != 1) XML_FAIL("no root element");
    return true;
#undef XML_FAIL
}

#endif
