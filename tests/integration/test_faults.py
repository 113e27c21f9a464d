#!/usr/bin/env python3
"""Fault tests of delivery (ARCHITECTURE.md, "Delivery"): the daemon killed with SIGKILL
while 12 agents push 300 submissions, agents killed while they write their outbox, lost
acknowledgements, the daemon paused while 40 agents push, and a database that is full.
Every acknowledged submission must be stored exactly once. Real processes, loopback ports
picked free, everything stopped by pid, every loop bounded in count and time."""
import argparse
import itertools
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Env, agent_conf, check, daemon_conf, keygen, summary  # noqa: E402
import harness  # noqa: E402

random.seed(int(os.environ.get("SAMLA_FAULT_SEED", "2025")))


def sie_text(orgnr, month_amount):
    """A small, valid SIE 4E ledger for one förbund and 2025 (CP437-safe ASCII)."""
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#GEN 20260101", "#SIETYP 4", "#ORGNR " + orgnr,
             '#FNAMN "Test %s"' % orgnr, "#RAR 0 20250101 20251231",
             '#KONTO 1930 "Bank"', '#KONTO 2010 "EK"', '#KONTO 3010 "Bidrag"',
             '#KONTO 4510 "Insats"', "#IB 0 1930 1000.00", "#IB 0 2010 -1000.00"]
    for m in range(1, 13):
        lines += ['#VER A %d 2025%02d28 "m"' % (m, m), "{",
                  "#TRANS 3010 {} -%d.00" % month_amount, "#TRANS 4510 {} 100.00",
                  "#TRANS 1930 {} %d.00" % (month_amount - 100), "}"]
    return "\r\n".join(lines) + "\r\n"


