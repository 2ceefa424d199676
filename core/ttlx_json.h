/*
 * ttlx_json.h - reading JSON text into cJSON trees, fast. Includes only libc
 * and cJSON.
 */
#ifndef TTLX_JSON_H
#define TTLX_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Parses JSON text: strict JSON through ttlx's one-pass reader, anything
 * else through cJSON itself; either way the tree is the one
 * cJSON_ParseWithLengthOpts(text, len, end, false) builds. Caller frees it
 * with cJSON_Delete. NULL when the text is not JSON or memory runs out. */
cJSON *ttlx_json_read(const char *text, size_t len, const char **end);

#endif
