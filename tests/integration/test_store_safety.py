#!/usr/bin/env python3
"""The database under a careless operator: samlad must never acknowledge into a file that
is no longer at its configured path (deleted, moved, replaced by a directory), a backup
must refuse the live database as its destination however it is spelled, and a reader that
holds a transaction open must not grow the WAL without bound. Real processes, loopback
ports picked free, stopped by pid."""
import argparse
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Env, agent_conf, check, daemon_conf, keygen, summary  # noqa: E402

FORBUND = [("222000-2048", "Förbund A", 29000, "fa")]


def sie(orgnr, amount, areas=0):
    """A valid SIE 4E ledger for 2025; `areas` cost areas make the body larger."""
    lines = ["#SIETYP 4", "#ORGNR " + orgnr, "#RAR 0 20250101 20251231", '#KONTO 1930 "B"',
             '#KONTO 2010 "E"', '#KONTO 3010 "I"', '#KONTO 4510 "C"', "#DIM 1 \"KST\""]
    lines += ['#OBJEKT 1 "3%03d" "Insats nummer %d med ett långt namn"' % (k, k)
              for k in range(areas)]
    lines += ["#IB 0 1930 100.00", "#IB 0 2010 -100.00"]
    for m in range(1, 13):
        lines += ['#VER A %d 2025%02d20 "m"' % (m, m), "{", "#TRANS 3010 {} -%d.00" % amount]
        if areas:
            lines += ['#TRANS 4510 {1 "3%03d"} 1.00' % k for k in range(areas)]
            lines += ["#TRANS 4510 {} %d.00" % (amount - 10 - areas)]
        else:
            lines += ["#TRANS 4510 {} %d.00" % (amount - 10)]
        lines += ["#TRANS 1930 {} 10.00", "}"]
    return "\r\n".join(lines) + "\r\n"


def setup(env, extra=""):
    keygen(env, "samlad")
    keygen(env, "analyst")
    keygen(env, "fa")
    daemon_conf(env, FORBUND, extra)
    agent_conf(env, "agent-fa.conf", "222000-2048", "fa", timeout=4)
    env.write("fa.se", sie("222000-2048", 1000))


def push(env, period, sie_file="fa.se"):
    return env.run("agent", "--config", "agent-fa.conf", "push", "--period", period, "--sie",
                   sie_file, timeout=90)


def acked_ids(out):
    return [l.split(":")[0] for l in out.splitlines() if " stored as revision " in l]


def stored_ids(env):
    con = sqlite3.connect(os.path.join(env.dir, "samla.db"))
    ids = {r[0] for r in con.execute("SELECT id FROM submission")}
    con.close()
    return ids


