/*
 * ttlx_place.h - placement queries on an inference result: which DRAM bank
 * or core holds a tile of a buffer, how many tiles and which shards a core
 * or bank holds. O(1) or O(rank) per call from closed-form arithmetic;
 * nothing per tile is ever materialised. (ttlx_infer.h includes this.)
 */
#ifndef TTLX_PLACE_H
#define TTLX_PLACE_H

#include "ttlx_base.h"

typedef struct ttlx_result ttlx_result_t;

/* Where one tile lives. */
typedef struct ttlx_place {
    bool dram;      /* in a DRAM bank (bank), else on core (x, y) */
    int bank;       /* DRAM bank or L1 bank index */
    int x, y;       /* core, -1 in DRAM */
    int64_t shard;  /* shard index, -1 when interleaved */
    int64_t slot;   /* page slot in the bank / shard slot on the core */
    int64_t offset; /* tile offset within the shard (sharded; INT64_MAX past 2^63) */
    bool padding;   /* the tile reaches past the logical tensor */
    bool uncovered; /* sharded: no shard covers this tile (TTL008) */
} ttlx_place_t;

/* Places the tile at (row, col) of buffer i's 2-D tile view. False when
 * out of range or the buffer has no placement. O(rank). */
bool ttlx_place_tile(const ttlx_result_t *r, size_t i, int64_t row, int64_t col, ttlx_place_t *out);
/* Tiles of buffer i held by core (x, y) (L1) or DRAM bank x (y = -1). */
int64_t ttlx_place_count_on(const ttlx_result_t *r, size_t i, int x, int y);
/* Shard indices on core (x, y): writes up to cap, returns the total. */
int64_t ttlx_place_shards_on(const ttlx_result_t *r, size_t i, int x, int y, int64_t *out,
                             size_t cap);

#endif
