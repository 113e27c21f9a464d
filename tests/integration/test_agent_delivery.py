#!/usr/bin/env python3
"""The agent's delivery as an operator meets it: the order of pushes decides the order of
revisions even when the clock stepped back, damaged outbox entries are set aside instead
of blocking the rest, and each kind of failure gets its own exit code and a message that
names the cause (an unresolvable host, an endpoint that is not tcp://, a wrong server key,
a broken configuration that must queue nothing). Real processes, loopback ports picked
free, stopped by pid."""
import argparse
import json
import os
import re
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Env, agent_conf, check, daemon_conf, keygen, summary  # noqa: E402

ORGNR = "222000-2048"
NAME = 'Förbund "Ä" \\ test'


def s_amounts(line, start=44):
    """The whole-kronor amounts at the end of a printout line ("-4 962 185   -5 855 000"):
    the statements' after 44 columns, the driftsredovisning's after 39."""
    return [int(a.replace(" ", "")) for a in re.findall(r"-?\d{1,3}(?: \d{3})*(?=\s|$)",
                                                         line[start:])]


def check_board_printout(env, vm):
    """samla-agent check as the board reads it (issue 15): Budget, Utfall, Avvikelse, last
    year from #RES -1 / #UB -1, whole kronor whose lines add up to the totals, full names,
    within 100 columns."""
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "check", "--period", "2025-12",
                           "--sie", vm)
    lines = out.splitlines()
    check(rc == 0 and "Ackumulerat jan–dec 2025, kronor" in out and
          all(len(l) <= 100 for l in lines if not l.startswith("Källa:")),
          "check prints the year to date within 100 columns (%d %s)" % (rc, err.strip()))
    head = next((l for l in lines if l.startswith("RESULTATRÄKNING")), "")
    check(head.split()[1:] == ["Utfall", "Budget", "Avvikelse", "Helår", "2024"],
          "the income statement's columns: %r" % head)
    result = next((s_amounts(l) for l in lines if "Periodens resultat" in l), [])
    check(result == [-936994, -1801616, 864622, -109803],
          "result: utfall, budget, avvikelse and 2024 as seed 001 prints them: %r" % result)
    start = lines.index(head) + 1
    stop = next(i for i in range(start, len(lines)) if "Periodens resultat" in lines[i])
    detail = [s_amounts(l) for l in lines[start:stop] if l.startswith("    ")]
    check(len(result) == 4 and all(len(r) == 4 for r in detail) and
          all(sum(r[c] for r in detail) == result[c] for c in range(4)) and
          all(r[2] == r[0] - r[1] for r in detail),
          "the lines add up to the result in every column, deviation = utfall - budget")
    costs = next((s_amounts(l) for l in lines if "Summa verksamhetens kostnader" in l), [])
    check(costs[:3] == [-6523853, -7390000, 866147], "costs: %r" % costs)
    budget = {name: next((s_amounts(l)[1] for l in lines if l.strip().startswith(name)), None)
              for name in ("Verksamhetsanknutna kostnader", "Personalkostnader",
                           "Lokalkostnader", "Övriga kostnader")}
    check(budget == {"Verksamhetsanknutna kostnader": -5855000, "Personalkostnader": -1155000,
                     "Lokalkostnader": -222000, "Övriga kostnader": -158000},
          "the budget per line as seed 001 §2 gives it: %r" % budget)
    balance = next((l for l in lines if l.startswith("BALANSRÄKNING")), "")
    check(balance.split()[1:] == ["2025-12-31", "2024-12-31"], "balance heads: %r" % balance)
    assets = next((s_amounts(l) for l in lines if "Summa tillgångar" in l), [])
    claims = next((s_amounts(l) for l in lines if "Summa eget kapital och skulder" in l), [])
    check(assets == claims == [2367695, 3359978], "the balance sheet balances both years: %r %r"
          % (assets, claims))
    words = " ".join(out.split())  # a long name wraps within its column
    check("3001 Arbetsintegrerande sociala företag" in words and
          "2000 Information/kompetensutveckling" in words, "cost areas by their full names")
    area_start = next(i for i, l in enumerate(lines) if l.startswith("DRIFTSREDOVISNING"))
    total = next(s_amounts(l, 39) for l in lines[area_start:]
                 if l.startswith("  Summa kostnadsområden"))
    areas = [s_amounts(l, 39) for l in lines[area_start + 2:]
             if l.startswith("    ") and len(s_amounts(l, 39)) == 5]
    # costs, income on the areas, net, budget, deviation (seed 001: no income on an area)
    check(total == [6525383, 0, 6525383, 7390000, 864617] and
          all(abs(sum(a[c] for a in areas) - total[c]) <= len(areas) // 2 for c in range(5)),
          "the driftsredovisning adds up to seed 001's 6 525 383 / 7 390 000 / 864 617: %r"
          % total)
    statement = next((s_amounts(l, 39) for l in lines if "Enligt resultaträkningen" in l), [])
    check(statement[2:] == [936994], "the areas meet the income statement: net = -result: %r"
          % statement)
    check(",00" not in out and "," not in "".join(l[44:] for l in lines[start:stop]),
          "whole kronor, no öre")
    # a file without #RES -1 (Älvdalen's) has no last-year column
    alv = os.path.join(env.src, "examples", "alvdalen", "alvdalen-2025.se")
    agent_conf(env, "agent-alv.conf", "222000-2097", "fa", outbox="outbox-alv")
    rc, out, err = env.run("agent", "--config", "agent-alv.conf", "check", "--period", "2025-06",
                           "--sie", alv)
    head = next((l for l in out.splitlines() if l.startswith("RESULTATRÄKNING")), "")
    check(rc == 0 and head.split()[1:] == ["Utfall", "Budget", "Avvikelse"] and
          "2024-12-31" not in out and "Ackumulerat jan–jun 2025" in out,
          "without #RES -1 no last-year column (%d %r %s)" % (rc, head, err.strip()))


def sie(amount):
    lines = ["#SIETYP 4", "#ORGNR " + ORGNR, "#RAR 0 20250101 20251231", '#KONTO 1930 "B"',
             '#KONTO 2010 "E"', '#KONTO 3010 "I"', '#KONTO 4510 "C"', "#IB 0 1930 100.00",
             "#IB 0 2010 -100.00"]
    for m in range(1, 13):
        lines += ['#VER A %d 2025%02d20 "m"' % (m, m), "{", "#TRANS 3010 {} -%d.00" % amount,
                  "#TRANS 4510 {} %d.00" % (amount - 10), "#TRANS 1930 {} 10.00", "}"]
    return "\r\n".join(lines) + "\r\n"


def outbox(env):
    d = os.path.join(env.dir, "outbox-fa")
    return sorted(f for f in os.listdir(d) if f.endswith(".push")) if os.path.isdir(d) else []


def push(env, conf, sie_file, period="2025-03"):
    t0 = time.time()
    rc, out, err = env.run("agent", "--config", conf, "push", "--period", period, "--sie",
                           sie_file, timeout=120)
    return rc, out, err, time.time() - t0


def test_clock_step_back(env):
    """samlad is down; a month is pushed at 12:00 and its correction at 11:00 after the clock
    stepped back. The first entry carries the number an older agent gave it (its clock
    time, an hour ahead of the correction's). After flush the correction is the latest."""
    rc, _, err, _ = push(env, "agent-fa.conf", "first.se")
    check(rc == 75, "first push while samlad is down is queued (%d %s)" % (rc, err))
    [first] = outbox(env)
    first_id = first[-41:-5]
    ahead = "%d-%s.push" % (int(time.time()) + 3600, first_id)
    d = os.path.join(env.dir, "outbox-fa")
    os.rename(os.path.join(d, first), os.path.join(d, ahead))
    rc, _, err, _ = push(env, "agent-fa.conf", "correction.se")
    check(rc == 75, "the correction is queued too (%d %s)" % (rc, err))
    env.start()
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "flush", timeout=120)
    check(rc == 0, "flush delivers both (%d %s)" % (rc, err))
    con = sqlite3.connect(os.path.join(env.dir, "samla.db"))
    rows = con.execute("SELECT s.id, s.revision, t.contributions_state_ore FROM submission s "
                       "JOIN totals t ON t.submission_id = s.id WHERE period = '2025-03' "
                       "ORDER BY revision").fetchall()
    con.close()
    check(len(rows) == 2 and rows[0][0] == first_id,
          "the first push is revision 1, the correction revision 2: %r" % rows)
    check(rows and rows[-1][2] == 3 * 2000 * 100,
          "the latest revision holds the correction's figures: %r" % rows)


