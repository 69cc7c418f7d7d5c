#!/usr/bin/env python3
"""A stand-in for jcnid in the launcher's tests (dev.jcni.it.launcher): the daemon side of
docs/daemon-protocol.md, written independently of the C launcher, with one scripted behaviour
per run. It records what each connection brought (HELLO decoded, the passed descriptors' device
and inode, stdin) under RECORD_DIR/<n>.json and RECORD_DIR/<n>.stdin, then behaves as MODE says.

    fake_jcnid.py SOCKET MODE RECORD_DIR [OPTIONS]

MODE
  result             ACCEPTED, then RESULT with --exit, --stdout FILE and --stderr FILE
  decline            DECLINED with --reason and --message
  close-after-accept ACCEPTED, then the connection is closed
  hang-after-accept  ACCEPTED, then nothing (the connection stays open)
  silent             reads the whole request and never answers
  partial-result     ACCEPTED, RESULT announcing --stdout's size, half of it, then close
  close-after-hello  reads HELLO only, then closes (the launcher may still be sending stdin)
  bad-magic          answers the request with a message that has another magic
  stale              binds the socket, closes it and exits: a socket file nobody listens on
  full-backlog       listens with a backlog of 0, fills it itself and never accepts

"ready" is printed on stdout once the socket listens (or, for stale, once the file is left).
"""
import json
import os
import socket
import struct
import sys
import time

MAGIC = 0x4A434E49
MAX_MESSAGE = 65536
ACCEPTED, DECLINED, RESULT, DATA = 1, 2, 3, 4


def header(kind):
    return struct.pack(">IHH", MAGIC, 1, kind)


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("HELLO too short at %d (+%d of %d)" % (self.pos, n, len(self.data)))
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]

    def str(self):
        return self.take(self.u32()).decode("utf-8", errors="strict")


def read_request(conn, record_dir, n, with_stdin=True):
    fds = []
    msg, anc, flags, _ = conn.recvmsg(MAX_MESSAGE + 1, socket.CMSG_SPACE(16 * 4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds += list(struct.unpack("%di" % (len(data) // 4), data[:len(data) - len(data) % 4]))
    rec = {"helloBytes": len(msg), "truncatedMessage": bool(flags & socket.MSG_TRUNC)}
    r = Reader(msg)
    rec["magic"] = r.u32()
    rec["version"] = r.u16()
    rec["kind"] = r.u16()
    rec["build"] = r.str()
    rec["plugin"] = r.str()
    rec["argv"] = [r.str() for _ in range(r.u32())]
    rec["env"] = [r.str() for _ in range(r.u32())]
    rec["flags"] = r.u32()
    rec["stdinLength"] = r.u64()
    rec["trailingBytes"] = len(msg) - r.pos
    fd_ids = []
    for fd in fds:
        st = os.fstat(fd)
        fd_ids.append([st.st_dev, st.st_ino])
        os.close(fd)
    rec["fds"] = fd_ids
    stdin = bytearray()
    chunks = []
    if with_stdin:
        while len(stdin) < rec["stdinLength"]:
            chunk = conn.recv(MAX_MESSAGE + 1)
            if not chunk:
                break
            chunks.append(len(chunk))
            stdin += chunk
    rec["stdinChunks"] = chunks
    with open(os.path.join(record_dir, "%d.stdin" % n), "wb") as f:
        f.write(stdin)
    tmp = os.path.join(record_dir, "%d.json.tmp" % n)
    with open(tmp, "w") as f:
        json.dump(rec, f)
    os.rename(tmp, os.path.join(record_dir, "%d.json" % n))


def send_result(conn, code, out, err, partial=False):
    conn.send(header(RESULT) + struct.pack(">IQQ", code, len(out), len(err)))
    payload = out + err
    if partial:
        payload = payload[:len(payload) // 2]
    step = MAX_MESSAGE - 8
    for off in range(0, len(payload), step):
        conn.send(header(DATA) + payload[off:off + step])


def main():
    path, mode, record_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    server.bind(path)
    if mode == "stale":
        server.close()
        print("ready", flush=True)
        return
    if mode == "full-backlog":
        server.listen(0)
        fillers = []
        for _ in range(4):
            c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            c.setblocking(False)
            try:
                c.connect(path)
                fillers.append(c)
            except BlockingIOError:
                break
        print("ready", flush=True)
        while True:
            time.sleep(60)
    server.listen(16)
    print("ready", flush=True)
    kept = []
    n = 0
    while True:
        conn, _ = server.accept()
        n += 1
        try:
            read_request(conn, record_dir, n, with_stdin=mode != "close-after-hello")
        except (ValueError, UnicodeDecodeError) as e:
            with open(os.path.join(record_dir, "%d.error" % n), "w") as f:
                f.write(str(e))
            conn.close()
            continue
        if mode == "result":
            out = open(opts["--stdout"], "rb").read() if "--stdout" in opts else b""
            err = open(opts["--stderr"], "rb").read() if "--stderr" in opts else b""
            conn.send(header(ACCEPTED))
            send_result(conn, int(opts.get("--exit", "0")), out, err)
            conn.close()
        elif mode == "decline":
            text = opts.get("--message", "declined").encode()
            conn.send(header(DECLINED) + struct.pack(">HI", int(opts["--reason"]), len(text)) + text)
            conn.close()
        elif mode == "close-after-accept":
            conn.send(header(ACCEPTED))
            conn.close()
        elif mode == "hang-after-accept":
            conn.send(header(ACCEPTED))
            kept.append(conn)
        elif mode == "silent":
            kept.append(conn)
        elif mode == "partial-result":
            out = open(opts["--stdout"], "rb").read()
            conn.send(header(ACCEPTED))
            send_result(conn, 0, out, b"", partial=True)
            conn.close()
        elif mode == "close-after-hello":
            conn.close()
        elif mode == "bad-magic":
            conn.send(struct.pack(">IHH", 0x12345678, 1, ACCEPTED))
            conn.close()
        else:
            raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