def forbund(n):
    return [("222%03d-%04d" % (i // 1000, 1000 + i), "Förbund %d" % i, 10000 + i, "f%d" % i)
            for i in range(n)]


def setup(env, n, extra=""):
    keygen(env, "samlad")
    keygen(env, "analyst")
    fb = forbund(n)
    for orgnr, _, _, key in fb:
        keygen(env, key)
        env.write("%s.se" % key, sie_text(orgnr, 1000 + int(orgnr[-4:])))
    daemon_conf(env, fb, extra)
    return fb


_VARIANTS = itertools.count(1)


def fresh_sie(env, key):
    """A ledger of key's förbund with amounts no push before had: each push is a new
    revision (the same month sent unchanged is not one, CONTRACT.md)."""
    n = next(_VARIANTS)  # atomic under the GIL: the worker threads share it
    i = int(key[1:])
    name = "%s-%d.se" % (key, n)
    env.write(name, sie_text("222%03d-%04d" % (i // 1000, 1000 + i), 1000 + i + n))
    return name


def push(env, key, period, timeout=3):
    """Runs samla-agent push of a fresh ledger; returns (exit code, ids acknowledged)."""
    rc, out, err = env.run("agent", "--config", "agent-%s.conf" % key, "push", "--period",
                           period, "--sie", fresh_sie(env, key), timeout=timeout + 60)
    acked = [l.split(":")[0] for l in out.splitlines() if " stored as revision " in l]
    return rc, acked


def flush_all(env, keys, rounds=5):
    acked = []
    for key in keys:
        for _ in range(rounds):
            rc, out, _ = env.run("agent", "--config", "agent-%s.conf" % key, "flush",
                                 timeout=120)
            acked += [l.split(":")[0] for l in out.splitlines() if " stored as revision " in l]
            if rc == 0:
                break
        check(rc == 0, "flush of %s ends with 0 (%d)" % (key, rc))
    return acked


def db(env):
    return sqlite3.connect(os.path.join(env.dir, "samla.db"))


def queued(env, key):
    d = os.path.join(env.dir, "outbox-" + key)
    return [f for f in os.listdir(d) if f.endswith(".push")] if os.path.isdir(d) else []


def test_kill9_daemon(args):
    """12 agents, 25 pushes each, while the daemon is killed with SIGKILL at random moments
    (sized to stay well under CTest's 120 s on a busy two-core machine under ASan)."""
    env = Env(args)
    fb = setup(env, 12)
    for orgnr, _, _, key in fb:
        agent_conf(env, "agent-%s.conf" % key, orgnr, key, timeout=3)
    env.start()
    acked, lock = [], threading.Lock()

    def worker(key):
        for i in range(25):
            rc, ids = push(env, key, "2025-%02d" % (i % 12 + 1))
            with lock:
                acked.extend(ids)

    threads = [threading.Thread(target=worker, args=(f[3],)) for f in fb]
    for t in threads:
        t.start()
    kills, deadline = 0, time.time() + 120
    while any(t.is_alive() for t in threads) and time.time() < deadline:
        time.sleep(random.uniform(0.3, 1.2))
        if kills < 8 and env.daemon and env.daemon.poll() is None:
            env.daemon.send_signal(signal.SIGKILL)
            env.daemon.wait()
            kills += 1
            time.sleep(random.uniform(0.1, 0.5))
            env.start()
    for t in threads:
        t.join(timeout=180)
    check(kills >= 3, "the daemon was killed %d times during the pushes" % kills)
    acked += flush_all(env, [f[3] for f in fb])
    left = sum(len(queued(env, f[3])) for f in fb)
    check(left == 0, "nothing left in the outboxes (%d)" % left)
    conn = db(env)
    rows = conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM submission").fetchone()
    check(rows == (300, 300), "300 submissions stored, each once: %r" % (rows,))
    stored = {r[0] for r in conn.execute("SELECT id FROM submission")}
    missing = [i for i in acked if i not in stored]
    check(not missing, "every acknowledged id is stored (%d missing)" % len(missing))
    check(len(set(acked)) == len(acked), "no id was acknowledged as new twice")
    gaps = conn.execute("SELECT orgnr, period, COUNT(*), MAX(revision) FROM submission "
                        "GROUP BY orgnr, period HAVING COUNT(*) != MAX(revision)").fetchall()
    check(not gaps, "revisions run 1..n without gaps or repeats: %r" % gaps[:3])
    check(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check ok")
    conn.close()
    print("kill -9 of samlad: %d kills, %d acknowledged during pushes and flushes, 300 stored"
          % (kills, len(acked)))
    check(env.stop() == 0, "samlad stops with 0")
    return env


def test_kill9_agent(args):
    """Agents killed with SIGKILL at random moments while they write their outbox."""
    env = Env(args)
    fb = setup(env, 1)
    orgnr, _, _, key = fb[0]
    agent_conf(env, "agent-%s.conf" % key, orgnr, key, timeout=2)
    exe = os.path.join(env.bin, "agent/samla-agent")
    for i in range(40):  # the daemon is down: every push writes its outbox, then waits
        p = subprocess.Popen([exe, "--config", "agent-%s.conf" % key, "push", "--period",
                              "2025-%02d" % (i % 12 + 1), "--sie", fresh_sie(env, key)],
                             cwd=env.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.0, 0.03))
        p.send_signal(signal.SIGKILL)
        p.wait()
    entries = queued(env, key)
    rc, out, err = env.run("agent", "--config", "agent-%s.conf" % key, "outbox")
    check(rc == 0, "the outbox reads after 40 kills (%d %s)" % (rc, err))
    env.start()
    flush_all(env, [key])
    conn = db(env)
    n = conn.execute("SELECT COUNT(*) FROM submission").fetchone()[0]
    conn.close()
    check(n == len(entries), "every complete outbox entry arrives (%d of %d)" % (n, len(entries)))
    rejected = os.listdir(os.path.join(env.dir, "outbox-%s" % key, "rejected"))
    check(not rejected, "no torn entry was sent and refused: %r" % rejected)
    print("kill -9 of samla-agent: %d of 40 runs had queued before they died, all delivered"
          % len(entries))
    env.stop()
    return env


def test_lost_ack(args):
    """An acknowledgement that never reached the agent: the resend is a duplicate."""
    env = Env(args)
    fb = setup(env, 1)
    orgnr, _, _, key = fb[0]
    agent_conf(env, "agent-%s.conf" % key, orgnr, key, timeout=2)
    with open(os.path.join(env.dir, "agent-%s.conf" % key), "a") as f:
        f.write("outbox_max = 1;\n")
    rc, _ = push(env, key, "2025-03")
    check(rc == 75, "push without a daemon exits 75 (%d)" % rc)
    rc, out, err = env.run("agent", "--config", "agent-%s.conf" % key, "push", "--period",
                           "2025-04", "--sie", "%s.se" % key)
    check(rc == 75 and "is full (1 submissions waiting); nothing new was queued" in err,
          "a full outbox refuses new work and says so (%d %s)" % (rc, err))
    (entry,) = queued(env, key)
    box = os.path.join(env.dir, "outbox-" + key)
    shutil.copy(os.path.join(box, entry), os.path.join(env.dir, "saved.push"))
    env.start()
    flush_all(env, [key])
    # the agent "never saw" that ACK: the same entry comes back and is sent again
    shutil.copy(os.path.join(env.dir, "saved.push"), os.path.join(box, entry))
    rc, out, _ = env.run("agent", "--config", "agent-%s.conf" % key, "flush")
    check(rc == 0 and "already stored as revision 1" in out,
          "the resend is recognised as a duplicate (%d %s)" % (rc, out))
    conn = db(env)
    n = conn.execute("SELECT COUNT(*) FROM submission").fetchone()[0]
    conn.close()
    check(n == 1, "one row after the resend (%d)" % n)
    check(not queued(env, key), "the outbox is empty")
    env.stop()
    return env


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_sigstop(args):
    """The daemon paused (SIGSTOP) while 40 agents push, then resumed."""
    env = Env(args)
    fb = setup(env, 40)
    for orgnr, _, _, key in fb:
        agent_conf(env, "agent-%s.conf" % key, orgnr, key, timeout=30)
    env.start()
    before = rss_kb(env.daemon.pid)
    env.daemon.send_signal(signal.SIGSTOP)
    results = {}

    def worker(key):
        results[key] = push(env, key, "2025-06", timeout=30)[0]

    threads = [threading.Thread(target=worker, args=(f[3],)) for f in fb]
    for t in threads:
        t.start()
    time.sleep(3)
    env.daemon.send_signal(signal.SIGCONT)
    for t in threads:
        t.join(timeout=120)
    ok = sum(1 for v in results.values() if v == 0)
    check(ok == 40, "all 40 pushes were acknowledged after the pause (%d)" % ok)
    after = rss_kb(env.daemon.pid)
    conn = db(env)
    n = conn.execute("SELECT COUNT(*) FROM submission").fetchone()[0]
    conn.close()
    check(n == 40, "40 rows (%d)" % n)
    check(after - before < 200 * 1024, "daemon memory stays bounded: %d kB -> %d kB"
          % (before, after))
    print("SIGSTOP for 3 s with 40 agents: RSS %d kB before, %d kB after" % (before, after))
    env.stop()
    return env


def big_sie(orgnr, n, areas=400):
    """A ledger with many cost areas, so that each submission takes samlad real work."""
    text = sie_text(orgnr, 1000 + n)
    objs = "".join('#OBJEKT 1 "%d" "Område %d"\r\n' % (k, k) for k in range(1, areas + 1))
    trans = "".join('#VER B %d 20250315 "o"\r\n{\r\n#TRANS 4510 {1 "%d"} %d.00\r\n'
                    '#TRANS 1930 {} -%d.00\r\n}\r\n' % (k, k, 10 + k, 10 + k)
                    for k in range(1, areas + 1))
    return text.replace("#KONTO 1930", '#DIM 1 "Kostnadsställe"\r\n' + objs + "#KONTO 1930",
                        1) + trans


def test_flood(args):
    """One förbund key floods samlad (CONTRACT.md, Limits per member): 60 pushes of large
    ledgers at once, each a new revision. Another förbund's push is acknowledged at its
    normal pace, samlad stays small, and a SIGTERM in the middle ends it within 10 s
    (test_security's submit flood shows the flooder told to send again later)."""
    env = Env(args)
    fb = setup(env, 2)
    (flood_org, _, _, flood), (other_org, _, _, other) = fb
    agent_conf(env, "agent-%s.conf" % flood, flood_org, flood, timeout=5)
    agent_conf(env, "agent-%s.conf" % other, other_org, other, timeout=30)
    for n in range(60):
        env.write("%s-big-%d.se" % (flood, n), big_sie(flood_org, n))
    env.start()
    exe = os.path.join(env.bin, "agent/samla-agent")
    procs = [subprocess.Popen([exe, "--config", "agent-%s.conf" % flood, "push", "--period",
                               "2025-%02d" % (n % 12 + 1), "--sie", "%s-big-%d.se" % (flood, n)],
                              cwd=env.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for n in range(60)]
    time.sleep(1.0)
    t0 = time.time()
    rc, acked = push(env, other, "2025-06", timeout=30)
    took = time.time() - t0
    check(rc == 0 and acked and took < 10, "the other förbund's push is acknowledged in "
          "%.1f s while one key floods (%d)" % (took, rc))
    peak = rss_kb(env.daemon.pid)
    t0 = time.time()
    stop_rc = env.stop()
    stopped = time.time() - t0
    check(stopped < 10, "SIGTERM in the middle of the flood ends samlad in %.1f s" % stopped)
    check(stop_rc == 0, "and it exits 0 (%r)" % stop_rc)
    limit = 1024 * 1024 if args.sanitized else 256 * 1024  # ASan's shadow and quarantine
    check(peak < limit, "samlad stays under %d MiB during the flood (%d kB)"
          % (limit // 1024, peak))
    for p in procs:  # the flooder's pushes end on their own (stored, or kept for flush)
        p.communicate(timeout=60)
    print("flood: the other förbund acknowledged in %.1f s, samlad peak RSS %d kB, stopped "
          "in %.1f s" % (took, peak, stopped))
    return env


def test_database_full(args):
    """A database that cannot grow: no acknowledgement, a clear log line, and delivery once
    the cap is lifted (SIGHUP)."""
    env = Env(args)
    fb = setup(env, 1, extra="max_database_mb = 1;\n")
    orgnr, _, _, key = fb[0]
    agent_conf(env, "agent-%s.conf" % key, orgnr, key, timeout=3)
    conn = db(env)  # ballast: the file is over the 1 MiB cap before samlad opens it
    conn.execute("CREATE TABLE ballast (b BLOB)")
    conn.execute("INSERT INTO ballast VALUES (zeroblob(1200000))")
    conn.commit()
    conn.close()
    env.start()
    # The first rows may still fit in pages the file has; push until the file must grow.
    stored, rc = 0, 0
    for i in range(40):
        rc, acked = push(env, key, "2025-%02d" % (i % 12 + 1))
        if rc != 0:
            break
        stored += 1
    check(rc == 75 and stored < 40, "a full database acknowledges nothing (exit %d after %d "
          "stored)" % (rc, stored))
    with open(os.path.join(env.dir, "samlad.log")) as f:
        log = f.read()
    check("event=store.failed" in log and "full" in log,
          "samlad logs why it could not store")
    conn = db(env)
    n = conn.execute("SELECT COUNT(*) FROM submission").fetchone()[0]
    conn.close()
    check(n == stored, "nothing half-stored (%d rows, %d acknowledged)" % (n, stored))
    with open(os.path.join(env.dir, "samlad.conf")) as f:
        conf = f.read()
    env.write("samlad.conf", conf.replace("max_database_mb = 1;", "max_database_mb = 0;"))
    env.daemon.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    flush_all(env, [key])
    conn = db(env)
    n = conn.execute("SELECT COUNT(*) FROM submission").fetchone()[0]
    conn.close()
    check(n == stored + 1, "delivered once the cap is lifted (%d)" % n)
    env.stop()
    return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--only")
    ap.add_argument("--sanitized", action="store_true",
                    help="the programs run under ASan: its shadow memory counts in RSS")
    args = ap.parse_args()
    tests = [test_lost_ack, test_kill9_agent, test_database_full, test_sigstop,
             test_kill9_daemon, test_flood]
    for t in tests:
        if args.only and args.only != t.__name__:
            continue
        print("--", t.__name__, flush=True)
        t0 = time.time()
        env = t(args)
        if env:
            env.close()
        print("   %.1f s" % (time.time() - t0), flush=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
