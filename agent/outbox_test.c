/* outbox: what is queued stays queued, in push order, until it is acknowledged or
 * refused; what cannot be an entry is set aside with its reason, never sent or lost. */
#include <sys/stat.h>

#include "outbox.h"
#include "samla/wire.h"
#include "testutil.h"

/* A fresh outbox folder under the temp dir. */
static void s_box(const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", tu_dir, name);
    samla_err_t err;
    assert_int_equal(outbox_open(path, &err), 0);
}

/* Queues one submission for `period`; its id goes to id[37]. */
static void s_push(const char *box, const char *period, size_t max, char id[37], int want_rc)
{
    Samla__V1__Submission sub = SAMLA__V1__SUBMISSION__INIT;
    sub.orgnr = "222000-2048";
    sub.period = (char *)period;
    size_t len;
    uint8_t *push = outbox_envelope(&sub, id, &len);
    assert_non_null(push);
    assert_true(wire_uuid_valid(id));
    samla_err_t err;
    assert_int_equal(outbox_put(box, max, id, push, len, &err), want_rc);
    free(push);
}

static void test_order_and_removal(void **state)
{
    (void)state;
    char box[128], ids[3][37];
    s_box("order", box, sizeof box);
    s_push(box, "2025-01", 10, ids[0], 0);
    s_push(box, "2025-02", 10, ids[1], 0);
    s_push(box, "2025-03", 10, ids[2], 0);
    outbox_list_t l;
    samla_err_t err;
    assert_int_equal(outbox_list(box, &l, NULL, &err), 0);
    assert_int_equal(l.n, 3);
    for (size_t i = 0; i < 3; i++) { /* in push order, each with its own period */
        assert_string_equal(l.v[i].id, ids[i]);
        char period[8];
        outbox_entry_period(&l.v[i], period);
        char want[8];
        snprintf(want, sizeof want, "2025-0%zu", i + 1);
        assert_string_equal(period, want);
    }
    assert_true(l.v[0].seq < l.v[1].seq && l.v[1].seq < l.v[2].seq);
    /* an attempt is remembered beside the entry */
    assert_int_equal(outbox_note_attempt(box, &l.v[1], "no acknowledgement within 5 s"), 0);
    assert_int_equal(outbox_remove(box, l.v[0].name, &err), 0);
    assert_int_equal(outbox_reject(box, l.v[2].name, "period is in the future", &err), 0);
    outbox_list_free(&l);
    assert_int_equal(outbox_list(box, &l, NULL, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].id, ids[1]);
    assert_int_equal(l.v[0].attempts, 1);
    assert_string_equal(l.v[0].last_error, "no acknowledgement within 5 s");
    outbox_list_free(&l);
    /* the refused one is kept in rejected/, with why */
    char path[300];
    snprintf(path, sizeof path, "%s/rejected", box);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
}

static void test_full_outbox_refuses_new_work(void **state)
{
    (void)state;
    char box[128], id[37];
    s_box("full", box, sizeof box);
    s_push(box, "2025-01", 2, id, 0);
    s_push(box, "2025-02", 2, id, 0);
    s_push(box, "2025-03", 2, id, -1); /* refused: nothing dropped to make room */
    outbox_list_t l;
    samla_err_t err;
    assert_int_equal(outbox_list(box, &l, NULL, &err), 0);
    assert_int_equal(l.n, 2);
    outbox_list_free(&l);
}

static void test_damaged_entries_set_aside(void **state)
{
    (void)state;
    char box[128], id[37];
    s_box("damaged", box, sizeof box);
    s_push(box, "2025-01", 10, id, 0);
    /* an entry that is not a Push, and one whose name says another id than it holds */
    char path[300];
    snprintf(path, sizeof path, "%s/00000000000000000099-00000000-0000-4000-8000-000000000001.push",
             box);
    FILE *fp = fopen(path, "w");
    fputs("not a push", fp);
    fclose(fp);
    outbox_list_t l;
    samla_err_t err;
    diag_t *notes = diag_new();
    assert_int_equal(outbox_list(box, &l, notes, &err), 0);
    assert_int_equal(l.n, 1); /* the good one still listed */
    assert_string_equal(l.v[0].id, id);
    assert_int_equal(diag_warnings(notes), 1);
    char *text = tu_diag_text(notes);
    assert_non_null(strstr(text, "rejected"));
    free(text);
    diag_destroy(&notes);
    outbox_list_free(&l);
    /* moved, not deleted */
    snprintf(path, sizeof path,
             "%s/rejected/00000000000000000099-00000000-0000-4000-8000-000000000001.push", box);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_removal),
        cmocka_unit_test(test_full_outbox_refuses_new_work),
        cmocka_unit_test(test_damaged_entries_set_aside),
    };
    return cmocka_run_group_tests(tests, tu_dir_make, tu_dir_remove);
}
