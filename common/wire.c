#include "samla/wire.h"

#include "samla/text.h"

#include <czmq.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    sodium_bin2hex(out, 2 * len + 1, data, len);
}

int wire_uuid(char out[37])
{
    zuuid_t *u = zuuid_new(); /* random (version 4), lower case in canonical form */
    if (!u)
        return -1;
    snprintf(out, 37, "%s", zuuid_str_canonical(u));
    zuuid_destroy(&u);
    return wire_uuid_valid(out) ? 0 : -1;
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

/* Reads a varint at *pos; returns -1 when it runs past the end or over 10 bytes. */
static int s_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (*pos >= len)
            return -1;
        uint8_t b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

int wire_validate(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len,
                  int max_depth, samla_err_t *err)
{
    if (max_depth < 0)
        return err_set(err, "%s: nested too deep", desc->name);
    size_t pos = 0;
    while (pos < len) {
        uint64_t key, n;
        if (s_varint(data, len, &pos, &key))
            return err_set(err, "%s: malformed field key", desc->name);
        unsigned number = (unsigned)(key >> 3), type = (unsigned)(key & 7);
        if (number == 0 || key >> 3 > 0x1FFFFFFF)
            return err_set(err, "%s: field number %llu is invalid", desc->name,
                           (unsigned long long)(key >> 3));
        switch (type) {
        case 0:
            if (s_varint(data, len, &pos, &n))
                return err_set(err, "%s: malformed varint", desc->name);
            break;
        case 1:
        case 5:
            if (len - pos < (type == 1 ? 8u : 4u))
                return err_set(err, "%s: cut short", desc->name);
            pos += type == 1 ? 8 : 4;
            break;
        case 2: {
            if (s_varint(data, len, &pos, &n) || n > len - pos)
                return err_set(err, "%s: a length runs past the end", desc->name);
            const ProtobufCFieldDescriptor *f =
                protobuf_c_message_descriptor_get_field(desc, number);
            const uint8_t *sub = data + pos;
            if (f && f->type == PROTOBUF_C_TYPE_STRING &&
                !text_utf8_valid((const char *)sub, (size_t)n))
                return err_set(err, "%s.%s is not UTF-8 or holds a NUL byte", desc->name,
                               f->name);
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
                wire_validate(f->descriptor, sub, (size_t)n, max_depth - 1, err))
                return -1;
            pos += (size_t)n;
            break;
        }
        default:
            return err_set(err, "%s: wire type %u is not allowed", desc->name, type);
        }
    }
    return 0;
}

/* One field's strings and submessages (count values at `at`). */
static size_t s_neutralize_field(const ProtobufCFieldDescriptor *f, void *at, size_t count)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (f->type == PROTOBUF_C_TYPE_STRING)
            n += text_neutralize(((char **)at)[i]);
        else if (f->type == PROTOBUF_C_TYPE_MESSAGE && ((ProtobufCMessage **)at)[i])
            n += wire_neutralize(((ProtobufCMessage **)at)[i]);
    }
    return n;
}

size_t wire_neutralize(ProtobufCMessage *msg)
{
    size_t n = 0;
    const ProtobufCMessageDescriptor *d = msg->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        char *base = (char *)msg + f->offset;
        if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED)
            n += s_neutralize_field(f, *(void **)base,
                                    *(size_t *)((char *)msg + f->quantifier_offset));
        else
            n += s_neutralize_field(f, base, 1);
    }
    return n;
}