def test_damaged_entries(env):
    """Empty, truncated, garbage, oversized, a directory and a symlink among the outbox's
    entries: flush sets them aside in rejected/ with the reason, sends the good one, and
    says so; `outbox` lists only what can be sent."""
    env.stop()
    rc, _, _, _ = push(env, "agent-fa.conf", "first.se", "2025-04")
    check(rc == 75, "a good entry is queued while samlad is down")
    d = os.path.join(env.dir, "outbox-fa")
    [good] = outbox(env)
    data = open(os.path.join(d, good), "rb").read()
    bad = {
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "garbage": os.urandom(700),
        "oversized": b"\0" * (5 * 1024 * 1024),
        "otherid": data,  # a good Push under another id's name
    }
    names = {}
    for i, (kind, content) in enumerate(sorted(bad.items())):
        name = "%d-0000000%d-1111-4222-8333-444444444444.push" % (i + 1, i)
        names[kind] = name
        with open(os.path.join(d, name), "wb") as f:
            f.write(content)
    names["directory"] = "8-00000008-1111-4222-8333-444444444444.push"
    os.mkdir(os.path.join(d, names["directory"]))
    names["symlink"] = "9-00000009-1111-4222-8333-444444444444.push"
    os.symlink(good, os.path.join(d, names["symlink"]))
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "outbox")
    check(rc == 0 and "1 queued" in out, "outbox lists the one good entry (%d %s)" % (rc, out))
    for kind, name in names.items():
        check(name in err and "damaged" in err, "outbox says %s is damaged" % kind)
    rejected = os.listdir(os.path.join(d, "rejected"))
    for kind, name in names.items():
        check(name in rejected and name + ".reason" in rejected,
              "%s is in rejected/ with its reason" % kind)
    # The same damage found by flush: put two back and flush with samlad up.
    for kind in ("garbage", "directory"):
        os.rename(os.path.join(d, "rejected", names[kind]), os.path.join(d, names[kind]))
    env.start()
    t0 = time.time()
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "flush", timeout=120)
    took = time.time() - t0
    check(rc == 0 and "stored as revision" in out, "flush sends the good entry (%d %s)"
          % (rc, err))
    check(took < 8, "flush does not wait for answers to damaged entries (%.1f s)" % took)
    check(names["garbage"] in err and names["directory"] in err,
          "flush names the damaged entries it set aside: %s" % err.strip())
    check(outbox(env) == [], "the outbox is empty after the flush: %r" % outbox(env))
    why = open(os.path.join(d, "rejected", names["truncated"] + ".reason")).read()
    check("damaged" in why, "the reason file says why: %s" % why.strip())


