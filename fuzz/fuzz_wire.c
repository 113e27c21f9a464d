/* libFuzzer target: what samlad does with a submission frame before storing it: wire
 * validation, decoding with a byte budget, the sender and semantic checks. An odd first
 * byte makes the rest a Submission body wrapped in a Push with the right hash, so that the
 * fuzzer reaches the checks behind the hash as well. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "samla/log.h"
#include "samla/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static registry_t *s_reg;
static ingest_t *s_in;
static const char KEY[] = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!s_reg) {
        log_init("fuzz_wire", 0, LOG_LVL_ERROR);
        member_t m = {.role = ROLE_FORBUND, .orgnr = "222000-9993", .name = "Fuzz"};
        memcpy(m.public_txt, KEY, sizeof KEY);
        s_reg = registry_of(NULL, &m, 1);
        s_in = ingest_new(); /* kept for the whole run, as samlad keeps its own */
    }
    ingest_verdict_t v = {0};
    if (size > 0 && (data[0] & 1)) {
        uint8_t hash[32];
        wire_sha256(data + 1, size - 1, hash);
        Samla__V1__Push p = SAMLA__V1__PUSH__INIT;
        p.id = "0b5e7f4c-1d2a-4c3b-8e9f-0a1b2c3d4e5f";
        p.sha256 = (ProtobufCBinaryData){32, hash};
        p.body = (ProtobufCBinaryData){size - 1, (uint8_t *)data + 1};
        size_t len;
        uint8_t *buf = wire_pack((const ProtobufCMessage *)&p, &len);
        if (buf)
            ingest_check(s_in, buf, len, KEY, s_reg, &v);
        free(buf);
    } else {
        ingest_check(s_in, data, size, KEY, s_reg, &v);
    }
    ingest_release(&v);
    return 0;
}
