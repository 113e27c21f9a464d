"""Shared pieces of the integration tests: a temp dir, free loopback ports, the real
programs run as processes and stopped by pid, and a tally of checks that prints the
"N passed, N failed" line CTest's log shows."""
import math
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

FAILURES = []
CHECKS = 0

# The programs speak the language of the locale (common/i18n.c); the checks read their
# messages in the code's own English whatever the machine's locale is. A test of the
# languages sets its own (language_env).
for _var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"


def language_env(**env):
    """The environment with the locale variables given, e.g. LANG="sv_SE.UTF-8"."""
    e = dict(os.environ)
    e.update(env)
    return e


def check(cond, what):
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, flush=True)


def close(a, b):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Env:
    def __init__(self, args):
        self.bin = os.path.abspath(args.bin)
        self.src = os.path.abspath(args.source)
        self.shared = os.path.abspath(args.shared)
        self.dir = tempfile.mkdtemp(prefix="samla-e2e-")
        self.port, self.qport = free_port(), free_port()
        self.daemon = None

    def run(self, prog, *argv, timeout=60, env=None):
        exe = {"agent": "agent/samla-agent", "samla": "analyst/samla", "samlad": "daemon/samlad"}
        p = subprocess.run([os.path.join(self.bin, exe[prog])] + list(argv), cwd=self.dir,
                           capture_output=True, text=True, timeout=timeout, env=env)
        return p.returncode, p.stdout, p.stderr

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(text)

    def start(self):
        self.log = open(os.path.join(self.dir, "samlad.log"), "a")
        self.daemon = subprocess.Popen(
            [os.path.join(self.bin, "daemon/samlad"), "--config", "samlad.conf"],
            cwd=self.dir, stderr=self.log)
        deadline = time.time() + 10
        while time.time() < deadline:  # wait until it listens
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("samlad did not start")

    def close(self):
        """Stops what is still running; removes the temp dir unless a check failed there."""
        if self.daemon and self.daemon.poll() is None:
            self.daemon.kill()
            self.daemon.wait()
        if FAILURES:
            print("kept for inspection: " + self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def stop(self):
        if self.daemon and self.daemon.poll() is None:
            os.kill(self.daemon.pid, signal.SIGTERM)
            rc = self.daemon.wait(timeout=20)
            self.daemon = None
            return rc
        return None




def summary():
    print("%d passed, %d failed" % (CHECKS - len(FAILURES), len(FAILURES)))
    return 1 if FAILURES else 0


def keygen(env, name):
    rc, _, err = env.run("agent", "keygen", "keys-" + name)
    check(rc == 0, "keygen %s: %s" % (name, err))


def daemon_conf(env, forbund, extra=""):
    """forbund: [(orgnr, name, population, key)]"""
    rows = ",\n".join('{ orgnr = "%s"; name = "%s"; population_16_64 = %d; '
                       'public_key = "keys-%s.key"; }' % f for f in forbund)
    env.write("samlad.conf", """listen = "tcp://127.0.0.1:%d";
query_listen = "tcp://127.0.0.1:%d";
database = "samla.db";
secret_key = "keys-samlad.key_secret";
region = "Testregion";
forbund = ( %s );
analysts = ( { name = "analyst"; public_key = "keys-analyst.key"; } );
%s""" % (env.port, env.qport, rows, extra))


def agent_conf(env, name, orgnr, key, timeout=10, outbox=None):
    env.write(name, 'orgnr = "%s";\nserver = "tcp://127.0.0.1:%d";\nserver_public_key = '
              '"keys-samlad.key";\nsecret_key = "keys-%s.key_secret";\noutbox = "%s";\n'
              'timeout = %d;\n' % (orgnr, env.port, key, outbox or "outbox-" + key, timeout))
