/* zap: samlad's ZAP handler (RFC 27). It runs in the daemon's own poll loop on
 * inproc://zeromq.zap.01, bound before any CURVE socket binds, and admits a CURVE client
 * only when its public key is in the registry. The User-Id it returns is the key in Z85,
 * so that every message can be checked against the registry again (SIGHUP revokes). */
#ifndef SAMLA_ZAP_H
#define SAMLA_ZAP_H

#include "registry.h"

#define ZAP_DOMAIN "samla"

/* Binds the handler's socket in ctx. NULL with err on failure. */
void *zap_bind(void *ctx, samla_err_t *err);
/* Answers every pending request without blocking. */
void zap_handle(void *zap, const registry_t *reg);

#endif
