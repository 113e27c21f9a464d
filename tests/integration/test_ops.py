#!/usr/bin/env python3
"""Operations: `cmake --install` into a DESTDIR and the installed programs end to end;
the systemd units verified by systemd-analyze; an online backup taken during a burst of
pushes, restored, and every figure compared; key fingerprints and key file modes."""
import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Env, agent_conf, check, daemon_conf, keygen, summary  # noqa: E402

FORBUND = [("222000-2048", "Förbund A", 29000, "fa"), ("222000-2030", "Förbund B", 98000, "fb")]


def sie(orgnr, amount):
    return "\r\n".join([
        "#SIETYP 4", "#ORGNR " + orgnr, "#RAR 0 20250101 20251231", '#KONTO 1930 "B"',
        '#KONTO 2010 "E"', '#KONTO 3010 "I"', '#KONTO 4510 "C"', "#IB 0 1930 100.00",
        "#IB 0 2010 -100.00"] + sum([[
            '#VER A %d 2025%02d20 "m"' % (m, m), "{", "#TRANS 3010 {} -%d.00" % amount,
            "#TRANS 4510 {} %d.00" % (amount - 10), "#TRANS 1930 {} 10.00", "}"]
            for m in range(1, 13)], [])) + "\r\n"


def test_install(env, build, cmake):
    root = os.path.join(env.dir, "root")
    r = subprocess.run([cmake, "--install", build, "--prefix", "/usr"],
                       env=dict(os.environ, DESTDIR=root), capture_output=True, text=True)
    check(r.returncode == 0, "cmake --install with DESTDIR (%s)" % r.stderr[-300:])
    for f in ("usr/bin/samlad", "usr/bin/samla-agent", "usr/bin/samla",
              "usr/share/man/man8/samlad.8", "usr/share/man/man1/samla-agent.1",
              "usr/share/man/man1/samla.1", "usr/lib/systemd/system/samlad.service",
              "usr/lib/systemd/system/samla-agent.service",
              "usr/lib/systemd/system/samla-agent.timer",
              "usr/lib/systemd/system/samla-agent-flush.service",
              "usr/lib/systemd/system/samla-agent-flush.timer",
              "usr/lib/systemd/system/samla-agent-inbox.service",
              "usr/lib/systemd/system/samla-agent-inbox.path",
              "usr/share/doc/samla/operations.md", "usr/share/doc/samla/examples/samlad.conf"):
        check(os.path.exists(os.path.join(root, f)), "installed: " + f)
    unit = open(os.path.join(root, "usr/lib/systemd/system/samlad.service")).read()
    for line in ("User=samla", "ProtectSystem=strict", "ReadWritePaths=/var/lib/samla",
                 "NoNewPrivileges=true", "PrivateTmp=true", "ExecReload=/bin/kill -HUP $MAINPID",
                 "ExecStart=/usr/bin/samlad --config /etc/samla/samlad.conf"):
        check(line in unit, "samlad.service has " + line)
    # The installed programs, not the build tree's, run the whole path.
    env.bin = os.path.join(env.dir, "installed")
    for sub in ("daemon", "agent", "analyst"):
        os.makedirs(os.path.join(env.bin, sub), exist_ok=True)
    for sub, prog in (("daemon", "samlad"), ("agent", "samla-agent"), ("analyst", "samla")):
        os.symlink(os.path.join(root, "usr/bin", prog), os.path.join(env.bin, sub, prog))
    rc, out, _ = env.run("samlad", "--version")
    check(rc == 0 and out.startswith("samlad "), "installed samlad runs")
    man = shutil.which("man")
    if man:
        r = subprocess.run([man, "-l", os.path.join(root, "usr/share/man/man8/samlad.8")],
                           capture_output=True, text=True, env=dict(os.environ, MANPAGER="cat",
                                                                     PAGER="cat"))
        check(r.returncode == 0 and "--backup" in r.stdout.replace("\u2010", "-"),
              "the man page renders")
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("skip: systemd-analyze verify (no systemd-analyze)")
        return
    units = os.path.join(env.dir, "units")
    os.makedirs(units)
    all_units = ("samlad.service", "samla-agent.service", "samla-agent.timer",
                 "samla-agent-flush.service", "samla-agent-flush.timer",
                 "samla-agent-inbox.service", "samla-agent-inbox.path")
    inbox_unit = open(os.path.join(root, "usr/lib/systemd/system/samla-agent-inbox.service")).read()
    check("ExecStart=/usr/bin/samla-agent --config /etc/samla/samla-agent.conf inbox"
          in inbox_unit and "PathChanged=/var/lib/samla/inkorg" in
          open(os.path.join(root, "usr/lib/systemd/system/samla-agent-inbox.path")).read(),
          "the inbox runs when its folder changes")
    flush_timer = open(os.path.join(root, "usr/lib/systemd/system/samla-agent-flush.timer")).read()
    check("OnCalendar=hourly" in flush_timer, "a queued push is retried every hour")
    flush_unit = open(os.path.join(root, "usr/lib/systemd/system/samla-agent-flush.service")).read()
    check("ExecStart=/usr/bin/samla-agent --config /etc/samla/samla-agent.conf flush" in flush_unit,
          "the hourly unit runs flush")
    for u in all_units:
        text = open(os.path.join(root, "usr/lib/systemd/system", u)).read()
        # point at the DESTDIR's programs so that verify can check they are executable
        text = text.replace("/usr/bin/", os.path.join(root, "usr/bin/"))
        with open(os.path.join(units, u), "w") as f:
            f.write(text)
    r = subprocess.run([analyze, "verify", "--man=no"] +
                       [os.path.join(units, u) for u in all_units],
                       capture_output=True, text=True,
                       env=dict(os.environ, SYSTEMD_UNIT_PATH=units + ":"))
    noise = [l for l in (r.stdout + r.stderr).splitlines()
             if l.strip() and "sysinit.target" not in l and "/bin/kill" not in l]
    check(r.returncode == 0 and not noise, "systemd-analyze verify accepts the units: %r" % noise)