def test_failures_named(env):
    # An endpoint that is not tcp:// is a configuration error: 78, nothing queued.
    agent_conf(env, "agent-http.conf", ORGNR, "fa", timeout=20, outbox="outbox-fa")
    conf = open(os.path.join(env.dir, "agent-http.conf")).read()
    env.write("agent-http.conf", conf.replace("tcp://", "http://"))
    rc, _, err, took = push(env, "agent-http.conf", "first.se", "2025-05")
    check(rc == 78 and "tcp://HOST:PORT" in err, "http:// endpoint: 78 and what to write "
          "(%d %s)" % (rc, err.strip()))
    check(outbox(env) == [], "http:// endpoint: nothing queued")
    # A host that does not resolve: 69 at once, the submission kept for flush.
    env.write("agent-dns.conf", conf.replace("127.0.0.1", "samlad.invalid"))
    rc, _, err, took = push(env, "agent-dns.conf", "first.se", "2025-05")
    check(rc == 69 and "cannot resolve" in err and "samlad.invalid" in err,
          "unresolvable host: 69 naming the host (%d %s)" % (rc, err.strip()))
    check(took < 10, "unresolvable host: said at once, not after the 20 s time-out (%.1f s)"
          % took)
    check(len(outbox(env)) == 1, "unresolvable host: the submission is kept for flush")
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "flush", timeout=120)
    check(rc == 0, "flush with the right host delivers it (%d %s)" % (rc, err))
    # The analyst's public key where samlad's belongs: the handshake fails; say so.
    env.write("agent-key.conf", conf.replace("keys-samlad.key", "keys-analyst.key"))
    rc, _, err, took = push(env, "agent-key.conf", "first.se", "2025-06")
    check(rc == 69 and "server_public_key" in err,
          "wrong server key: 69 asking about server_public_key (%d %s)" % (rc, err.strip()))
    check(took < 15, "wrong server key: said before the 20 s time-out (%.1f s)" % took)
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "flush", timeout=120)
    check(rc == 0, "flush with the right key delivers it (%d %s)" % (rc, err))
    # A broken configuration queues nothing, however often it is tried.
    env.write("agent-nokey.conf", conf.replace("keys-fa.key_secret", "keys-missing.key_secret"))
    for i in range(3):
        rc, _, err, _ = push(env, "agent-nokey.conf", "first.se", "2025-07")
        check(rc == 78, "missing secret key, try %d: 78 (%d %s)" % (i + 1, rc, err.strip()))
    check(outbox(env) == [], "a push that fails with 78 leaves nothing queued: %r" % outbox(env))
    con = sqlite3.connect(os.path.join(env.dir, "samla.db"))
    n = con.execute("SELECT COUNT(*) FROM submission WHERE period = '2025-07'").fetchone()[0]
    con.close()
    check(n == 0, "and nothing reaches samlad later (%d)" % n)


