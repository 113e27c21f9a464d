#include "format.h"

#include <string.h>
#include <sysexits.h>

/* The formats, in the order --help lists them; each is defined in its fmt_*.c file. */
extern const format_t format_table, format_csv, format_csv_sv, format_json, format_xlsx,
    format_html;
static const format_t *const s_formats[] = {&format_table, &format_csv, &format_csv_sv,
                                            &format_json, &format_xlsx, &format_html};
#define N_FORMATS (sizeof s_formats / sizeof s_formats[0])

const format_t *format_find(const char *name)
{
    for (size_t i = 0; name && i < N_FORMATS; i++)
        if (strcmp(s_formats[i]->name, name) == 0)
            return s_formats[i];
    return NULL;
}

const format_t *format_at(size_t i)
{
    return i < N_FORMATS ? s_formats[i] : NULL;
}

bool format_writes(const format_t *f, Samla__V1__QueryKind kind)
{
    switch (kind) {
#define F_HAS(KIND, name, Type, metrics)                                                   \
    case SAMLA__V1__QUERY_KIND__QUERY_##KIND:                                              \
        return f->name != NULL;
        QUERY_KINDS(F_HAS)
#undef F_HAS
    default:
        return false;
    }
}

void format_names(Samla__V1__QueryKind kind, char *buf, size_t size)
{
    size_t n = 0, len = 0, total = 0;
    for (size_t i = 0; i < N_FORMATS; i++)
        total += format_writes(s_formats[i], kind);
    buf[0] = '\0';
    for (size_t i = 0; i < N_FORMATS && len < size; i++) {
        if (!format_writes(s_formats[i], kind))
            continue;
        const char *sep = n == 0 ? "" : n + 1 == total ? " or " : ", ";
        int k = snprintf(buf + len, size - len, "%s%s", sep, s_formats[i]->name);
        len += k > 0 ? (size_t)k : 0;
        n++;
    }
}

int format_write(const format_t *f, const fmt_opts_t *o, Samla__V1__QueryKind kind,
                 const Samla__V1__Reply *reply, const char *prog)
{
    fmt_w_t w = {o, NULL};
    samla_err_t err;
    switch (kind) {
#define F_WRITE(KIND, name, Type, metrics)                                                 \
    case SAMLA__V1__QUERY_KIND__QUERY_##KIND:                                              \
        if (!reply->name || !f->name)                                                      \
            break;                                                                         \
        if (f->open && f->open(&w, &err))                                                  \
            goto fail;                                                                     \
        f->name(&w, reply->name);                                                          \
        if (f->close && f->close(&w, &err))                                                \
            goto fail;                                                                     \
        return 0;
        QUERY_KINDS(F_WRITE)
#undef F_WRITE
    default:
        break;
    }
    err_print(prog, "samlad's reply holds no answer to this question\n");
    return EX_PROTOCOL;
fail:
    err_print(prog, "%s\n", err.msg);
    return EX_CANTCREAT;
}
