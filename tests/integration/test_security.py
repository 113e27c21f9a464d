#!/usr/bin/env python3
"""Security and interoperability, from outside, with Debian's python3-zmq and
python3-protobuf and code that protoc generates from proto/samla.proto at test time:
a foreign client submits and queries over standard ZMTP/CURVE; keys revoked by SIGHUP
stop working on a live connection; PLAIN, NULL, garbage, oversized, many-frame and
45x-expanding messages are refused, and afterwards the daemon still serves a good agent
and has stored nothing it should not have."""
import argparse
import hashlib
import importlib
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Env, agent_conf, check, daemon_conf, keygen, summary  # noqa: E402

import zmq  # noqa: E402  (Debian: python3-zmq)

LOG_WINDOW = 10  # LOG_WINDOW_S in include/samla/log.h
FORBUND = [("222000-2048", "Förbund A", 29000, "fa"), ("222000-2030", "Förbund B", 98000, "fb")]


def load_key(env, name):
    """(public, secret) Z85 from a ZeroMQ certificate file pair written by keygen."""
    def field(path, key):
        with open(os.path.join(env.dir, path)) as f:
            m = re.search(r'%s = "([^"]{40})"' % key, f.read())
        return m.group(1).encode() if m else None
    return field("keys-%s.key" % name, "public-key"), field("keys-%s.key_secret" % name,
                                                            "secret-key")


def client(ctx, env, name, port, mechanism="curve"):
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, 3000)
    if mechanism == "curve":
        pub, sec = load_key(env, name)
        server_pub, _ = load_key(env, "samlad")
        s.curve_publickey, s.curve_secretkey, s.curve_serverkey = pub, sec, server_pub
    elif mechanism == "plain":
        s.plain_username, s.plain_password = b"admin", b"admin"
    s.connect("tcp://127.0.0.1:%d" % port)
    return s


def recv_or_none(sock, timeout_ms=1500):
    if sock.poll(timeout_ms, zmq.POLLIN):
        return sock.recv()
    return None


def rows(env):
    conn = sqlite3.connect(os.path.join(env.dir, "samla.db"))
    n = conn.execute("SELECT COUNT(*) FROM submission").fetchone()[0]
    conn.close()
    return n


def submission(pb, orgnr, period):
    s = pb.Submission(orgnr=orgnr, period=period, software="python interop test")
    s.ledger.contributions_state = 50000000       # 500 000 kr
    s.ledger.contributions_region = 25000000
    s.ledger.contributions_municipalities = 25000000
    s.ledger.costs_activity = 70000000
    s.ledger.costs_personnel = 10000000
    s.ledger.financial_income = 12345
    s.ledger.cash = 30000000
    s.ledger.equity = 25012345
    s.ledger.current_liabilities = 4987655
    for measure, w, m in (("aktuella_start", 10, 8), ("nya", 5, 7), ("avslutade", 3, 2),
                          ("aktuella_slut", 12, 13)):
        s.participants.add(intervention="Team", kind=pb.KIND_INDIVIDUAL, measure=measure,
                           category="", women=w, men=m, unspecified=0)
    return s


def push_bytes(pb, sub, tamper=False):
    body = sub.SerializeToString()
    digest = hashlib.sha256(body).digest()
    if tamper:
        digest = bytes([digest[0] ^ 1]) + digest[1:]
    return pb.Push(id=str(uuid.uuid4()), sha256=digest, body=body).SerializeToString()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--protoc", default="protoc")
    env = Env(ap.parse_args())
    # code generated from the schema by Debian's protoc, as another implementation would
    subprocess.run([ap.parse_args().protoc, "--python_out=" + env.dir,
                    "-I" + os.path.join(env.src, "proto"),
                    os.path.join(env.src, "proto", "samla.proto")], check=True)
    sys.path.insert(0, env.dir)
    pb = importlib.import_module("samla_pb2")
    for k in ("samlad", "analyst", "stranger") + tuple(f[3] for f in FORBUND):
        keygen(env, k)
    daemon_conf(env, FORBUND)
    os.chmod(os.path.join(env.dir, "keys-samlad.key_secret"), 0o644)
    rc, _, err = env.run("samlad", "--config", "samlad.conf", "--check")
    check(rc == 78 and "keys-samlad.key_secret is accessible by others" in err,
          "a secret key others can read is refused (%d %s)" % (rc, err))
    os.chmod(os.path.join(env.dir, "keys-samlad.key_secret"), 0o600)
    env.start()
    ctx = zmq.Context()
    try:
        run(env, ctx, pb)
    finally:
        ctx.destroy(linger=0)
        if env.daemon and env.daemon.poll() is None:
            check(env.stop() == 0, "samlad exits 0")
        env.close()
    return summary()


