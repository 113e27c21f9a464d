/* keys: the CURVE key pairs each agent and samlad hold. A pair is written with the secret
 * readable by its owner only and never over an existing key; a secret file others may
 * read is refused, as ssh refuses one; a public file is not taken for a secret one. */
#include <sys/stat.h>

#include "samla/keys.h"
#include "testutil.h"

static void s_name(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", tu_dir, name);
}

static void test_generate_and_load(void **state)
{
    (void)state;
    char base[128], pub[160], sec[160];
    s_name("fyrbodal", base, sizeof base);
    snprintf(pub, sizeof pub, "%s.key", base);
    snprintf(sec, sizeof sec, "%s.key_secret", base);
    samla_err_t err;
    assert_int_equal(keys_generate(base, &err), 0);
    struct stat st;
    assert_int_equal(stat(sec, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(pub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    keypair_t a, b;
    assert_int_equal(keys_load_secret(sec, &a, &err), 0);
    assert_int_equal(strlen(a.secret_txt), KEY_Z85_LEN);
    assert_int_equal(keys_load_public(pub, &b, &err), 0);
    assert_string_equal(a.public_txt, b.public_txt); /* one pair */
    assert_string_equal(b.secret_txt, "");
    /* a second keygen under the same name would lock the agent out: refused */
    assert_int_equal(keys_generate(base, &err), -1);
    assert_non_null(strstr(err.msg, "already exists; not overwriting a key"));
    keypair_t again;
    assert_int_equal(keys_load_secret(sec, &again, &err), 0);
    assert_string_equal(again.secret_txt, a.secret_txt);
}

static void test_refusals(void **state)
{
    (void)state;
    char base[128], pub[160], sec[160], junk[160];
    s_name("sjuhärad", base, sizeof base);
    snprintf(pub, sizeof pub, "%s.key", base);
    snprintf(sec, sizeof sec, "%s.key_secret", base);
    samla_err_t err;
    assert_int_equal(keys_generate(base, &err), 0);
    keypair_t kp;
    assert_int_equal(keys_load_secret(pub, &kp, &err), -1); /* mode 0644 */
    assert_non_null(strstr(err.msg, "accessible by others (mode 0644); run chmod 600"));
    /* the public file alone, with no .key_secret beside it for CZMQ to find */
    char lone[160];
    s_name("lone.key", lone, sizeof lone);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod 600 '%s'", pub, lone, lone);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(keys_load_secret(lone, &kp, &err), -1);
    assert_non_null(strstr(err.msg, "has no secret-key (is it the public .key file?)"));
    assert_int_equal(chmod(sec, 0640), 0);
    assert_int_equal(keys_load_secret(sec, &kp, &err), -1);
    assert_non_null(strstr(err.msg, "mode 0640"));
    s_name("notakey.txt", junk, sizeof junk);
    FILE *fp = fopen(junk, "w");
    fputs("hello\n", fp);
    fclose(fp);
    assert_int_equal(keys_load_public(junk, &kp, &err), -1);
    assert_non_null(strstr(err.msg, "notakey.txt is not a ZeroMQ certificate file"));
    s_name("missing.key", junk, sizeof junk);
    assert_int_equal(keys_load_public(junk, &kp, &err), -1);
    assert_non_null(strstr(err.msg, "No such file or directory"));
}

static void test_fingerprint(void **state)
{
    (void)state;
    char a[17], b[17];
    keys_fingerprint("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", a);
    keys_fingerprint("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", b);
    assert_int_equal(strlen(a), 16);
    assert_string_equal(a, b);
    assert_int_equal(strspn(a, "0123456789abcdef"), 16);
    keys_fingerprint("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID", b);
    assert_string_not_equal(a, b);
    /* printed as "FINGERPRINT  PUBLIC-KEY  PATH" */
    char base[128], pub[160];
    s_name("print", base, sizeof base);
    snprintf(pub, sizeof pub, "%s.key", base);
    samla_err_t err;
    assert_int_equal(keys_generate(base, &err), 0);
    keypair_t kp;
    assert_int_equal(keys_load_public(pub, &kp, &err), 0);
    keys_fingerprint(kp.public_txt, a);
    char line[256], want[256];
    FILE *mem = fmemopen(line, sizeof line, "w");
    assert_int_equal(keys_print_fingerprint(pub, mem, &err), 0);
    fclose(mem);
    snprintf(want, sizeof want, "%s  %s  %s\n", a, kp.public_txt, pub);
    assert_string_equal(line, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_and_load),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_fingerprint),
    };
    return cmocka_run_group_tests(tests, tu_dir_make, tu_dir_remove);
}
