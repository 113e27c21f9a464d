/* libFuzzer target: what samla does with samlad's reply before any format reads it:
 * decoding, neutralizing its names, and turning a Compare's columns into each förbund's
 * values and targets (cols_expand). An input whose first byte is odd edits a valid reply
 * (three förbund, a money and a percent column with a year earlier, a target column) by
 * (position, byte) pairs, so that the fuzzer starts where a real reply is and walks away
 * from it; any other input is decoded as it is. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "samla/columns.h"
#include "samla/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *s_valid;
static size_t s_valid_len;

/* The valid reply, packed once. */
static void s_make_valid(void)
{
    static Samla__V1__MetricInfo mi[2], *mp[2];
    static Samla__V1__ForbundFigures f[3], *fp[3];
    static Samla__V1__ValueColumn v[2], p[2];
    static Samla__V1__MetricColumn col[2], *cp[2];
    static Samla__V1__TargetColumn tc;
    static Samla__V1__Target t, *tp = &t;
    static const char *const orgnr[] = {"222000-0001", "222000-0002", "222000-0003"};
    static uint8_t state[2][3] = {{COLS_VALUE, COLS_NULL, COLS_VALUE},
                                  {COLS_VALUE, COLS_SUPPRESSED, COLS_NULL}};
    static uint8_t pstate[3] = {COLS_VALUE, COLS_VALUE, COLS_VALUE};
    static int64_t ints[2] = {123456, -700}, pints[3] = {1, 2, 3};
    static double reals[1] = {12.5}, preals[3] = {1.5, 2.5, 3.5}, proj[1] = {400.0};
    static uint32_t which[3] = {1, 0, 1};
    static uint8_t verdict[3] = {COLS_MET, 0, COLS_AT_RISK};
    for (int i = 0; i < 3; i++) {
        samla__v1__forbund_figures__init(&f[i]);
        f[i].orgnr = (char *)orgnr[i];
        fp[i] = &f[i];
    }
    for (int i = 0; i < 2; i++) {
        samla__v1__metric_info__init(&mi[i]);
        mi[i].name = i ? "equity_ratio" : "result";
        mi[i].has_unit = 1;
        mi[i].unit = i ? SAMLA__V1__UNIT__PERCENT : SAMLA__V1__UNIT__KRONOR;
        mp[i] = &mi[i];
        samla__v1__value_column__init(&v[i]);
        samla__v1__value_column__init(&p[i]);
        v[i].state = (ProtobufCBinaryData){3, state[i]};
        p[i].state = (ProtobufCBinaryData){3, pstate};
        samla__v1__metric_column__init(&col[i]);
        col[i].values = &v[i];
        col[i].previous_year = &p[i];
        cp[i] = &col[i];
    }
    v[0].n_ints = 2;
    v[0].ints = ints;
    p[0].n_ints = 3;
    p[0].ints = pints;
    v[1].n_reals = 1;
    v[1].reals = reals;
    p[1].n_reals = 3;
    p[1].reals = preals;
    samla__v1__target__init(&t);
    t.metric = "result";
    t.direction = SAMLA__V1__TARGET_DIRECTION__AT_LEAST;
    t.scope = "all";
    samla__v1__target_column__init(&tc);
    tc.n_targets = 1;
    tc.targets = &tp;
    tc.n_which = 3;
    tc.which = which;
    tc.verdict = (ProtobufCBinaryData){3, verdict};
    tc.n_projection = 1;
    tc.projection = proj;
    col[0].targets = &tc;
    Samla__V1__Compare c = SAMLA__V1__COMPARE__INIT;
    c.period = "2025-03";
    c.n_forbund = 3;
    c.forbund = fp;
    c.n_columns = 2;
    c.columns = cp;
    Samla__V1__Reply r = SAMLA__V1__REPLY__INIT;
    r.compare = &c;
    r.n_metrics = 2;
    r.metrics = mp;
    s_valid = wire_pack(&r.base, &s_valid_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!s_valid)
        s_make_valid();
    uint8_t *buf = NULL;
    size_t len = size;
    const uint8_t *in = data;
    if (size > 0 && (data[0] & 1) && s_valid) {
        if (!(buf = malloc(s_valid_len)))
            return 0;
        memcpy(buf, s_valid, s_valid_len);
        for (size_t i = 1; i + 1 < size; i += 2)
            buf[data[i] % s_valid_len] = data[i + 1];
        in = buf;
        len = s_valid_len;
    }
    Samla__V1__Reply *r = samla__v1__reply__unpack(NULL, len, in);
    if (r) {
        wire_neutralize(&r->base);
        if (cols_expand(r->compare, r->metrics, r->n_metrics) == 0 && r->compare)
            for (size_t j = 0; j < r->compare->n_forbund; j++) /* read what it made */
                for (size_t i = 0; i < r->compare->forbund[j]->n_metrics; i++)
                    if (!r->compare->forbund[j]->metrics[i]->name)
                        abort();
        for (size_t i = 0; r->export && i < r->export->n_months; i++)
            cols_expand(r->export->months[i], r->metrics, r->n_metrics);
        samla__v1__reply__free_unpacked(r, NULL);
    }
    free(buf);
    return 0;
}