def run(env, ctx, pb):
    # 1. interoperability: submit and query from Python
    fa = client(ctx, env, "fa", env.port)
    fa.send(push_bytes(pb, submission(pb, "222000-2048", "2025-03")))
    ack = pb.Ack()
    raw = recv_or_none(fa, 5000)
    check(raw is not None, "the Python client gets an ACK")
    if raw:
        ack.ParseFromString(raw)
        check(ack.status == pb.ACK_STORED and ack.revision == 1,
              "stored as revision 1: %s" % ack)
    an = client(ctx, env, "analyst", env.qport)
    an.send(pb.Query(kind=pb.QUERY_COMPARE, period="2025-03").SerializeToString())
    reply = pb.Reply()
    raw = recv_or_none(an, 5000)
    check(raw is not None, "the Python analyst gets a reply")
    if raw:
        reply.ParseFromString(raw)
        f = {x.orgnr: x for x in reply.compare.forbund}["222000-2048"]
        m = {v.name: v for v in f.metrics}
        check(m["result"].ore == 100000000 - 80000000 + 12345, "result in öre: %s" % m["result"])
        check(m["participants"].count == 30, "participants: %s" % m["participants"])
        check(abs(m["equity_ratio"].value - 25012345 / (100000000 * 12 / 3) * 100) < 1e-9,
              "equity ratio computed by samlad")
        check(not m["cost_per_participant"].HasField("value"), "null stays null on the wire")
        # how each metric is shown travels with the reply (issue 15): unit, decimals, label
        info = {i.name: i for i in reply.metrics}
        check(len(info) == len(f.metrics) and set(info) == set(m),
              "the reply describes every metric it carries (%d of %d)"
              % (len(info), len(f.metrics)))
        check(info["result"].unit == pb.KRONOR and info["result"].decimals == 0 and
              info["result"].label == "Resultat" and
              info["equity_ratio"].unit == pb.PERCENT and info["equity_ratio"].decimals == 1 and
              info["participants"].unit == pb.PEOPLE and
              info["cost_per_participant"].unit == pb.KRONOR_PER_PERSON and
              info["cost_per_participant"].definition,
              "units, decimals, labels and definitions on the wire: %s %s"
              % (info["result"], info["equity_ratio"]))
    an.send(pb.Query(kind=pb.QUERY_TREND, orgnr="222000-2048", metric="women_share")
            .SerializeToString())
    raw = recv_or_none(an, 5000)
    reply = pb.Reply()
    if raw:
        reply.ParseFromString(raw)
    check(raw is not None and [i.name for i in reply.metrics] == ["women_share"] and
          reply.metrics[0].unit == pb.PERCENT,
          "a trend describes its one metric: %s" % list(reply.metrics))
    an.send(pb.Query(kind=pb.QUERY_STATUS, year=2025).SerializeToString())
    raw = recv_or_none(an, 5000)
    reply = pb.Reply()
    if raw:
        reply.ParseFromString(raw)
    check(raw is not None and len(reply.metrics) == 0, "status has no metrics to describe")
    # 2. refusals on the submission socket: nothing stored
    before = rows(env)
    fb = client(ctx, env, "fb", env.port)
    fb.send(push_bytes(pb, submission(pb, "222000-2048", "2025-04")))   # another's orgnr
    raw = recv_or_none(fb, 5000)
    ack = pb.Ack()
    if raw:
        ack.ParseFromString(raw)
    check(raw is not None and ack.status == pb.ACK_REFUSED, "another förbund's figures: refused")
    fa.send(push_bytes(pb, submission(pb, "222000-2048", "2025-04"), tamper=True))
    raw = recv_or_none(fa, 5000)
    ack = pb.Ack()
    if raw:
        ack.ParseFromString(raw)
    check(raw is not None and ack.status == pb.ACK_INVALID, "a wrong hash: invalid")
    ana_sub = client(ctx, env, "analyst", env.port)
    ana_sub.send(push_bytes(pb, submission(pb, "222000-2048", "2025-04")))
    raw = recv_or_none(ana_sub, 5000)
    ack = pb.Ack()
    if raw:
        ack.ParseFromString(raw)
    check(raw is not None and ack.status == pb.ACK_REFUSED, "an analyst key may not submit")
    stranger = client(ctx, env, "stranger", env.port)
    stranger.send(push_bytes(pb, submission(pb, "222000-2048", "2025-04")))
    check(recv_or_none(stranger) is None, "an unknown key gets nothing (handshake refused)")
    plain = client(ctx, env, None, env.port, mechanism="plain")
    plain.send(b"hello")
    check(recv_or_none(plain) is None, "PLAIN is refused")
    null = client(ctx, env, None, env.port, mechanism="null")
    null.send(b"hello")
    check(recv_or_none(null) is None, "NULL is refused")
    rng = random.Random(7)
    for port in (env.port, env.qport):
        for greeting in (b"", b"\xff" + b"\x00" * 8 + b"\x7f\x03\x00CURVE"):
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            try:
                s.sendall(greeting + bytes(rng.getrandbits(8) for _ in range(65536)))
            except OSError:
                pass  # the daemon may hang up first: that is the point
            s.close()
    fa.send(b"x" * (5 * 1024 * 1024))                          # over MAXMSGSIZE
    check(recv_or_none(fa) is None, "an oversized frame gets no answer")
    fa = client(ctx, env, "fa", env.port)                      # that connection was dropped
    fa.send_multipart([b"a", b"b", push_bytes(pb, submission(pb, "222000-2048", "2025-05"))])
    check(recv_or_none(fa) is None, "a many-frame message gets no answer")
    body = (b"\x0a\x0b222000-2048\x12\x072025-06" + b"\x3a\x00" * 2000000)
    fa.send(pb.Push(id=str(uuid.uuid4()), sha256=hashlib.sha256(body).digest(),
                    body=body).SerializeToString())
    raw = recv_or_none(fa, 10000)
    ack = pb.Ack()
    if raw:
        ack.ParseFromString(raw)
    check(raw is not None and ack.status == pb.ACK_INVALID and "budget" in ack.reason,
          "a message that expands 45x is refused: %s" % ack)
    check(rows(env) == before, "nothing refused was stored (%d, %d)" % (rows(env), before))
    # 3. a key revoked by SIGHUP stops working on a live connection
    fbq = client(ctx, env, "fb", env.qport)
    fbq.send(pb.Query(kind=pb.QUERY_STATUS, year=2025).SerializeToString())
    reply = pb.Reply()
    raw = recv_or_none(fbq, 5000)
    if raw:
        reply.ParseFromString(raw)
    check(raw is not None and reply.HasField("status"), "förbund B may query before")
    daemon_conf(env, FORBUND[:1])
    env.daemon.send_signal(signal.SIGHUP)
    time.sleep(1.0)
    fbq.send(pb.Query(kind=pb.QUERY_STATUS, year=2025).SerializeToString())
    reply = pb.Reply()
    raw = recv_or_none(fbq, 5000)
    if raw:
        reply.ParseFromString(raw)
    check(raw is not None and reply.error == pb.ERR_REFUSED,
          "the same connection is refused after the reload: %s" % reply)
    fb.send(push_bytes(pb, submission(pb, "222000-2030", "2025-07")))
    raw = recv_or_none(fb, 5000)
    ack = pb.Ack()
    if raw:
        ack.ParseFromString(raw)
    check(raw is not None and ack.status == pb.ACK_REFUSED, "and it may no longer submit")
    with open(os.path.join(env.dir, "samlad.log")) as f:
        log = f.read()
    check("event=reload" in log and "event=zap.refuse" in log and "event=submit.refuse" in log,
          "refusals and the reload are logged")
    check(re.search(r"event=zap.refuse peer=[0-9a-f]{16}", log) is not None,
          "a refusal names the key's fingerprint")
    # 4. after all of it a good agent is still served
    env.write("a.se", "#SIETYP 4\r\n#ORGNR 222000-2048\r\n#RAR 0 20250101 20251231\r\n"
              "#KONTO 1930 \"B\"\r\n#KONTO 2010 \"E\"\r\n#IB 0 1930 5\r\n#IB 0 2010 -5\r\n"
              "#VER A 1 20250801 x\r\n{\r\n}\r\n")
    agent_conf(env, "agent-fa.conf", "222000-2048", "fa")
    rc, out, err = env.run("agent", "--config", "agent-fa.conf", "push", "--period", "2025-08",
                           "--sie", "a.se")
    check(rc == 0, "a good agent is still served (%d %s)" % (rc, err))
    check(rows(env) == before + 1, "exactly its row was added")
    test_submit_flood(env, ctx, pb)
    test_query_flood(env, ctx, pb)
    test_log_flood(env, ctx)


