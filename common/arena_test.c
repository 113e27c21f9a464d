/* arena: zeroed parts, the budget, overflow, large parts and reuse. */
#include <stdint.h>

#include "samla/arena.h"
#include "testutil.h"

static void test_parts_are_zeroed_and_aligned(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a, SIZE_MAX);
    for (int i = 0; i < 5000; i++) { /* several chunks */
        uint64_t *p = arena_alloc(&a, 3, sizeof *p);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        assert_true(p[0] == 0 && p[1] == 0 && p[2] == 0);
        p[0] = p[1] = p[2] = UINT64_MAX;
    }
    char *s = arena_strdup(&a, "Samordningsförbundet Väst");
    assert_string_equal(s, "Samordningsförbundet Väst");
    assert_false(a.failed);
    arena_release(&a);
    assert_null(a.chunks);
    assert_int_equal(a.used, 0);
}

static void test_budget_and_overflow(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a, 1000);
    assert_non_null(arena_alloc(&a, 1, 900));
    assert_null(arena_alloc(&a, 1, 200)); /* over the budget */
    assert_true(a.failed);
    assert_null(arena_alloc(&a, 1, 1)); /* and stays failed until released */
    arena_release(&a);
    assert_false(a.failed);
    arena_init(&a, SIZE_MAX);
    assert_null(arena_alloc(&a, SIZE_MAX / 2, 4)); /* n * size overflows */
    assert_true(a.failed);
    arena_release(&a);
}

static void test_large_part_keeps_the_chunk(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a, SIZE_MAX);
    char *small = arena_alloc(&a, 1, 100);
    char *big = arena_alloc(&a, 1, 1 << 20);
    char *next = arena_alloc(&a, 1, 100);
    assert_non_null(big);
    memset(big, 'x', 1 << 20);
    /* the small parts share the first chunk; the large one has its own */
    assert_true(next > small && next - small < 1024);
    arena_reset(&a);
    assert_null(a.chunks);
    assert_non_null(a.spare);       /* one ordinary chunk kept for the next message */
    assert_int_equal(a.used, 0);
    assert_ptr_equal(arena_alloc(&a, 1, 100), small); /* reused from its start */
    arena_release(&a);
}

/* With room to keep more, a reply's large parts come back at the next reset: the same
 * memory, zeroed again, for a part of about the same size only. */
static void test_keep_reuses_large_chunks(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a, SIZE_MAX);
    arena_keep(&a, 4 << 20);
    unsigned char *big = arena_alloc(&a, 1, 1 << 20);
    assert_non_null(big);
    memset(big, 0xff, 1 << 20);
    arena_reset(&a);
    unsigned char *again = arena_alloc(&a, 1, (1 << 20) - 4096);
    assert_ptr_equal(again, big);
    for (size_t i = 0; i < (1 << 20) - 4096; i += 4093)
        assert_int_equal(again[i], 0);
    arena_reset(&a);
    unsigned char *smaller = arena_alloc(&a, 1, 100 * 1024); /* under half: a chunk of its own */
    assert_non_null(smaller);
    assert_ptr_not_equal(smaller, big);
    assert_true(a.used >= 100 * 1024 && a.used < 100 * 1024 + 64);
    arena_release(&a);
    assert_null(a.spare);
    assert_null(a.chunks);
}

/* protobuf-c through the arena: what it decodes is freed with the arena. */
/* A growing array keeps its elements and doubles; past the budget it fails and keeps
 * what it had. */
static void test_grow(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a, 4096);
    int *v = NULL;
    size_t cap = 0, n = 0;
    for (; n < 100; n++) {
        int *w = arena_grow(&a, v, n, &cap, sizeof *v, 4);
        assert_non_null(w);
        v = w;
        v[n] = (int)n * 3;
    }
    assert_int_equal(cap, 128);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], (int)i * 3);
    int *over = NULL;
    for (; n < 100000 && (over = arena_grow(&a, v, n, &cap, sizeof *v, 4)); n++)
        v = over, v[n] = 1;
    assert_null(over); /* the 4096-byte budget ends it */
    assert_true(a.failed);
    assert_int_equal(v[99], 297);
    arena_release(&a);
}

static void test_protobuf_allocator(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a, SIZE_MAX);
    char *p = a.pa.alloc(a.pa.allocator_data, 40);
    assert_non_null(p);
    a.pa.free(a.pa.allocator_data, p); /* a no-op: still counted */
    assert_true(a.used >= 40);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_are_zeroed_and_aligned),
        cmocka_unit_test(test_budget_and_overflow),
        cmocka_unit_test(test_large_part_keeps_the_chunk),
        cmocka_unit_test(test_keep_reuses_large_chunks),
        cmocka_unit_test(test_protobuf_allocator),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
