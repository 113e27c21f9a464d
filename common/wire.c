#include "samla/wire.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each block carries its size in front so that free can give the budget back. */
typedef union {
    size_t size;
    max_align_t align;
} s_header_t;

static void *s_alloc(void *data, size_t size)
{
    wire_alloc_t *a = data;
    if (size > a->limit || a->used > a->limit - size ||
        a->limit - a->used - size < sizeof(s_header_t))
        return NULL;
    s_header_t *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    a->used += size + sizeof *h;
    return h + 1;
}

static void s_free(void *data, void *p)
{
    if (!p)
        return;
    wire_alloc_t *a = data;
    s_header_t *h = (s_header_t *)p - 1;
    a->used -= h->size + sizeof *h;
    free(h);
}

void wire_alloc_init(wire_alloc_t *a, size_t limit)
{
    a->pa.alloc = s_alloc;
    a->pa.free = s_free;
    a->pa.allocator_data = a;
    a->used = 0;
    a->limit = limit;
}

uint8_t *wire_pack(const ProtobufCMessage *msg, size_t *len)
{
    size_t n = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        return NULL;
    *len = protobuf_c_message_pack(msg, buf);
    return buf;
}

void wire_sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
    crypto_hash_sha256(out, data, len);
}

void wire_hex(const uint8_t *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

void wire_uuid(char out[37])
{
    uint8_t b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0F) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
    char hex[33];
    wire_hex(b, 16, hex);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

int wire_uuid_valid(const char *s)
{
    if (!s || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}