def test_submit_flood(env, ctx, pb):
    """One key pipelines 150 submissions on one connection without waiting (CONTRACT.md,
    Limits per member): samlad takes a share of them at a time, tells the flooder to send
    the rest again later (ACK_RETRY), and another förbund's push is acknowledged at once."""
    daemon_conf(env, FORBUND)  # both keys again (fb was revoked above)
    os.kill(env.daemon.pid, signal.SIGHUP)
    time.sleep(1)
    flood = client(ctx, env, "fa", env.port)
    for i in range(150):
        sub = submission(pb, "222000-2048", "2024-%02d" % (i % 12 + 1))
        for p in sub.participants:  # each one other content: a new revision, not unchanged
            if p.measure in ("nya", "aktuella_slut"):
                p.women += i
        flood.send(push_bytes(pb, sub))
    other = client(ctx, env, "fb", env.port)
    t0 = time.time()
    other.send(push_bytes(pb, submission(pb, "222000-2030", "2024-06")))
    ack = recv_or_none(other, 10000)
    took = time.time() - t0
    a = pb.Ack()
    if ack:
        a.ParseFromString(ack)
    check(ack and a.status == pb.ACK_STORED and took < 5,
          "another förbund's push is stored in %.1f s while one key floods" % took)
    statuses = []
    while len(statuses) < 150:
        raw = recv_or_none(flood, 10000)
        if raw is None:
            break
        a = pb.Ack()
        a.ParseFromString(raw)
        statuses.append(a.status)
    retry = statuses.count(pb.ACK_RETRY)
    stored = statuses.count(pb.ACK_STORED)
    check(len(statuses) == 150 and retry > 0 and stored > 0 and retry + stored == 150,
          "the flooder gets an answer for each: %d stored, %d told to send again later"
          % (stored, retry))
    check("send again later" in (a.reason if a.status == pb.ACK_RETRY else "send again later"),
          "with the reason")
    with open(os.path.join(env.dir, "samlad.log")) as f:
        check("event=submit.busy" in f.read(), "the operator sees it in the log")
    flood.close()
    other.close()


