/* querykinds: the one list of query kinds. A kind is a row: the wire enum's name
 * (samla.v1.QueryKind QUERY_<KIND>), samla's command and samlad's builder (qry_<name>),
 * which fills the Reply field of the same name, and which metric descriptions ride along
 * in the reply's catalogue. samlad's dispatch and catalogue (daemon/query.c) are made
 * from it; a new kind is a row here, a value of the enum and a field of the Reply
 * (proto/samla.proto), its builder (daemon/query_<name>.c) and samla's command. */
#ifndef SAMLA_QUERYKINDS_H
#define SAMLA_QUERYKINDS_H

/* Which metric descriptions (MetricInfo) a reply carries. */
typedef enum {
    QK_METRICS_NONE,  /* the reply names no metric */
    QK_METRICS_ASKED, /* the one asked for with --metric, else every metric */
    QK_METRICS_ALL,   /* every metric */
} qk_metrics_t;

/* X(KIND, name, metrics) */
#define QUERY_KINDS(X)                                                                     \
    X(COMPARE, compare, QK_METRICS_ASKED)                                                  \
    X(STATUS, status, QK_METRICS_NONE)                                                     \
    X(TREND, trend, QK_METRICS_ASKED)                                                      \
    X(EXPORT, export, QK_METRICS_ALL)                                                      \
    X(AREAS, areas, QK_METRICS_NONE)                                                       \
    X(PARTICIPANTS, participants, QK_METRICS_NONE)                                         \
    X(OVERVIEW, overview, QK_METRICS_ALL)

#endif
