#include "samla/keys.h"

#include <czmq.h>
#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "samla/text.h"

int keys_generate(const char *name, samla_err_t *err)
{
    char pub_path[4096], sec_path[4096];
    if (text_fmt(pub_path, sizeof pub_path, "%s.key", name) ||
        text_fmt(sec_path, sizeof sec_path, "%s.key_secret", name))
        return err_set(err, "key name too long: %s", name);
    if (access(pub_path, F_OK) == 0 || access(sec_path, F_OK) == 0)
        return err_set(err, "%s or %s already exists; not overwriting a key", pub_path,
                       sec_path);
    zcert_t *cert = zcert_new();
    if (!cert)
        return err_set(err, "cannot create a key pair");
    zcert_set_meta(cert, "name", "%s", name);
    /* The secret file must never exist with a looser mode, not even for a moment. */
    mode_t old = umask(077);
    int rc = zcert_save(cert, pub_path);
    umask(old);
    zcert_destroy(&cert);
    if (rc != 0)
        return err_set(err, "cannot write %s: %s", pub_path, strerror(errno));
    if (chmod(pub_path, 0644) != 0 || chmod(sec_path, 0600) != 0)
        return err_set(err, "cannot set the mode of %s: %s", pub_path, strerror(errno));
    return 0;
}

static int s_load(const char *path, keypair_t *kp, int want_secret, samla_err_t *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(err, "cannot read key file %s: %s", path, strerror(errno));
    if (want_secret && (st.st_mode & 077))
        return err_set(err, "secret key file %s is accessible by others (mode %04o); "
                            "run chmod 600 %s",
                       path, (unsigned)(st.st_mode & 0777), path);
    /* As ssh does for its private keys: a secret that another user owns (and so could
     * have written, or could read) is not ours to trust, whatever its mode. */
    if (want_secret && st.st_uid != geteuid())
        return err_set(err, "secret key file %s belongs to user %u, not to the user running "
                            "this program (%u); chown it or run as its owner",
                       path, (unsigned)st.st_uid, (unsigned)geteuid());
    zcert_t *cert = zcert_load(path);
    if (!cert)
        return err_set(err, "%s is not a ZeroMQ certificate file", path);
    const char *pub = zcert_public_txt(cert);
    const char *sec = zcert_secret_txt(cert);
    int rc = 0;
    if (!pub || strlen(pub) != KEY_Z85_LEN) {
        rc = err_set(err, "%s has no valid public-key", path);
    } else if (want_secret && (!sec || strlen(sec) != KEY_Z85_LEN ||
                               strcmp(sec, "0000000000000000000000000000000000000000") == 0)) {
        rc = err_set(err, "%s has no secret-key (is it the public .key file?)", path);
    } else {
        memcpy(kp->public_txt, pub, KEY_Z85_LEN + 1);
        if (want_secret)
            memcpy(kp->secret_txt, sec, KEY_Z85_LEN + 1);
        else
            kp->secret_txt[0] = '\0';
    }
    zcert_destroy(&cert);
    return rc;
}

int keys_load_public(const char *path, keypair_t *kp, samla_err_t *err)
{
    return s_load(path, kp, 0, err);
}

int keys_load_secret(const char *path, keypair_t *kp, samla_err_t *err)
{
    return s_load(path, kp, 1, err);
}

void keys_fingerprint(const char *public_txt, char out[17])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)public_txt, strlen(public_txt));
    sodium_bin2hex(out, 17, h, 8);
}

int keys_print_fingerprint(const char *path, FILE *out, samla_err_t *err)
{
    keypair_t kp;
    char fp[17];
    if (keys_load_public(path, &kp, err))
        return -1;
    keys_fingerprint(kp.public_txt, fp);
    fprintf(out, "%s  %s  %s\n", fp, kp.public_txt, path);
    return 0;
}