def wait_exit(env, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline and env.daemon.poll() is None:
        time.sleep(0.1)
    return env.daemon.poll()


def log_text(env, since=0):
    with open(os.path.join(env.dir, "samlad.log"), encoding="utf-8", errors="replace") as f:
        return f.read()[since:]


def log_len(env):
    return len(log_text(env))


def test_database_removed(env, how):
    """Deleting the files, moving them away or putting a directory in their place: the next
    push is not acknowledged, samlad says why and exits with a failure status; after a
    restart the agent's flush stores what it kept."""
    db = os.path.join(env.dir, "samla.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    env.start()
    mark = log_len(env)
    rc, out, err = push(env, "2025-01")
    check(rc == 0, "%s: first push acknowledged (%d %s)" % (how, rc, err))
    first = acked_ids(out)
    if how == "deleted":
        for f in (db, db + "-wal", db + "-shm"):
            os.remove(f)
    elif how == "moved":
        for f in ("", "-wal", "-shm"):
            os.rename(db + f, os.path.join(env.dir, "moved.db" + f))
    elif how == "directory":
        for f in ("", "-wal", "-shm"):
            os.rename(db + f, os.path.join(env.dir, "aside.db" + f))
        os.mkdir(db)
    t0 = time.time()
    rc, out, err = push(env, "2025-02")
    check(rc == 75 and not acked_ids(out),
          "%s: a push into the vanished database is not acknowledged (%d %s)" % (how, rc, out))
    code = wait_exit(env, 10)
    check(code not in (None, 0), "%s: samlad exits with a failure status (%s) within %.1f s"
          % (how, code, time.time() - t0))
    check("event=store.lost" in log_text(env, mark), "%s: samlad logs store.lost" % how)
    if how == "directory":
        os.rmdir(db)
    env.daemon = None
    env.start()  # as the service manager would
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "flush", timeout=90)
    check(rc == 0 and len(acked_ids(out)) == 1, "%s: flush after the restart stores the kept "
          "submission (%d %s %s)" % (how, rc, out, err))
    have = stored_ids(env)
    check(all(i in have for i in acked_ids(out)), "%s: every acknowledged id is stored" % how)
    if how != "deleted":
        check(not (set(first) & have), "%s: the first push lives in the moved file only" % how)
    env.stop()


def integrity(path):
    con = sqlite3.connect(path)
    r = con.execute("PRAGMA integrity_check").fetchone()[0]
    n = con.execute("SELECT COUNT(*) FROM submission").fetchone()[0]
    con.close()
    return r, n


def test_backup_refuses_live(env):
    db = os.path.join(env.dir, "samla.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    env.start()
    for m in (1, 2, 3):
        rc, _, err = push(env, "2025-%02d" % m)
        check(rc == 0, "push 2025-%02d before the backups (%s)" % (m, err))
    os.symlink("samla.db", os.path.join(env.dir, "link.db"))
    os.mkdir(os.path.join(env.dir, "sub"))
    for dest in ("samla.db", "link.db", "./samla.db", "sub/../samla.db", os.path.abspath(db),
                 "samla.db-wal", "samla.db-shm"):
        rc, out, err = env.run("samlad", "--config", "samlad.conf", "--backup", dest)
        check(rc != 0 and "live database" in err and "integrity ok" not in out,
              "backup onto %s is refused (%d %s)" % (dest, rc, err.strip()))
    rc, _, err = push(env, "2025-04")
    check(rc == 0, "samlad still takes pushes after the refused backups (%s)" % err)
    env.stop()
    r, n = integrity(db)
    check(r == "ok" and n == 4, "the live database is intact after the refusals (%s, %d)" % (r, n))
    # A backup onto an existing other file replaces it whole, never writes into it.
    other = os.path.join(env.dir, "old-backup.db")
    with open(other, "w") as f:
        f.write("not a database")
    before = os.stat(other).st_ino
    rc, out, err = env.run("samlad", "--config", "samlad.conf", "--backup", "old-backup.db")
    check(rc == 0 and "integrity ok" in out, "backup onto an older backup file (%d %s)" % (rc, err))
    check(os.stat(other).st_ino != before, "the old file was replaced by a new one, not rewritten")
    r, n = integrity(other)
    check(r == "ok" and n == 4, "the new backup holds all four (%s, %d)" % (r, n))
    left = [f for f in os.listdir(env.dir) if f.startswith("old-backup.db.")]
    check(not left, "no temp files are left beside the backup (%s)" % left)
    os.remove(os.path.join(env.dir, "link.db"))


def test_wal_bounded(env):
    """An analyst's tool holds a read transaction open while pushes keep arriving: past
    max_wal_mb samlad takes nothing more (agents keep their submissions), and once the
    reader is gone the WAL is emptied and cut back."""
    db = os.path.join(env.dir, "samla.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    daemon_conf(env, FORBUND, "max_wal_mb = 1;")
    env.write("big.se", sie("222000-2048", 100000, areas=300))
    env.start()
    mark = log_len(env)
    rc, _, err = push(env, "2025-01", "big.se")
    check(rc == 0, "first push with max_wal_mb = 1 (%s)" % err)
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM submission").fetchone()
    refused, biggest = False, 0
    for i in range(120):
        rc, out, err = push(env, "2025-%02d" % (i % 12 + 1), "big.se")
        biggest = max(biggest, os.path.getsize(db + "-wal"))
        if rc == 75:
            refused = True
            break
        check(rc == 0, "push %d while a reader holds the WAL (%d %s)" % (i, rc, err))
    check(refused, "a push is refused once the WAL passes max_wal_mb (after %d pushes)" % (i + 1))
    check(biggest < 3 * 1024 * 1024, "the WAL stayed near its cap: %d bytes" % biggest)
    check("over max_wal_mb" in log_text(env, mark), "samlad logs why it takes nothing")
    reader.execute("COMMIT")
    reader.close()
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "flush", timeout=90)
    check(rc == 0 and len(acked_ids(out)) == 1, "flush once the reader is gone (%d %s)" % (rc, err))
    for m in (1, 2):
        rc, _, err = push(env, "2025-%02d" % m, "big.se")
        check(rc == 0, "push after the reader ended (%s)" % err)
    wal = os.path.getsize(db + "-wal")
    check(wal <= 1024 * 1024, "the WAL was emptied and cut back: %d bytes" % wal)
    env.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    env = Env(ap.parse_args())
    try:
        setup(env)
        for how in ("deleted", "moved", "directory"):
            print("-- database %s while samlad runs" % how, flush=True)
            test_database_removed(env, how)
        print("-- backup onto the live database", flush=True)
        test_backup_refuses_live(env)
        print("-- WAL bounded while a reader holds it", flush=True)
        test_wal_bounded(env)
    finally:
        env.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
