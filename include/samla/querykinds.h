/* querykinds: the one list of query kinds. A kind is a row: the wire enum's name
 * (samla.v1.QueryKind QUERY_<KIND>), samla's command and samlad's builder (qry_<name>),
 * which fills the Reply field of the same name with a samla.v1.<Type>, and which metric
 * descriptions ride along in the reply's catalogue. samlad's dispatch and catalogue
 * (daemon/query/query.c) and samla's writers per format (analyst/format.h) are made from it; a
 * new kind is a row here, a value of the enum and a field of the Reply
 * (proto/samla.proto), its builder (daemon/query_<name>.c), samla's command row and one
 * function per format. */
#ifndef SAMLA_QUERYKINDS_H
#define SAMLA_QUERYKINDS_H

/* Which metric descriptions (MetricInfo) a reply carries. */
typedef enum {
    QK_METRICS_NONE,  /* the reply names no metric */
    QK_METRICS_ASKED, /* the one asked for with --metric, else every metric */
    QK_METRICS_ALL,   /* every metric */
} qk_metrics_t;

/* X(KIND, name, Type, metrics) */
#define QUERY_KINDS(X)                                                                     \
    X(COMPARE, compare, Compare, QK_METRICS_ASKED)                                         \
    X(STATUS, status, Status, QK_METRICS_NONE)                                             \
    X(TREND, trend, Trend, QK_METRICS_ASKED)                                               \
    X(EXPORT, export, Export, QK_METRICS_ALL)                                              \
    X(AREAS, areas, Areas, QK_METRICS_NONE)                                                \
    X(PARTICIPANTS, participants, Participants, QK_METRICS_NONE)                           \
    X(OVERVIEW, overview, Overview, QK_METRICS_ALL)                                        \
    X(STATEMENTS, statements, Statements, QK_METRICS_NONE)                                 \
    X(FINANCING, financing, Financing, QK_METRICS_NONE)

#endif
