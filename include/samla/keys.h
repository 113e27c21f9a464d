/* keys: CURVE key files in ZeroMQ's certificate format (CZMQ zcert). */
#ifndef SAMLA_KEYS_H
#define SAMLA_KEYS_H

#include <stdio.h>

#include "samla/diag.h"

#define KEY_Z85_LEN 40

typedef struct {
    char public_txt[KEY_Z85_LEN + 1];
    char secret_txt[KEY_Z85_LEN + 1]; /* empty for a public-only key */
} keypair_t;

/* Writes NAME.key (public, 0644) and NAME.key_secret (secret, 0600). Refuses to overwrite. */
int keys_generate(const char *name, samla_err_t *err);
/* Loads the public key of a certificate file (public or secret). */
int keys_load_public(const char *path, keypair_t *kp, samla_err_t *err);
/* Loads a secret certificate; refuses one that group or others can read, as ssh does. */
int keys_load_secret(const char *path, keypair_t *kp, samla_err_t *err);
/* A short, stable name for a public key in logs: 16 hex digits of its SHA-256. */
void keys_fingerprint(const char *public_txt, char out[17]);
/* Prints "FINGERPRINT  PUBLIC-KEY  PATH" for a key file, as `fingerprint` commands do. */
int keys_print_fingerprint(const char *path, FILE *out, samla_err_t *err);

#endif