def test_small_things(env):
    """A config path that is a folder, a secret key another user owns, a ledger with a
    UTF-8 byte-order mark, a name with quotes in JSON, a revision past 2^31."""
    os.mkdir(os.path.join(env.dir, "conf.d"))
    for prog, argv in (("agent", ["--config", "conf.d", "check", "--period", "2025-03",
                                  "--sie", "first.se"]),
                       ("samlad", ["--config", "conf.d", "--check"]),
                       ("samla", ["--config", "conf.d", "status", "--year", "2025"])):
        rc, _, err = env.run(prog, *argv)
        check(rc == 78 and "conf.d is a directory" in err,
              "%s with a folder as config: 78 and says so (%d %s)" % (prog, rc, err.strip()))
    with open(os.path.join(env.dir, "first.se"), "rb") as f:
        body = f.read()
    with open(os.path.join(env.dir, "bom.se"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + body)
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "check", "--period", "2025-03",
                           "--sie", "bom.se")
    check(rc == 0, "a ledger that starts with a UTF-8 byte-order mark is read (%d %s)"
          % (rc, err.strip()))
    with open(os.path.join(env.dir, "bom.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbfinsats;typ;m\xc3\xa5tt;kategori;kvinnor;m\xc3\xa4n;ej_angivet\n"
                b"Team;individ;nya;;1;2;0\n")
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "check", "--period", "2025-03",
                           "--sie", "bom.se", "--participants", "bom.csv")
    check(rc == 0, "a participant file with a byte-order mark is read (%d %s)" % (rc, err.strip()))
    # check --format json: what would be sent, for scripts (CONTRACT.md)
    vm = os.path.join(env.src, "examples", "vanersborg-mellerud", "vanersborg-mellerud-2025.se")
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "check", "--period", "2025-12",
                           "--sie", vm, "--format", "json")
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    led = doc.get("ledger", {})
    check(rc == 0 and led.get("result") == -936994.0 and led.get("equity") == 1181558.0 and
          led.get("external_funding") == 0.0,
          "check --format json: the annual report's result and equity in kronor (%d %s)"
          % (rc, err.strip()))
    areas = doc.get("cost_areas", [])
    check(len(areas) == 14 and abs(sum(a["costs"] for a in areas) - 6525383.0) < 0.005,
          "check --format json: fourteen cost areas summing to 6 525 383 kr (%d)" % len(areas))
    check(doc.get("last_year", {}).get("contributions_state") == 3104658.0 and
          doc.get("last_year", {}).get("equity") == 2118552.0 and
          doc.get("budget", {}).get("costs_activity") == 5855000.0,
          "check --format json: last year from #RES -1 / #UB -1 and the budget per line: %r %r"
          % (doc.get("last_year"), doc.get("budget")))
    check_board_printout(env, vm)
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "check", "--period", "2025-03",
                           "--sie", "first.se", "--format", "json")
    doc = json.loads(out) if rc == 0 else {}
    check(any("#GEN" in w for w in doc.get("warnings", [])) and "#GEN" not in err,
          "check --format json carries the warnings in the object: %r" % doc.get("warnings"))
    # What samlad would refuse, check refuses first: a cost-area name of 2 000 bytes.
    long = sie(1000).replace('#IB 0 1930', '#DIM 1 "KST"\r\n#OBJEKT 1 "3001" "%s"\r\n'
                             '#IB 0 1930' % ("x" * 2000), 1)
    long = long.replace("#TRANS 4510 {} 990.00", '#TRANS 4510 {1 "3001"} 990.00')
    env.write("long.se", long)
    for cmd in ("check", "push"):
        rc, _, err = env.run("agent", "--config", "agent-fa.conf", cmd, "--period", "2025-03",
                             "--sie", "long.se")
        check(rc == 65 and "cost area 3001: the name is 2000 bytes" in err,
              "%s refuses a 2 000-byte cost-area name as samlad would (%d %s)"
              % (cmd, rc, err.strip()[-200:]))
    check(outbox(env) == [], "and nothing was queued")
    env.write("analyst.conf", 'server = "tcp://127.0.0.1:%d";\nserver_public_key = '
              '"keys-samlad.key";\nsecret_key = "keys-analyst.key_secret";\n' % env.qport)
    rc, out, err = env.run("samla", "--config", "analyst.conf", "compare", "--period",
                           "2025-03", "--format", "json")
    try:
        doc = json.loads(out)
        name = doc["forbund"][0]["name"]
    except (ValueError, KeyError, IndexError):
        name = None
    check(rc == 0 and name == NAME, "a name with quotes and a backslash survives JSON: %r" % name)
    rc, out, err = env.run("samla", "--config", "analyst.conf", "trend", "--orgnr", ORGNR,
                           "--metric", "result", "--revision", "2147483649", "--from",
                           "2025-03", "--to", "2025-03")
    check(rc == 64, "--revision past 2^31 is a usage error, not revision 1 (%d)" % rc)
    if os.geteuid() == 0:
        key = os.path.join(env.dir, "keys-samlad.key_secret")
        os.chown(key, 12345, 12345)
        rc, _, err = env.run("samlad", "--config", "samlad.conf", "--check")
        check(rc == 78 and "belongs to user 12345" in err,
              "a secret key another user owns is refused, as ssh does (%d %s)" % (rc, err.strip()))
        os.chown(key, 0, 0)
    else:
        print("skip: chown needs root")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    env = Env(ap.parse_args())
    try:
        for k in ("samlad", "analyst", "fa"):
            keygen(env, k)
        daemon_conf(env, [(ORGNR, NAME.replace("\\", "\\\\").replace('"', '\\"'), 29000, "fa")])
        agent_conf(env, "agent-fa.conf", ORGNR, "fa", timeout=2, outbox="outbox-fa")
        env.write("first.se", sie(1000))
        env.write("correction.se", sie(2000))
        print("-- a clock step back between two pushes", flush=True)
        test_clock_step_back(env)
        print("-- damaged outbox entries", flush=True)
        test_damaged_entries(env)
        print("-- failures named by their cause", flush=True)
        test_failures_named(env)
        print("-- small things", flush=True)
        test_small_things(env)
        env.stop()
    finally:
        env.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
