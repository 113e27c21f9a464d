#include "samla/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SAMLA_LOCALEDIR
#define SAMLA_LOCALEDIR "/usr/share/locale"
#endif

static const char *s_lang; /* set once by i18n_init, before any thread starts */

const char *i18n_lang(void)
{
    return s_lang;
}

int i18n_known(const char *lang)
{
    return lang && (strcmp(lang, "sv") == 0 || strcmp(lang, "en") == 0);
}

/* The language the environment asks for, as gettext reads it, by its first two letters;
 * NULL for C, POSIX, unset and every language samla does not speak. */
static const char *s_from_env(void)
{
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        if (strncmp(v, "sv", 2) == 0)
            return "sv";
        if (strncmp(v, "en", 2) == 0)
            return "en";
        if (i > 0) /* LC_ALL, LC_MESSAGES or LANG set to another language: that one */
            return NULL;
    }
    return NULL;
}

/* Each program has its own text domain, named after it, so that each Debian package
 * ships its own catalog (samla-agent.mo, samlad.mo, samla.mo: the same texts) and one
 * package is all a förbund installs; anything else uses samla's. */
static const char *s_domain(const char *exe_name)
{
    static const char *const known[] = {"samla", "samla-agent", "samlad"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(exe_name, known[i]) == 0)
            return known[i];
    return "samla";
}

/* The catalogs: <dir of the program>/../locale when it holds ours (a build tree), else
 * where the packages install them. */
static void s_bind(void)
{
    char exe[PATH_MAX], dir[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *where = SAMLA_LOCALEDIR, *domain = "samla";
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            domain = s_domain(slash + 1);
            snprintf(dir, sizeof dir, "%s/../locale", exe);
            char probe[PATH_MAX + 64];
            snprintf(probe, sizeof probe, "%s/sv/LC_MESSAGES/%s.mo", dir, domain);
            if (access(probe, R_OK) == 0)
                where = dir;
        }
    }
    bindtextdomain(domain, where);
    bind_textdomain_codeset(domain, "UTF-8"); /* whatever LC_CTYPE says */
    textdomain(domain);
}

const char *i18n_init(const char *lang)
{
    const char *chosen = i18n_known(lang) ? (strcmp(lang, "sv") == 0 ? "sv" : "en")
                                          : s_from_env();
    s_lang = chosen;
    s_bind();
    if (!chosen) {
        setlocale(LC_MESSAGES, "C");
        return NULL;
    }
    /* gettext heeds LANGUAGE only outside the C locale; C.UTF-8 is always there, so the
     * language does not depend on which locales the machine has generated. Only
     * LC_MESSAGES changes: numbers keep their decimal point everywhere. */
    setenv("LANGUAGE", chosen, 1);
    if (!setlocale(LC_MESSAGES, "C.UTF-8"))
        setlocale(LC_MESSAGES, "");
    return chosen;
}
