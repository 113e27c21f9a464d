/* arena: see samla/arena.h. */
#include "samla/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An ordinary chunk; a request larger than a quarter of it gets a chunk of its own, put
 * behind the one being filled so that the space left there is not lost. */
#define ARENA_CHUNK (64 * 1024)
#define ARENA_ALIGN (_Alignof(max_align_t))

struct arena_chunk_s {
    arena_chunk_t *next;
    size_t size, used;
    max_align_t data[];
};

static arena_chunk_t *s_chunk(size_t cap)
{
    arena_chunk_t *c = malloc(sizeof *c + cap);
    if (c) {
        c->size = cap;
        c->used = 0;
        c->next = NULL;
    }
    return c;
}

/* A kept chunk of at least `cap` bytes and at most twice that (the smallest), out of the
 * spares; else a new one. NULL when memory is gone. */
static arena_chunk_t *s_reuse(arena_t *a, size_t cap)
{
    arena_chunk_t **best = NULL;
    for (arena_chunk_t **p = &a->spare; *p; p = &(*p)->next)
        if ((*p)->size >= cap && (*p)->size / 2 <= cap && (!best || (*p)->size < (*best)->size))
            best = p;
    if (!best)
        return s_chunk(cap);
    arena_chunk_t *c = *best;
    *best = c->next;
    c->next = NULL;
    c->used = 0;
    return c;
}

/* Room for `need` bytes (a multiple of ARENA_ALIGN), or NULL. */
static void *s_take(arena_t *a, size_t need)
{
    arena_chunk_t *c = a->chunks;
    if (c && c->size - c->used >= need) {
        void *p = (char *)c->data + c->used;
        c->used += need;
        return p;
    }
    if (need > ARENA_CHUNK / 4) {
        arena_chunk_t *big = s_reuse(a, need);
        if (!big)
            return NULL;
        big->used = need;
        if (c) { /* behind the current chunk, which goes on filling */
            big->next = c->next;
            c->next = big;
        } else {
            a->chunks = big;
        }
        return big->data;
    }
    if (!(c = s_reuse(a, ARENA_CHUNK)))
        return NULL;
    c->next = a->chunks;
    a->chunks = c;
    c->used = need;
    return c->data;
}

void *arena_alloc(arena_t *a, size_t n, size_t size)
{
    if (a->failed || (size && n > (SIZE_MAX - ARENA_ALIGN) / size)) {
        a->failed = true;
        return NULL;
    }
    size_t bytes = n * size;
    size_t need = (bytes + ARENA_ALIGN) / ARENA_ALIGN * ARENA_ALIGN; /* >= 1 byte, aligned */
    if (need > a->limit || a->used > a->limit - need) {
        a->failed = true;
        return NULL;
    }
    void *p = s_take(a, need);
    if (!p) {
        a->failed = true;
        return NULL;
    }
    a->used += need;
    memset(p, 0, bytes);
    return p;
}

char *arena_strdup(arena_t *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(a, n, 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

static void *s_pb_alloc(void *data, size_t size)
{
    return arena_alloc(data, 1, size); /* NULL: protobuf-c gives up on the message */
}

static void s_pb_free(void *data, void *p)
{
    (void)data; /* the arena gives everything back at once */
    (void)p;
}

void arena_init(arena_t *a, size_t limit)
{
    a->pa.alloc = s_pb_alloc;
    a->pa.free = s_pb_free;
    a->pa.allocator_data = a;
    a->used = 0;
    a->limit = limit;
    a->chunks = a->spare = NULL;
    a->keep = ARENA_CHUNK;
    a->failed = false;
}

static void s_free_list(arena_chunk_t *c)
{
    while (c) {
        arena_chunk_t *next = c->next;
        free(c);
        c = next;
    }
}

void arena_release(arena_t *a)
{
    s_free_list(a->chunks);
    s_free_list(a->spare);
    a->chunks = a->spare = NULL;
    a->used = 0;
    a->failed = false;
}

void arena_reset(arena_t *a)
{
    size_t kept = 0;
    for (arena_chunk_t *c = a->spare; c; c = c->next)
        kept += c->size;
    while (a->chunks) {
        arena_chunk_t *c = a->chunks;
        a->chunks = c->next;
        if (kept + c->size <= a->keep) {
            kept += c->size;
            c->next = a->spare;
            a->spare = c;
        } else {
            free(c);
        }
    }
    a->used = 0;
    a->failed = false;
}

void arena_keep(arena_t *a, size_t bytes)
{
    a->keep = bytes;
}

void *arena_grow(arena_t *a, void *v, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return v;
    if (*cap > SIZE_MAX / 2 / (size ? size : 1)) {
        a->failed = true;
        return NULL;
    }
    size_t want = *cap ? 2 * *cap : (first ? first : 1);
    void *w = arena_alloc(a, want, size);
    if (!w)
        return NULL;
    if (n)
        memcpy(w, v, n * size);
    *cap = want;
    return w;
}
