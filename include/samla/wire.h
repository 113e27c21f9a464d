/* wire: protobuf-c plumbing with bounds: a byte-budget allocator for decoding untrusted
 * input, content hashes and submission ids. */
#ifndef SAMLA_WIRE_H
#define SAMLA_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "samla/arena.h"

#include "samla.pb-c.h"
#include "samla/diag.h"

/* Largest frame either side accepts (ZMQ_MAXMSGSIZE too). */
#define WIRE_MAX_MSG (4 * 1024 * 1024)
/* protobuf-c can allocate tens of times its input; decoding stops past this. */
#define WIRE_DECODE_BUDGET (64 * 1024 * 1024)

/* Packs any message into a malloc'd buffer the caller frees. NULL when memory is gone. */
uint8_t *wire_pack(const ProtobufCMessage *msg, size_t *len);

/* Walks an encoded message with its descriptor before it is decoded, and refuses what the
 * decoder would accept silently: strings that are not UTF-8 or hold NUL bytes (protobuf-c
 * would cut them at the NUL), nesting deeper than `max_depth`, and malformed wire data.
 * Returns 0, or -1 with the reason in err. */
int wire_validate(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len,
                  int max_depth, samla_err_t *err);

/* Every string of a decoded message and its submessages, through text_neutralize: what a
 * peer sent stays text on a terminal, in a cell or a page. Returns how many characters
 * were replaced. */
size_t wire_neutralize(ProtobufCMessage *msg);
void wire_sha256(const uint8_t *data, size_t len, uint8_t out[32]);
void wire_hex(const uint8_t *data, size_t len, char *out); /* out: 2*len+1 */
/* A random (version 4) UUID, lower-case, 36 characters + NUL (CZMQ's zuuid). Returns 0,
 * or -1 when memory is gone. */
__attribute__((warn_unused_result)) int wire_uuid(char out[37]);
int wire_uuid_valid(const char *s);

#endif