def test_query_flood(env, ctx, pb):
    """One förbund key queues 1 500 exports. Pushes are still acknowledged at once, another
    key's query is answered within a round, and the flooding key is told to try again for
    what exceeds its share instead of taking all of the query capacity."""
    flood = client(ctx, env, "fa", env.qport)
    flood.setsockopt(zmq.SNDHWM, 0)
    query = pb.Query(kind=pb.QUERY_EXPORT, year=2025).SerializeToString()
    for _ in range(1500):
        flood.send(query)
    time.sleep(0.5)  # the flood is in samlad's queue
    agent_conf(env, "agent-flood.conf", "222000-2048", "fa", timeout=30)
    t0 = time.time()
    rc, out, err = env.run("agent", "--config", "agent-flood.conf", "push", "--period",
                           "2025-09", "--sie", "a.se")
    took = time.time() - t0
    check(rc == 0, "a push during the query flood is acknowledged (%d %s)" % (rc, err))
    check(took < 10, "and at its normal latency, not after the 30 s time-out (%.1f s)" % took)
    an = client(ctx, env, "analyst", env.qport)
    t0 = time.time()
    an.send(pb.Query(kind=pb.QUERY_COMPARE, period="2025-03").SerializeToString())
    raw = recv_or_none(an, 10000)
    took = time.time() - t0
    reply = pb.Reply()
    if raw:
        reply.ParseFromString(raw)
    check(raw is not None and not reply.HasField("error") and reply.HasField("compare"),
          "another key's compare is answered during the flood (%.1f s)" % took)
    answered = busy = 0
    deadline = time.time() + 120
    while answered + busy < 1500 and time.time() < deadline:
        raw = recv_or_none(flood, 5000)
        if raw is None:
            break
        r = pb.Reply()
        r.ParseFromString(raw)
        if r.HasField("error") and r.error == pb.ERR_UNAVAILABLE:
            busy += 1
        else:
            answered += 1
    check(answered + busy == 1500, "every flooding query got an answer (%d exports, %d 'try "
          "again')" % (answered, busy))
    check(busy > 0 and answered >= 16, "the flooding key got its share and no more "
          "(%d exports, %d 'try again')" % (answered, busy))
    # A revision past 2^31 from a foreign client names no revision; it must not wrap to one.
    an.send(pb.Query(kind=pb.QUERY_TREND, orgnr="222000-2048", metric="result", revision=2**31,
                     **{"from": "2025-03"}, to="2025-03").SerializeToString())
    raw = recv_or_none(an, 10000)
    reply = pb.Reply()
    if raw:
        reply.ParseFromString(raw)
    pts = list(reply.trend.points) if raw and reply.HasField("trend") else []
    check(len(pts) == 1 and pts[0].revision == 0 and not pts[0].value.HasField("ore"),
          "trend revision 2^31 finds no revision (%r)" % pts)
    # Hostile breakdown and overview queries from a foreign client: refused as usage, and
    # samlad goes on answering.
    for q in (pb.Query(kind=pb.QUERY_PARTICIPANTS, period="2025-03", by="kön"),
              pb.Query(kind=pb.QUERY_PARTICIPANTS, period="2025-13", by="avslut"),
              pb.Query(kind=pb.QUERY_PARTICIPANTS, period="2025-03"),
              pb.Query(kind=pb.QUERY_PARTICIPANTS, period="2025-03", by="avslut",
                       orgnr="x" * 5000),
              pb.Query(kind=pb.QUERY_OVERVIEW, orgnr="222000-2048", years=2**32 - 1),
              pb.Query(kind=pb.QUERY_OVERVIEW, orgnr="222000-2048", years=0),
              pb.Query(kind=pb.QUERY_OVERVIEW, orgnr="222000-2048", year=99999),
              pb.Query(kind=pb.QUERY_OVERVIEW),
              pb.Query(kind=pb.QUERY_EXPORT, year=2025, years=500)):
        an.send(q.SerializeToString())
        raw = recv_or_none(an, 10000)
        reply = pb.Reply()
        if raw:
            reply.ParseFromString(raw)
        check(raw is not None and reply.HasField("error") and reply.error == pb.ERR_USAGE,
              "a malformed query is a usage error (%s)" % str(q).replace("\n", " ")[:80])
    an.send(pb.Query(kind=pb.QUERY_OVERVIEW, orgnr="222000-2048", years=20).SerializeToString())
    raw = recv_or_none(an, 10000)
    reply = pb.Reply()
    if raw:
        reply.ParseFromString(raw)
    check(raw is not None and len(reply.overview.years) == 20, "twenty years are answered")
    flood.close()
    an.close()


