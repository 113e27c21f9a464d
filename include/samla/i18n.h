/* i18n: the language of what samla, samla-agent and samlad say, through gettext (text
 * domain "samla", catalogs po/sv.po and po/en.po).
 *
 * Messages are written in English in the code and translated by po/sv.po; what a Swedish
 * reader reads in a table or report is written in Swedish and translated by po/en.po.
 * The language follows the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: "sv_SE.UTF-8"
 * gives Swedish, "en_GB.UTF-8" English) whether or not that locale is installed, and
 * --lang sv|en overrides it; any other locale leaves every text as the code writes it.
 * Only messages change with it: numbers, dates and the machine formats (csv, json, the
 * SQL views) are the same in every language. */
#ifndef SAMLA_I18N_H
#define SAMLA_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) s /* marks a text for the catalogs where it is translated later */

/* Chooses the language (lang "sv", "en" or NULL: from the locale) and binds the
 * catalogs: beside the program in the build tree (../locale), else SAMLA_LOCALEDIR. Call
 * once, first thing in main. Returns "sv", "en" or NULL (the code's own texts). */
const char *i18n_init(const char *lang);
/* What i18n_init chose: "sv", "en" or NULL. */
const char *i18n_lang(void);
/* Whether lang is a language samla speaks ("sv", "en"). */
int i18n_known(const char *lang);

#endif
