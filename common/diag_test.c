/* diag: problems collected with file:line, printed as the user reads them. */
#include "samla/diag.h"
#include "testutil.h"

static void test_diag(void **state)
{
    (void)state;
    diag_t *d = diag_new();
    assert_int_equal(diag_add(d, DIAG_ERROR, "f.se", 12, "bad %s", "thing"), -1);
    assert_int_equal(diag_add(d, DIAG_WARNING, "f.se", 0, "odd"), 0);
    for (int i = 0; i < 300; i++)
        diag_add(d, DIAG_ERROR, "f.se", (size_t)i + 1, "again");
    assert_int_equal(diag_errors(d), 301);
    char *text = tu_diag_text(d);
    assert_non_null(strstr(text, "t: f.se:12: bad thing\n"));
    assert_non_null(strstr(text, "t: f.se: warning: odd\n"));
    assert_non_null(strstr(text, "more problems not shown"));
    free(text);
    diag_destroy(&d);
    assert_null(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
