#!/usr/bin/env python3
"""Man pages that cannot go stale: every option, command and output format that a program's
--help names is in its man page. Fails naming what is missing."""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, summary  # noqa: E402

PROGRAMS = [  # program, binary under --bin, man page under --source, whether it has formats
    ("samla", "analyst/samla", "man/samla.1", True),
    ("samla-agent", "agent/samla-agent", "man/samla-agent.1", False),
    ("samlad", "daemon/samlad", "man/samlad.8", False),
]


def named_in_help(text, formats):
    names = set(re.findall(r"--[a-z][a-z-]*", text))
    if "commands:" in text:
        for line in text.split("commands:")[1].split("\n\n")[0].splitlines():
            m = re.match(r"  ([a-z][a-z-]+)  ", line)
            if m:
                names.add(m.group(1))
    if formats:
        names |= set(re.findall(r"\b(csv-sv|csv|xlsx|json|table)\b", text))
    return names


def man_text(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for roff, plain in (("\\-", "-"), ("\\fB", ""), ("\\fR", ""), ("\\fI", "")):
        text = text.replace(roff, plain)
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    for prog, binary, page, formats in PROGRAMS:
        out = subprocess.run([os.path.join(args.bin, binary), "--help"],
                             capture_output=True, text=True, timeout=30)
        check(out.returncode == 0, "%s --help exits 0 (%d)" % (prog, out.returncode))
        names = named_in_help(out.stdout, formats)
        check(len(names) > 3, "%s --help names its options: %r" % (prog, sorted(names)))
        man = man_text(os.path.join(args.source, page))
        missing = sorted(n for n in names if n not in man)
        check(not missing, "%s: %s names what %s lacks: %s" % (prog, "--help", page, missing))
    sys.exit(summary())


if __name__ == "__main__":
    main()
