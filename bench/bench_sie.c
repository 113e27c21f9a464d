/* Benchmark (not a test): the SIE reader on a generated SIE 4E file with N transaction rows
 * (default 200 000). Prints MB/s for reading and for the whole month-end report, and the
 * process's peak RSS. Usage: bench_sie [ROWS] [FILE]; the file is made in /tmp unless named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "mapping.h"
#include "report.h"
#include "sie.h"

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A förbund's year: 12 objects, 30 accounts, vouchers of 10 rows that balance. */
static long s_generate(const char *path, long rows)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    fprintf(fp, "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#GEN 20260115\r\n"
                "#ORGNR 222000-0001\r\n#FNAMN \"Samordningsf\x94rbundet Benchmark\"\r\n"
                "#RAR 0 20250101 20251231\r\n#DIM 1 \"Kostnadsomr\x86\"\r\n");
    for (int o = 0; o < 12; o++)
        fprintf(fp, "#OBJEKT 1 \"%d\" \"Omr\x86\"\r\n", 1001 + (o % 3) * 1000 + o);
    fprintf(fp, "#KONTO 1930 \"Bank\"\r\n#KONTO 2010 \"Eget kapital\"\r\n");
    for (int a = 0; a < 28; a++)
        fprintf(fp, "#KONTO %d \"Konto %d\"\r\n", 4000 + a * 100, a);
    fprintf(fp, "#IB 0 1930 1000000.00\r\n#IB 0 2010 -1000000.00\r\n");
    long written = 0, ver = 0;
    while (written < rows) {
        int month = (int)(ver * 12 / (rows / 10 + 1)) + 1;
        ver++;
        fprintf(fp, "#VER \"A\" %ld 2025%02d15 \"Faktura %ld\"\r\n{\r\n", ver, month, ver);
        long sum = 0;
        for (int r = 0; r < 9; r++) {
            long cents = 10000 + (ver * 7919 + r * 104729) % 900000;
            int obj = (int)((ver + r) % 12);
            fprintf(fp, "\t#TRANS %d {\"1\" \"%d\"} %ld.%02ld\r\n", 4000 + (int)((ver + r) % 28) * 100,
                    1001 + (obj % 3) * 1000 + obj, cents / 100, cents % 100);
            sum += cents;
        }
        fprintf(fp, "\t#TRANS 1930 {} -%ld.%02ld\r\n}\r\n", sum / 100, sum % 100);
        written += 10;
    }
    long size = ftell(fp);
    fclose(fp);
    return size;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
    char path[256];
    snprintf(path, sizeof path, "%s", argc > 2 ? argv[2] : "/tmp/samla-bench-sie.se");
    long size = s_generate(path, rows);
    if (size < 0) {
        fprintf(stderr, "bench_sie: cannot write %s\n", path);
        return 1;
    }
    double best_read = 1e9, best_all = 1e9;
    for (int run = 0; run < 5; run++) {
        diag_t *d = diag_new();
        int missing;
        double t0 = s_now();
        sie_t *s = sie_read_file(path, d, &missing);
        double t1 = s_now();
        mapping_t *m = mapping_new();
        report_t *r = report_build(s, m, NULL, (period_t){2025, 12}, "222000-0001", d);
        double t2 = s_now();
        if (!s || !r || diag_errors(d)) {
            diag_print(d, "bench_sie", stderr);
            return 1;
        }
        report_destroy(&r);
        mapping_destroy(&m);
        sie_destroy(&s);
        diag_destroy(&d);
        if (t1 - t0 < best_read)
            best_read = t1 - t0;
        if (t2 - t0 < best_all)
            best_all = t2 - t0;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double mb = (double)size / 1e6;
    printf("SIE 4E file          %ld transaction rows, %.1f MB\n", rows, mb);
    printf("read (best of 5)     %.3f s  %.0f MB/s\n", best_read, mb / best_read);
    printf("read + month end     %.3f s  %.0f MB/s\n", best_all, mb / best_all);
    printf("peak RSS             %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    if (argc <= 2)
        unlink(path);
    return 0;
}
