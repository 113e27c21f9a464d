/* arena: memory carved out of a few large chunks and given back all at once. One serves
 * protobuf-c while it decodes a message (through `pa`), another holds every part of a
 * reply samlad builds; neither has a free path of its own to get wrong. */
#ifndef SAMLA_ARENA_H
#define SAMLA_ARENA_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct arena_chunk_s arena_chunk_t;

typedef struct {
    ProtobufCAllocator pa; /* pass &a->pa to protobuf-c; the same one to free (a no-op) */
    size_t used, limit;    /* bytes handed out, against the budget */
    arena_chunk_t *chunks; /* owned; the first is the one being filled */
    arena_chunk_t *spare;  /* owned; kept by arena_reset for the next message */
    size_t keep;           /* bytes of chunks arena_reset keeps (arena_keep) */
    bool failed;           /* an allocation was refused: over the budget or out of memory */
} arena_t;

/* An empty arena that hands out at most `limit` bytes (SIZE_MAX: no budget). */
void arena_init(arena_t *a, size_t limit);

/* n elements of `size` bytes, zeroed and aligned for any type. NULL (and a->failed) when
 * n * size overflows, the budget is spent or memory is gone; every later call fails too,
 * so a builder may check a->failed once at its end. */
void *arena_alloc(arena_t *a, size_t n, size_t size);

/* Room for element n of a growing array v of `size`-byte elements with capacity *cap:
 * v itself while there is room; when full, a twice larger array (`first` elements at
 * first) carved out with the n elements copied into it (the old one stays in the arena
 * until release). NULL as arena_alloc fails (v is kept as it was). */
void *arena_grow(arena_t *a, void *v, size_t n, size_t *cap, size_t size, size_t first);

/* A copy of s in the arena (NULL as arena_alloc). */
char *arena_strdup(arena_t *a, const char *s);

/* Gives every chunk back; the arena can be used again. */
void arena_release(arena_t *a);

/* Like release, but keeps chunks for the next message, up to the arena's `keep` (one
 * ordinary chunk unless arena_keep said more): a daemon that decodes or answers one
 * message after another does not go back to malloc, and to the kernel's page faults, for
 * each. */
void arena_reset(arena_t *a);
/* How many bytes of chunks arena_reset keeps from now on. */
void arena_keep(arena_t *a, size_t bytes);

#endif