def test_backup_restore(env):
    for k in ("samlad", "analyst") + tuple(f[3] for f in FORBUND):
        keygen(env, k)
    daemon_conf(env, FORBUND)
    env.write("analyst.conf", 'server = "tcp://127.0.0.1:%d";\nserver_public_key = '
              '"keys-samlad.key";\nsecret_key = "keys-analyst.key_secret";\n' % env.qport)
    for orgnr, _, _, key in FORBUND:
        agent_conf(env, "agent-%s.conf" % key, orgnr, key)
        env.write("%s.se" % key, sie(orgnr, 1000 + int(orgnr[-2:])))
    env.start()

    def burst(key):
        for m in range(1, 13):
            env.run("agent", "--config", "agent-%s.conf" % key, "push", "--period",
                    "2025-%02d" % m, "--sie", "%s.se" % key)

    threads = [threading.Thread(target=burst, args=(f[3],)) for f in FORBUND]
    for t in threads:
        t.start()
    rc, out, err = env.run("samlad", "--config", "samlad.conf", "--backup", "during.db")
    for t in threads:
        t.join()
    check(rc == 0 and "integrity ok" in out, "backup during the burst (%d %s)" % (rc, err))
    check(oct(os.stat(os.path.join(env.dir, "during.db")).st_mode & 0o777) == "0o600",
          "the backup is readable by its owner only")
    live = sqlite3.connect(os.path.join(env.dir, "samla.db"))
    snap = sqlite3.connect(os.path.join(env.dir, "during.db"))
    ids = [r[0] for r in snap.execute("SELECT id FROM submission")]
    check(all(live.execute("SELECT 1 FROM submission WHERE id=?", (i,)).fetchone()
              for i in ids), "what the backup holds is what the live database holds")
    cols = [r[1] for r in snap.execute("PRAGMA table_info(totals)")]
    same = all(snap.execute("SELECT * FROM totals WHERE submission_id=?", (i,)).fetchone() ==
               live.execute("SELECT * FROM totals WHERE submission_id=?", (i,)).fetchone()
               for i in ids)
    check(len(cols) > 30 and same, "every figure in the backup equals the live one")
    snap.close()
    live.close()
    rc, out, err = env.run("samlad", "--config", "samlad.conf", "--backup", "after.db")
    check(rc == 0 and "24 submissions" in out, "backup after the burst holds all 24 (%s)" % out)
    before = {p: env.run("samla", "--config", "analyst.conf", "compare", "--period", p,
                         "--format", "csv")[1] for p in ("2025-01", "2025-06", "2025-12")}
    env.stop()
    # the documented restore: stop, copy into place, drop -wal/-shm, start
    shutil.copy(os.path.join(env.dir, "after.db"), os.path.join(env.dir, "samla.db"))
    for suffix in ("-wal", "-shm"):
        if os.path.exists(os.path.join(env.dir, "samla.db" + suffix)):
            os.remove(os.path.join(env.dir, "samla.db" + suffix))
    env.start()
    for p, text in before.items():
        rc, out, _ = env.run("samla", "--config", "analyst.conf", "compare", "--period", p,
                             "--format", "csv")
        check(rc == 0 and out == text and "222000-2048" in out,
              "after the restore %s compares exactly as before" % p)
    # fingerprints: the same one in the tool's output and in samlad's log
    rc, out, _ = env.run("agent", "fingerprint", "keys-fa.key")
    fp = out.split()[0] if rc == 0 and out else ""
    check(re.fullmatch(r"[0-9a-f]{16}", fp) is not None, "a 16-hex-digit fingerprint")
    rc2, out2, _ = env.run("samlad", "--fingerprint", "keys-fa.key")
    check(out2.split()[:2] == out.split()[:2], "samlad prints the same fingerprint")
    with open(os.path.join(env.dir, "samlad.log")) as f:
        check("peer=" + fp in f.read(), "the log names the agent by that fingerprint")
    os.chmod(os.path.join(env.dir, "keys-fa.key_secret"), 0o640)
    rc, _, err = env.run("agent", "--config", "agent-fa.conf", "flush")
    check(rc == 78 and "accessible by others" in err, "a group-readable secret key: 78 (%d)" % rc)
    env.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--cmake", default="cmake")
    args = ap.parse_args()
    env = Env(args)
    try:
        print("-- backup and restore", flush=True)
        test_backup_restore(env)
        print("-- install", flush=True)
        test_install(env, os.path.abspath(args.bin), args.cmake)
    finally:
        env.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
