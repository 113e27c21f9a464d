"""The catalogs cannot go stale: every text the code marks for translation (xgettext over
the sources, the `samla-pot` target) has its other language: a message written in English
its Swedish in po/sv.po, a printout's text written in Swedish its English in po/en.po; and
neither catalog holds a text the code no longer says. A message added without its other
language fails here."""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, summary  # noqa: E402


def entries(path):
    """msgid -> msgstr of a .po or .pot file (the header left out)."""
    out, cur, field = {}, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("msgid "):
                cur, field = [json.loads(line[6:]), ""], 0
            elif line.startswith("msgstr "):
                cur[1], field = json.loads(line[7:]), 1
            elif line.startswith('"') and cur is not None:
                cur[field] += json.loads(line)
            elif not line and cur is not None:
                if cur[0]:
                    out[cur[0]] = cur[1]
                cur = None
    if cur is not None and cur[0]:
        out[cur[0]] = cur[1]
    return out


# Texts with nothing to say in another language: only conversions and punctuation.
FORMAT_ONLY = re.compile(r"^(%[-+ #0-9.*]*(?:l|ll|z)?[sduxo]|[:\s\n,()])*$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--cmake", required=True)
    args = ap.parse_args()
    p = subprocess.run([args.cmake, "--build", args.bin, "--target", "samla-pot"],
                       capture_output=True, text=True, timeout=100)
    check(p.returncode == 0, "xgettext over the sources: %s" % p.stderr[-500:])
    pot = entries(os.path.join(args.bin, "po", "samla.pot"))
    sv = entries(os.path.join(args.source, "po", "sv.po"))
    en = entries(os.path.join(args.source, "po", "en.po"))
    check(len(pot) > 350, "the code marks its messages (%d found)" % len(pot))
    missing = [m for m in pot if not FORMAT_ONLY.match(m) and not sv.get(m) and not en.get(m)]
    check(not missing, "every text has its other language in po/sv.po or po/en.po; "
          "missing:\n  " + "\n  ".join(repr(m) for m in missing[:20]))
    both = [m for m in pot if sv.get(m) and en.get(m)]
    check(not both, "a text is English (sv.po) or Swedish (en.po), not both: %r" % both[:10])
    for name, cat in (("sv", sv), ("en", en)):
        stale = [m for m in cat if m not in pot]
        check(not stale, "po/%s.po holds no text the code no longer says:\n  " % name +
              "\n  ".join(repr(m) for m in stale[:20]))
    same = [m for m in pot if sv.get(m) == m and re.search(r"[a-z]{4,}", m) and
            not FORMAT_ONLY.match(m)]
    check(len(same) < 10, "the Swedish is Swedish, not the English copied: %r" % same[:10])
    return summary()


if __name__ == "__main__":
    sys.exit(main())
