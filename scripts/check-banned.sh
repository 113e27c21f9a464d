#!/usr/bin/env bash
# Calls the code may not use (as curl's checksrc): unbounded copies and formatting
# (strcat, strncat, sprintf, vsprintf, strcpy, gets), parsers that cannot report an error
# (atoi, atol, atoll, atof, sscanf) and strtok's hidden state. Use snprintf, strtol with
# its end pointer, and the cursor (samla/cursor.h). Prints every use as file:line and
# exits 1 when there is one. Usage: scripts/check-banned.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
pattern='(^|[^A-Za-z0-9_])(strcat|strncat|sprintf|vsprintf|strcpy|gets|atoi|atol|atoll|atof|sscanf|strtok)[[:space:]]*\('
if grep -rnE "$pattern" --include='*.c' --include='*.h' agent analyst common daemon include bench fuzz tests; then
    echo "check-banned: the calls above are banned (see scripts/check-banned.sh)" >&2
    exit 1
fi
echo "check-banned: none of the banned calls in $(find agent analyst common daemon include bench fuzz tests -name '*.[ch]' | wc -l) files"