def test_log_flood(env, ctx):
    """20 000 one-byte frames from a registered key and 200 handshakes with random keys:
    the log says so in a few lines and a count, not in megabytes."""
    path = os.path.join(env.dir, "samlad.log")
    before = os.path.getsize(path)
    fa = client(ctx, env, "fa", env.port)
    fa.setsockopt(zmq.SNDHWM, 0)
    for _ in range(20000):
        fa.send(b"x")
    server_pub, _ = load_key(env, "samlad")
    strangers = []
    for _ in range(200):
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()
        s.curve_serverkey = server_pub
        s.connect("tcp://127.0.0.1:%d" % env.port)
        strangers.append(s)
    time.sleep(3)
    for s in strangers:
        s.close()
    fa.close()
    time.sleep(LOG_WINDOW + 2)  # the window ends; samlad writes the summary while idle
    with open(path, encoding="utf-8", errors="replace") as f:
        f.seek(before)
        text = f.read()
    grown = os.path.getsize(path) - before
    check(grown < 64 * 1024, "the flood added %d bytes of log, not megabytes" % grown)
    counts = [int(n) for n in re.findall(r"event=log.suppressed what=submit\.\w+ count=(\d+)",
                                         text)]
    check(sum(counts) > 10000, "a summary counts the garbage frames left out: %r" % counts)
    check(re.search(r"event=log.suppressed what=zap.refuse count=\d+", text) is not None,
          "and the refused handshakes")


if __name__ == "__main__":
    sys.exit(main())
