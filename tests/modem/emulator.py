#!/usr/bin/env python3
"""Kentongan GSM modem emulator.

Opens a pseudo-terminal and answers the AT commands libGammu's AT driver
(connection = at, model = at) sends, in SMS PDU mode, backed by an emulated
SIM message store ("SM").  Tests steer it through a line-based JSON protocol
on a Unix socket (--control PATH); see README.md and control.py.

stdlib only; Python >= 3.7.
"""

import argparse
import collections
import datetime
import errno
import fcntl
import heapq
import itertools
import json
import os
import re
import select
import signal
import socket
import sys
import termios
import time
import traceback
import tty

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdu as P  # noqa: E402

CTRL_Z = 0x1A
ESC = 0x1B

CMS_TEXT = {
    300: "ME failure", 301: "SMS service of ME reserved", 302: "operation not allowed",
    303: "operation not supported", 304: "invalid PDU mode parameter",
    305: "invalid text mode parameter", 310: "SIM not inserted", 311: "SIM PIN required",
    320: "memory failure", 321: "invalid memory index", 322: "memory full",
    330: "SMSC address unknown", 331: "no network service", 332: "network timeout",
    500: "unknown error",
}

STAT_NAMES = {0: "REC UNREAD", 1: "REC READ", 2: "STO UNSENT", 3: "STO SENT"}


def now_iso():
    return datetime.datetime.now().astimezone().isoformat(timespec="milliseconds")


class Msg:
    """One SIM storage slot."""

    def __init__(self, pdu_hex, stat, kind="deliver", info=None):
        self.pdu = pdu_hex
        self.stat = stat
        self.kind = kind
        self.info = info or {}
        buf = bytes.fromhex(pdu_hex)
        self.tpdu_len = len(buf) - 1 - buf[0]

    def as_dict(self, index):
        d = {"index": index, "stat": self.stat, "stat_name": STAT_NAMES.get(self.stat),
             "kind": self.kind, "pdu": self.pdu}
        try:
            dec = P.decode_pdu(self.pdu)
            for k in ("sender", "recipient", "number", "text", "coding", "concat", "timestamp",
                      "mr", "status", "data"):
                if k in dec and dec[k] is not None:
                    d[k] = dec[k]
        except ValueError as e:
            d["decode_error"] = str(e)
        d.update({k: v for k, v in self.info.items() if k not in d})
        return d


class Modem:
    def __init__(self, args):
        self.args = args
        self.pty_link = args.pty_link
        self.master = None
        self.slave = None
        self.slave_path = None
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.timers = []
        self.timer_seq = itertools.count()
        self.running = True
        self.log_fh = open(args.log, "a") if args.log else None
        self.at_log_fh = open(args.at_log, "a") if args.at_log else None
        # persistent ("SIM"/network) state
        self.capacity = args.sim_size
        self.store = {}            # index -> Msg
        self.pending = collections.deque()   # messages waiting for free SIM space
        self.smsc = args.smsc
        self.next_mr = args.first_mr & 0xFF
        self.sent = []
        self.fail_queue = []       # list of CMS error codes for the next sends
        self.report_fail = []      # list of TP-ST values for the next status reports
        self.send_delay = args.send_delay
        self.report_delay = args.report_delay
        self.report_mode = args.report_mode
        self.ussd = {}
        self.ussd_delay = 0.3
        self.ussd_default_status = 4
        self.csq = (args.csq, 99)
        self.creg_stat = 1
        self.operator_name = args.operator
        self.operator_code = args.operator_code
        self.pin_state = "READY"
        self.auto_ref = 0
        self.counters = collections.Counter()
        self.silent_until = None   # None = talking; float('inf') = until resume
        self.down = False
        self.reopen_timer = None
        self.concat_ref = 0
        self.silence_after = None
        self.reset_volatile()

    # ------------------------------------------------------------ utilities

    def log(self, *a):
        if self.log_fh:
            self.log_fh.write("%s %s\n" % (now_iso(), " ".join(str(x) for x in a)))
            self.log_fh.flush()

    def at_log(self, direction, data):
        if self.at_log_fh:
            self.at_log_fh.write("%s %s %r\n" % (now_iso(), direction, bytes(data)))
            self.at_log_fh.flush()

    def reset_volatile(self):
        """State a real modem loses on power cycle / re-enumeration."""
        self.echo = True
        self.cmee = 0
        self.cmgf = 0
        self.charset = "GSM"
        cn = [int(x) for x in self.args.cnmi.split(",")]
        self.cnmi = (cn + [0] * 5)[:5]
        self.creg_n = 0
        self.cgreg_n = 0
        self.cops_format = 0
        self.cusd_n = 0
        self.csdh = 0
        self.mode = "cmd"          # cmd | pdu
        self.pdu_ctx = None
        self.busy = False
        self.unsolicited = collections.deque()
        self.inbuf = bytearray()
        self.outbuf = bytearray()

    def add_timer(self, delay, fn):
        entry = [time.monotonic() + max(0.0, delay), next(self.timer_seq), fn, True]
        heapq.heappush(self.timers, entry)
        return entry

    @staticmethod
    def cancel_timer(entry):
        if entry:
            entry[3] = False

    # ------------------------------------------------------------ pty handling

    def open_pty(self):
        master, slave = os.openpty()
        tty.setraw(slave)
        attrs = termios.tcgetattr(slave)
        attrs[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN)
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        fl = fcntl.fcntl(master, fcntl.F_GETFL)
        fcntl.fcntl(master, fcntl.F_SETFL, fl | os.O_NONBLOCK)
        self.master, self.slave = master, slave
        self.slave_path = os.ttyname(slave)
        try:
            os.chmod(self.slave_path, 0o666)
        except OSError:
            pass
        if self.pty_link:
            tmp = self.pty_link + ".tmp%d" % os.getpid()
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            os.symlink(self.slave_path, tmp)
            os.replace(tmp, self.pty_link)
        self.down = False
        self.log("pty open", self.slave_path, "->", self.pty_link)

    def close_pty(self):
        for fd in (self.master, self.slave):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.master = self.slave = None
        if self.pty_link:
            try:
                os.unlink(self.pty_link)
            except FileNotFoundError:
                pass

    def clear_exclusive(self):
        # libGammu sets TIOCEXCL on the tty; since the pty pair lives on, the flag
        # would make every later open() by a non-root user fail with EBUSY.
        if self.slave is not None:
            try:
                fcntl.ioctl(self.slave, termios.TIOCNXCL)
            except OSError:
                pass
        self.add_timer(0.2, self.clear_exclusive)

    def drop_line(self, down_for):
        self.counters["drops"] += 1
        self.log("drop line, down_for", down_for)
        self.close_pty()
        self.down = True
        self.reset_volatile()
        self.cancel_timer(self.reopen_timer)
        self.reopen_timer = None
        # in-flight sends / reports are lost with the line
        for t in self.timers:
            if getattr(t[2], "lost_on_drop", False):
                t[3] = False
        if down_for is not None:
            self.reopen_timer = self.add_timer(float(down_for), self.reconnect)

    def reconnect(self):
        self.cancel_timer(self.reopen_timer)
        self.reopen_timer = None
        if not self.down:
            return
        self.reset_volatile()
        self.open_pty()

    # ------------------------------------------------------------ output

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1", "replace")
        if self.master is None or self.is_silent():
            return
        self.at_log(">>", data)
        self.outbuf += data
        if len(self.outbuf) > 256 * 1024:  # nobody reading; behave like a lossy UART
            del self.outbuf[:len(self.outbuf) - 64 * 1024]
        self.flush_out()

    def flush_out(self):
        while self.outbuf and self.master is not None:
            try:
                n = os.write(self.master, self.outbuf)
            except BlockingIOError:
                return
            except OSError as e:
                if e.errno in (errno.EIO, errno.EAGAIN):
                    return
                raise
            del self.outbuf[:n]

    def resp(self, lines=(), final="OK"):
        out = []
        for ln in lines:
            out.append("\r\n" + ln + "\r\n")
        if final is not None:
            out.append("\r\n" + final + "\r\n")
        self.write("".join(out))

    def cms(self, code):
        self.counters["cms_errors"] += 1
        if self.cmee == 0:
            self.resp(final="ERROR")
        elif self.cmee == 2:
            self.resp(final="+CMS ERROR: %s" % CMS_TEXT.get(code, code))
        else:
            self.resp(final="+CMS ERROR: %d" % code)

    def cme(self, code, text="operation not allowed"):
        if self.cmee == 0:
            self.resp(final="ERROR")
        elif self.cmee == 2:
            self.resp(final="+CME ERROR: %s" % text)
        else:
            self.resp(final="+CME ERROR: %d" % code)

    def queue_unsolicited(self, text):
        self.unsolicited.append(text)
        self.flush_unsolicited()

    def flush_unsolicited(self):
        while (self.unsolicited and self.mode == "cmd" and not self.busy
               and not self.inbuf and not self.down and not self.is_silent()):
            self.write("\r\n" + self.unsolicited.popleft() + "\r\n")

    # ------------------------------------------------------------ charset

    def enc_str(self, s):
        if self.charset in ("UCS2", "UCS-2"):
            return s.encode("utf-16-be", "surrogatepass").hex().upper()
        return s.encode("ascii", "replace").decode("ascii")

    def dec_str(self, s):
        if self.charset in ("UCS2", "UCS-2") and re.fullmatch(r"(?:[0-9A-Fa-f]{4})+", s or ""):
            try:
                return bytes.fromhex(s).decode("utf-16-be", "surrogatepass")
            except ValueError:
                return s
        return s

    # ------------------------------------------------------------ silence

    def is_silent(self):
        if self.silent_until is None:
            return False
        if time.monotonic() >= self.silent_until:
            self.silent_until = None
            self.log("silence ended")
            return False
        return True

    # ------------------------------------------------------------ input

    def on_readable(self):
        try:
            data = os.read(self.master, 4096)
        except BlockingIOError:
            return
        except OSError as e:
            if e.errno == errno.EIO:
                return
            raise
        if not data:
            return
        self.at_log("<<", data)
        if self.is_silent():
            self.counters["bytes_ignored_silent"] += len(data)
            return
        self.inbuf += data
        self.process_input()

    def process_input(self):
        while self.inbuf and not self.busy and self.master is not None:
            if self.mode == "pdu":
                i = -1
                for j, b in enumerate(self.inbuf):
                    if b in (CTRL_Z, ESC):
                        i = j
                        break
                if i < 0:
                    if self.echo:
                        self.write(bytes(self.inbuf))
                    self.pdu_ctx["data"] += self.inbuf
                    self.inbuf = bytearray()
                    if len(self.pdu_ctx["data"]) > 1024:
                        self.mode = "cmd"
                        self.pdu_ctx = None
                        self.cms(304)
                    return
                chunk = self.inbuf[:i]
                term = self.inbuf[i]
                del self.inbuf[:i + 1]
                if self.echo and chunk:
                    self.write(bytes(chunk))
                ctx = self.pdu_ctx
                ctx["data"] += chunk
                self.mode = "cmd"
                self.pdu_ctx = None
                if term == ESC:
                    self.log("PDU entry cancelled")
                    self.resp()
                else:
                    ctx["handler"](ctx, bytes(ctx["data"]).decode("latin-1"))
                continue
            # command mode
            # drop leading line feeds / NULs
            while self.inbuf and self.inbuf[0] in (0x0A, 0x00):
                del self.inbuf[0]
            if not self.inbuf:
                break
            esc = self.inbuf.find(bytes([ESC]))
            cr = self.inbuf.find(b"\r")
            if esc >= 0 and (cr < 0 or esc < cr):
                del self.inbuf[:esc + 1]
                continue
            if cr < 0:
                if len(self.inbuf) > 4096:
                    self.inbuf = bytearray()
                break
            line = bytes(self.inbuf[:cr])
            del self.inbuf[:cr + 1]
            # honour backspace
            buf = bytearray()
            for b in line:
                if b == 0x08:
                    if buf:
                        buf.pop()
                else:
                    buf.append(b)
            text = buf.decode("latin-1").strip()
            if self.echo:
                self.write(bytes(line) + b"\r")
            if not text:
                continue
            self.counters["at_commands"] += 1
            try:
                self.handle_line(text)
            except Exception:  # never die on a bad command
                self.log("exception handling", repr(text), traceback.format_exc())
                self.resp(final="ERROR")
            if self.silence_after:
                left, secs = self.silence_after
                if left <= 1:
                    self.silence_after = None
                    self.ctl_silence({"seconds": secs})
                    return
                self.silence_after = (left - 1, secs)
        self.flush_unsolicited()

    # ------------------------------------------------------------ AT dispatch

    def handle_line(self, text):
        self.log("AT", repr(text))
        if text.upper() == "A/":
            self.resp(final="ERROR")
            return
        if not text[:2].upper() == "AT":
            self.resp(final="ERROR")
            return
        body = text[2:]
        if body == "":
            self.resp()
            return
        if body[0] in "+^$%*#":
            m = re.match(r"([+^$%*#][A-Za-z0-9]+)(=\?|\?|=)?(.*)$", body, re.S)
            if not m:
                self.resp(final="ERROR")
                return
            name = m.group(1).upper()
            op = m.group(2) or ""
            arg = m.group(3)
            fn = getattr(self, "cmd_" + re.sub(r"[^A-Z0-9]", "_", name), None)
            if fn is None:
                self.log("unsupported command", text)
                self.counters["unsupported_commands"] += 1
                self.resp(final="ERROR")
                return
            fn(op, arg, text)
            return
        self.basic(body.upper(), text)

    def basic(self, body, text):
        if re.fullmatch(r"E[01]?", body):
            self.echo = body != "E" and body[1] == "1"
            self.resp()
        elif body in ("Z", "Z0", "&F", "&F0"):
            self.echo = True
            self.cmee = 0
            self.cmgf = 0
            self.charset = "GSM"
            self.resp()
        elif re.fullmatch(r"I[0-9]?", body):
            n = body[1:] or "0"
            info = {
                "0": [self.args.manufacturer, self.args.model, "Revision: " + self.args.revision,
                      "IMEI: " + self.args.imei, "+GCAP: +CGSM"],
                "3": [self.args.manufacturer],
                "4": [self.args.model],
                "5": [self.args.revision],
            }.get(n, [self.args.model])
            self.resp(info)
        elif re.fullmatch(r"(V1|Q0|&C1|&D[0-2]|S0=0|X[0-4]|L[0-3]|M[0-2]|&W0?)", body):
            self.resp()
        elif body in ("H", "H0"):
            self.resp()
        elif body.startswith("D") or body == "A":
            self.resp(final="NO CARRIER")
        else:
            self.log("unsupported basic command", text)
            self.counters["unsupported_commands"] += 1
            self.resp(final="ERROR")

    @staticmethod
    def split_args(arg):
        out, cur, q = [], [], False
        for ch in arg:
            if ch == '"':
                q = not q
                cur.append(ch)
            elif ch == "," and not q:
                out.append("".join(cur).strip())
                cur = []
            else:
                cur.append(ch)
        out.append("".join(cur).strip())
        return out

    @staticmethod
    def unq(s):
        s = s.strip()
        if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
            return s[1:-1]
        return s

    def int_args(self, arg):
        res = []
        for a in self.split_args(arg):
            a = self.unq(a)
            res.append(int(a) if a.strip().lstrip("-").isdigit() else None)
        return res

    # ---- identification

    def cmd__CGMI(self, op, arg, text):
        self.resp([] if op == "=?" else [self.args.manufacturer])

    def cmd__GMI(self, op, arg, text):
        self.cmd__CGMI(op, arg, text)

    def cmd__CGMM(self, op, arg, text):
        self.resp([] if op == "=?" else [self.args.model])

    def cmd__GMM(self, op, arg, text):
        self.cmd__CGMM(op, arg, text)

    def cmd__CGMR(self, op, arg, text):
        self.resp([] if op == "=?" else [self.args.revision])

    def cmd__GMR(self, op, arg, text):
        self.cmd__CGMR(op, arg, text)

    def cmd__CGSN(self, op, arg, text):
        self.resp([] if op == "=?" else [self.args.imei])

    def cmd__GSN(self, op, arg, text):
        self.cmd__CGSN(op, arg, text)

    def cmd__CIMI(self, op, arg, text):
        if self.pin_state != "READY":
            self.cme(10, "SIM not inserted") if self.pin_state == "NOSIM" else self.cme(11, "SIM PIN required")
            return
        self.resp([] if op == "=?" else [self.args.imsi])

    def cmd__GCAP(self, op, arg, text):
        self.resp(["+GCAP: +CGSM,+DS,+ES"])

    # ---- general settings

    def cmd__CMEE(self, op, arg, text):
        if op == "=?":
            self.resp(["+CMEE: (0-2)"])
        elif op == "?":
            self.resp(["+CMEE: %d" % self.cmee])
        elif op == "=" or op == "":
            v = self.int_args(arg)[0] if arg.strip() else 0
            if v not in (0, 1, 2):
                self.resp(final="ERROR")
                return
            self.cmee = v
            self.resp()

    def cmd__CSCS(self, op, arg, text):
        sets = ["GSM", "IRA", "UCS2"]
        if op == "=?":
            self.resp(['+CSCS: ("GSM","IRA","UCS2")'])
        elif op == "?":
            # plain name even in UCS2 (most modems); an encoded answer would switch
            # libGammu to "EncodedCommands" mode
            self.resp(['+CSCS: "%s"' % self.charset])
        elif op == "=":
            v = self.dec_str(self.unq(arg)).upper()
            if v == "UCS-2":
                v = "UCS2"
            if v not in sets:
                self.cme(4, "operation not supported")
                return
            self.charset = v
            self.resp()
        else:
            self.resp(final="ERROR")

    def cmd__CFUN(self, op, arg, text):
        if op == "=?":
            self.resp(["+CFUN: (0,1,4),(0,1)"])
        elif op == "?":
            self.resp(["+CFUN: 1"])
        else:
            self.resp()

    def cmd__CPIN(self, op, arg, text):
        if op == "?":
            if self.pin_state == "NOSIM":
                self.cme(10, "SIM not inserted")
            else:
                self.resp(["+CPIN: %s" % self.pin_state])
        elif op == "=":
            if self.pin_state == "READY":
                self.cme(3)
            else:
                self.pin_state = "READY"
                self.resp()
        else:
            self.resp()

    def cmd__CLIP(self, op, arg, text):
        self.resp(["+CLIP: 0,1"] if op == "?" else [])

    def cmd__CRC(self, op, arg, text):
        self.resp(["+CRC: 0"] if op == "?" else [])

    def cmd__CCWA(self, op, arg, text):
        self.resp()

    def cmd__CHUP(self, op, arg, text):
        self.resp()

    def cmd__CMMS(self, op, arg, text):
        self.resp(["+CMMS: 0"] if op == "?" else [])

    def cmd__CSCB(self, op, arg, text):
        self.resp(['+CSCB: 0,"",""'] if op == "?" else [])

    def cmd__CBC(self, op, arg, text):
        self.resp([] if op == "=?" else ["+CBC: 0,100"])

    def cmd__CCLK(self, op, arg, text):
        if op == "?":
            dt = datetime.datetime.now().astimezone()
            q = int((dt.utcoffset() or datetime.timedelta(0)).total_seconds() // 900)
            self.resp(['+CCLK: "%s%+03d"' % (dt.strftime("%y/%m/%d,%H:%M:%S"), q)])
        else:
            self.resp()

    def cmd__CSQ(self, op, arg, text):
        if op == "=?":
            self.resp(["+CSQ: (0-31,99),(0-7,99)"])
        else:
            self.resp(["+CSQ: %d,%d" % self.csq])

    def _reg_line(self, name, n):
        if n == 2:
            return '%s: %d,%d,"1F4D","0000C0DE",7' % (name, n, self.creg_stat)
        return "%s: %d,%d" % (name, n, self.creg_stat)

    def cmd__CREG(self, op, arg, text):
        if op == "=?":
            self.resp(["+CREG: (0-2)"])
        elif op == "?":
            self.resp([self._reg_line("+CREG", self.creg_n)])
        else:
            v = self.int_args(arg)[0] if arg.strip() else 0
            if v not in (0, 1, 2):
                self.cme(3)
                return
            self.creg_n = v
            self.resp()

    def cmd__CGREG(self, op, arg, text):
        if op == "=?":
            self.resp(["+CGREG: (0-2)"])
        elif op == "?":
            self.resp([self._reg_line("+CGREG", self.cgreg_n)])
        else:
            v = self.int_args(arg)[0] if arg.strip() else 0
            self.cgreg_n = v if v in (0, 1, 2) else 0
            self.resp()

    def cmd__CEREG(self, op, arg, text):
        self.cmd__CGREG(op, arg, text) if op != "?" else self.resp([self._reg_line("+CEREG", 0)])

    def cmd__CGATT(self, op, arg, text):
        self.resp(["+CGATT: 1"] if op == "?" else [])

    def cmd__COPS(self, op, arg, text):
        if op == "=?":
            self.resp(['+COPS: (2,"%s","%s","%s",7),,(0-4),(0-2)' % (
                self.enc_str(self.operator_name), self.enc_str(self.operator_name[:8]),
                self.operator_code)])
        elif op == "?":
            if self.creg_stat not in (1, 5):
                self.resp(["+COPS: 0"])
            elif self.cops_format == 2:
                self.resp(['+COPS: 0,2,"%s",7' % self.operator_code])
            elif self.cops_format == 1:
                self.resp(['+COPS: 0,1,"%s",7' % self.enc_str(self.operator_name[:8])])
            else:
                self.resp(['+COPS: 0,0,"%s",7' % self.enc_str(self.operator_name)])
        else:
            a = self.int_args(arg)
            if len(a) >= 2 and a[0] == 3 and a[1] in (0, 1, 2):
                self.cops_format = a[1]
            self.resp()

    # ---- SMS configuration

    def cmd__CMGF(self, op, arg, text):
        if op == "=?":
            self.resp(["+CMGF: (0)"])
        elif op == "?":
            self.resp(["+CMGF: %d" % self.cmgf])
        else:
            v = self.int_args(arg)[0] if arg.strip() else 0
            if v != 0:
                # text mode is not emulated: libGammu then stays in PDU mode
                self.cms(303) if self.cmee else self.resp(final="ERROR")
                return
            self.cmgf = 0
            self.resp()

    def cmd__CSDH(self, op, arg, text):
        self.resp(["+CSDH: %d" % self.csdh] if op == "?" else [])

    def cmd__CSMS(self, op, arg, text):
        if op == "?":
            self.resp(["+CSMS: 0,1,1,1"])
        elif op == "=?":
            self.resp(["+CSMS: (0,1)"])
        else:
            self.resp(["+CSMS: 1,1,1"])

    def cmd__CSMP(self, op, arg, text):
        self.resp(["+CSMP: 17,167,0,0"] if op == "?" else [])

    def cmd__CNMA(self, op, arg, text):
        self.resp()

    def cmd__CSCA(self, op, arg, text):
        if op == "?":
            if not self.smsc:
                self.resp(['+CSCA: "",129'])
            else:
                t = 145 if self.smsc.startswith("+") else 129
                self.resp(['+CSCA: "%s",%d' % (self.enc_str(self.smsc), t)])
        elif op == "=":
            a = self.split_args(arg)
            num = self.dec_str(self.unq(a[0]))
            if len(a) > 1 and self.unq(a[1]) == "145" and not num.startswith("+"):
                num = "+" + num
            self.smsc = num
            self.resp()
        else:
            self.resp()

    def cmd__CNMI(self, op, arg, text):
        if op == "=?":
            self.resp(["+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)"])
        elif op == "?":
            self.resp(["+CNMI: %d,%d,%d,%d,%d" % tuple(self.cnmi)])
        else:
            vals = self.int_args(arg) if arg.strip() else []
            new = list(self.cnmi)
            allowed = [(0, 1, 2), (0, 1, 2, 3), (0, 2), (0, 1, 2), (0, 1)]
            for i, v in enumerate(vals[:5]):
                if v is None:
                    continue
                if v not in allowed[i]:
                    self.cms(303)
                    return
                new[i] = v
            self.cnmi = new
            self.resp()

    def usage(self):
        return len(self.store)

    def cmd__CPMS(self, op, arg, text):
        u, t = self.usage(), self.capacity
        if op == "=?":
            self.resp(['+CPMS: ("SM"),("SM"),("SM")'])
        elif op == "?":
            self.resp(['+CPMS: "SM",%d,%d,"SM",%d,%d,"SM",%d,%d' % (u, t, u, t, u, t)])
        elif op == "=":
            mems = [self.dec_str(self.unq(a)).upper() for a in self.split_args(arg)]
            if not mems or len(mems) > 3 or any(m not in ("SM",) for m in mems):
                self.cms(302)
                return
            self.resp(["+CPMS: " + ",".join(["%d,%d" % (u, t)] * 3)])
        else:
            self.resp(final="ERROR")

    # ---- SMS storage access

    def valid_index(self, i):
        return i is not None and 1 <= i <= self.capacity

    def cmd__CMGL(self, op, arg, text):
        if op == "=?":
            self.resp(["+CMGL: (0-4)"])
            return
        a = self.unq(arg) if op == "=" else "0"
        if not a.isdigit() or int(a) not in range(5):
            self.cms(302)  # text-mode names in PDU mode
            return
        want = int(a)
        lines = []
        for idx in sorted(self.store):
            m = self.store[idx]
            if want != 4 and m.stat != want:
                continue
            lines.append("+CMGL: %d,%d,,%d" % (idx, m.stat, m.tpdu_len))
            lines.append(m.pdu)
            if m.stat == 0:
                m.stat = 1
        self.counters["cmgl"] += 1
        self.resp(lines)

    def cmd__CMGR(self, op, arg, text):
        if op == "=?":
            self.resp()
            return
        i = self.int_args(arg)[0] if op == "=" else None
        if not self.valid_index(i):
            self.cms(321)
            return
        m = self.store.get(i)
        if m is None:
            self.cms(321)
            return
        lines = ["+CMGR: %d,,%d" % (m.stat, m.tpdu_len), m.pdu]
        if m.stat == 0:
            m.stat = 1
        self.counters["cmgr"] += 1
        self.resp(lines)

    def cmd__CMGD(self, op, arg, text):
        if op == "=?":
            idx = ",".join(str(i) for i in sorted(self.store))
            self.resp(["+CMGD: (%s),(0-4)" % idx])
            return
        a = self.int_args(arg)
        i = a[0]
        flag = a[1] if len(a) > 1 and a[1] is not None else 0
        if flag == 0 and not self.valid_index(i):
            self.cms(321)
            return
        if flag == 0:
            if i in self.store:
                del self.store[i]
                self.counters["deleted"] += 1
        else:
            keep = {1: (0, 2, 3), 2: (0, 2), 3: (0,), 4: ()}.get(flag)
            if keep is None:
                self.cms(302)
                return
            for idx in list(self.store):
                if self.store[idx].stat not in keep:
                    del self.store[idx]
                    self.counters["deleted"] += 1
        self.resp()
        self.add_timer(0.05, self.drain_pending)

    def cmd__CMGW(self, op, arg, text):
        if op == "=?":
            self.resp()
            return
        a = self.int_args(arg) if arg.strip() else []
        if not a or a[0] is None:
            self.cms(304)
            return
        stat = a[1] if len(a) > 1 and a[1] is not None else 2
        self.start_pdu_entry({"cmd": "CMGW", "length": a[0], "stat": stat, "handler": self.finish_cmgw})

    def finish_cmgw(self, ctx, hexdata):
        hexdata = re.sub(r"\s+", "", hexdata)
        try:
            dec = self.check_pdu(hexdata, ctx["length"])
        except ValueError as e:
            self.log("CMGW bad pdu", e)
            self.cms(304)
            return
        idx = self.free_index()
        if idx is None:
            self.counters["cmgw_full"] += 1
            self.cms(322)
            return
        self.store[idx] = Msg(hexdata.upper(), ctx["stat"], kind=dec["type"])
        self.resp(["+CMGW: %d" % idx])

    def cmd__CMSS(self, op, arg, text):
        a = self.int_args(arg)
        i = a[0] if a else None
        m = self.store.get(i) if self.valid_index(i) else None
        if m is None:
            self.cms(321)
            return
        try:
            dec = P.decode_pdu(m.pdu)
        except ValueError:
            self.cms(304)
            return
        if dec["type"] != "submit":
            self.cms(302)
            return
        self.busy = True
        self.do_send(m.pdu, dec, "CMSS", on_ok=lambda: setattr(m, "stat", 3))

    def cmd__CMGS(self, op, arg, text):
        if op == "=?":
            self.resp()
            return
        a = self.int_args(arg) if arg.strip() else []
        if not a or a[0] is None or a[0] <= 0:
            self.cms(304)
            return
        self.cmd_started = time.time()
        self.start_pdu_entry({"cmd": "CMGS", "length": a[0], "handler": self.finish_cmgs})

    def start_pdu_entry(self, ctx):
        ctx["data"] = bytearray()
        self.mode = "pdu"
        self.pdu_ctx = ctx
        self.write("\r\n> ")

    def check_pdu(self, hexdata, length):
        if not re.fullmatch(r"(?:[0-9A-Fa-f]{2})+", hexdata):
            raise ValueError("not hex")
        buf = bytes.fromhex(hexdata)
        tpdu_len = len(buf) - 1 - buf[0]
        if tpdu_len != length:
            raise ValueError("length mismatch: AT said %d, TPDU is %d" % (length, tpdu_len))
        return P.decode_pdu(hexdata)

    def finish_cmgs(self, ctx, hexdata):
        hexdata = re.sub(r"\s+", "", hexdata)
        try:
            dec = self.check_pdu(hexdata, ctx["length"])
            if dec["type"] != "submit":
                raise ValueError("not an SMS-SUBMIT")
        except ValueError as e:
            self.log("CMGS bad pdu", e, hexdata)
            self.counters["bad_pdus"] += 1
            self.cms(304)
            return
        self.busy = True
        self.do_send(hexdata.upper(), dec, "CMGS")

    def do_send(self, hexdata, dec, via, on_ok=None):
        """Network side of AT+CMGS / AT+CMSS: wait send_delay, then answer."""
        if self.fail_queue:
            err = self.fail_queue.pop(0)
        elif self.creg_stat not in (1, 5):
            err = 331
        else:
            err = None

        started = getattr(self, "cmd_started", None) if via == "CMGS" else None

        def finish():
            self.busy = False
            rec = {"time": now_iso(), "via": via, "number": dec.get("number"),
                   "t_start": started, "t_end": time.time(),
                   "toa": dec.get("toa"), "text": dec.get("text"), "coding": dec.get("coding"),
                   "dcs": dec.get("dcs"), "pid": dec.get("pid"), "udh": (dec.get("udh") or {}).get("hex"),
                   "concat": dec.get("concat"), "status_report": dec.get("status_report"),
                   "vp": dec.get("vp"), "tp_mr": dec.get("mr"), "smsc": dec.get("smsc"), "pdu": hexdata}
            if dec.get("data") is not None:
                rec["data"] = dec["data"]
            if err is not None:
                rec.update({"ok": False, "cms_error": err, "mr": None})
                self.counters["sms_send_failed"] += 1
                self.record_sent(rec)
                self.cms(err)
            else:
                mr = self.next_mr
                self.next_mr = (self.next_mr + 1) % 256
                rec.update({"ok": True, "cms_error": None, "mr": mr})
                self.counters["sms_sent"] += 1
                self.record_sent(rec)
                if on_ok:
                    on_ok()
                self.resp(["+%s: %d" % (via, mr)])
                if dec.get("status_report"):
                    self.schedule_report(mr, dec.get("number"), dec.get("toa"), rec)
            self.process_input()

        finish.lost_on_drop = True
        self.add_timer(self.send_delay, finish)

    def record_sent(self, rec):
        rec["seq"] = len(self.sent) + 1
        self.sent.append(rec)
        self.log("sent", json.dumps(rec, ensure_ascii=False))
        if self.args.sent_log:
            with open(self.args.sent_log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # ---- status reports

    def schedule_report(self, mr, number, toa, rec):
        submit_time = datetime.datetime.now().astimezone()
        status = self.report_fail.pop(0) if self.report_fail else 0x00

        def deliver():
            hexpdu, _ = P.build_status_report(mr, number or "", status=status, scts=submit_time,
                                              discharge=datetime.datetime.now().astimezone(),
                                              smsc=self.smsc, recipient_toa=toa)
            rec["report_status"] = status
            self.counters["status_reports"] += 1
            self.route_status_report(hexpdu, {"mr": mr, "report_status": status})

        self.add_timer(self.report_delay, deliver)

    def route_status_report(self, hexpdu, info):
        ds = self.cnmi[3]
        mode = self.report_mode
        if mode == "cnmi":
            mode = {1: "cds", 2: "store"}.get(ds, "store")
        if mode == "cds":
            tpdu_len = len(hexpdu) // 2 - 1 - int(hexpdu[:2], 16)
            self.queue_unsolicited("+CDS: %d\r\n%s" % (tpdu_len, hexpdu))
            self.log("status report via +CDS", info)
            return "cds"
        return self.store_incoming(Msg(hexpdu, 0, kind="status_report", info=info), report=True)

    # ---- incoming messages

    def free_index(self):
        for i in range(1, self.capacity + 1):
            if i not in self.store:
                return i
        return None

    def store_incoming(self, msg, report=False):
        """Store a received message in SM (or queue it while the SIM is full)."""
        if self.pending or self.free_index() is None:
            self.pending.append((msg, report))
            self.counters["queued_sim_full"] += 1
            self.log("SIM full; queued", msg.kind)
            return None
        idx = self.free_index()
        self.store[idx] = msg
        self.counters["stored"] += 1
        if report:
            if self.cnmi[3] == 2 or (self.report_mode == "store" and self.cnmi[3] != 0):
                self.queue_unsolicited('+CDSI: "SM",%d' % idx)
        elif self.cnmi[1] in (1, 2, 3):
            self.queue_unsolicited('+CMTI: "SM",%d' % idx)
        return idx

    def drain_pending(self):
        while self.pending and self.free_index() is not None:
            msg, report = self.pending.popleft()
            idx = self.free_index()
            self.store[idx] = msg
            self.counters["stored"] += 1
            self.log("delivered queued message to", idx)
            if report:
                if self.cnmi[3] == 2:
                    self.queue_unsolicited('+CDSI: "SM",%d' % idx)
            elif self.cnmi[1] in (1, 2, 3):
                self.queue_unsolicited('+CMTI: "SM",%d' % idx)

    def deliver_pdu(self, hexpdu, info=None):
        hexpdu = re.sub(r"\s+", "", hexpdu).upper()
        dec = P.decode_pdu(hexpdu)  # validates
        kind = dec["type"]
        if self.cnmi[1] == 2 and kind == "deliver" and not self.args.no_cmt:
            # CNMI mt=2: route directly to the TE, do not store
            tpdu_len = len(hexpdu) // 2 - 1 - int(hexpdu[:2], 16)
            self.queue_unsolicited("+CMT: ,%d\r\n%s" % (tpdu_len, hexpdu))
            self.counters["delivered"] += 1
            return {"routed": "cmt"}
        self.counters["delivered"] += 1
        if kind == "status_report":
            idx = self.route_status_report(hexpdu, info or {})
            if idx == "cds":
                return {"routed": "cds"}
        else:
            idx = self.store_incoming(Msg(hexpdu, 0, kind=kind, info=info))
        return {"index": idx, "queued": idx is None}

    # ---- USSD

    def cmd__CUSD(self, op, arg, text):
        if op == "=?":
            self.resp(["+CUSD: (0-2)"])
            return
        if op == "?":
            self.resp(["+CUSD: %d" % self.cusd_n])
            return
        a = self.split_args(arg) if arg.strip() else ["0"]
        n = int(self.unq(a[0]) or 0)
        if n not in (0, 1, 2):
            self.cme(3)
            return
        if len(a) < 2 or n == 2:
            self.cusd_n = n if n != 2 else self.cusd_n
            self.resp()
            return
        self.cusd_n = n
        code = self.dec_str(self.unq(a[1]))
        self.counters["ussd"] += 1
        self.log("USSD request", code)
        self.resp()
        ans = self.ussd.get(code)

        def answer():
            if ans is None:
                self.queue_unsolicited("+CUSD: %d" % self.ussd_default_status)
                return
            status = ans.get("status", 0)
            dcs = ans.get("dcs", 15)
            if dcs == 72:
                payload = ans["text"].encode("utf-16-be", "surrogatepass").hex().upper()
            else:
                payload = self.enc_str(ans["text"])
            self.queue_unsolicited('+CUSD: %d,"%s",%d' % (status, payload, dcs))

        answer.lost_on_drop = True
        self.add_timer(self.ussd_delay, answer)

    # ------------------------------------------------------------ control API

    def control(self, req):
        cmd = req.get("cmd")
        fn = getattr(self, "ctl_" + str(cmd), None)
        if fn is None:
            raise ValueError("unknown command %r" % cmd)
        res = fn(req) or {}
        res["ok"] = True
        return res

    def ctl_ping(self, req):
        return {"pty": self.slave_path, "link": self.pty_link, "down": self.down}

    def _deliver_parts(self, req):
        sender = req.get("sender") or req.get("from")
        if not sender:
            raise ValueError("deliver needs 'sender'")
        text = req.get("text", "")
        coding = P.choose_coding(text, req.get("coding"))
        ts = req.get("timestamp") or req.get("smsc_timestamp")
        smsc = req.get("smsc", self.smsc)
        concat = req.get("concat")
        common = dict(coding=coding, timestamp=ts, smsc=smsc,
                      sender_toa=req.get("sender_toa"), pid=req.get("pid", 0),
                      msg_class=req.get("class"), status_report_ind=req.get("status_report_ind", False))
        if concat:
            ref = int(concat.get("ref", 1))
            ref16 = bool(concat.get("ref16", False))
            udh = P.concat_udh(ref, int(concat["total"]), int(concat["seq"]), ref16)
            return [P.build_deliver(sender, text, udh=udh, **common)]
        if P.fits_single(text, coding) or coding == "8bit" or req.get("split") is False:
            return [P.build_deliver(sender, text, **common)]
        ref16 = bool(req.get("ref16", False))
        self.concat_ref = (self.concat_ref + 1) % (65536 if ref16 else 256)
        ref = int(req.get("ref", self.concat_ref))
        chunks = P.split_text(text, coding, ref16)
        return [P.build_deliver(sender, c, udh=P.concat_udh(ref, len(chunks), i + 1, ref16), **common)
                for i, c in enumerate(chunks)]

    def ctl_deliver(self, req):
        parts = self._deliver_parts(req)
        results = []
        for hexpdu, _ in parts:
            results.append(dict(self.deliver_pdu(hexpdu), pdu=hexpdu))
        return {"parts": results}

    def ctl_deliver_pdu(self, req):
        hexpdu = req.get("pdu", "")
        if req.get("smsc_prefix") is False or req.get("tpdu"):
            hexpdu = "00" + (req.get("tpdu") or hexpdu)
        res = self.deliver_pdu(hexpdu)
        res["pdu"] = hexpdu.upper()
        return res

    def ctl_fail_sends(self, req):
        n = int(req.get("count", 1))
        code = int(req.get("error", 500))
        self.fail_queue.extend([code] * n)
        return {"pending_failures": len(self.fail_queue)}

    def ctl_clear_failures(self, req):
        self.fail_queue = []
        self.report_fail = []

    def ctl_fail_reports(self, req):
        n = int(req.get("count", 1))
        st = int(req.get("status", 0x41))
        self.report_fail.extend([st] * n)
        return {"pending_report_failures": len(self.report_fail)}

    def ctl_fill_sim(self, req):
        n = 0
        while self.free_index() is not None:
            i = self.free_index()
            hexpdu, _ = P.build_deliver(req.get("sender", "FILLER"), req.get("text", "filler %d" % i),
                                        smsc=self.smsc)
            self.store[i] = Msg(hexpdu, int(req.get("stat", 1)), kind="deliver", info={"filler": True})
            n += 1
        return {"filled": n, "used": self.usage(), "total": self.capacity}

    def ctl_set_capacity(self, req):
        size = int(req["size"])
        if size < 1 or size > 255:
            raise ValueError("size must be 1..255")
        self.capacity = size
        for i in [i for i in self.store if i > size]:
            del self.store[i]
        self.drain_pending()
        return {"used": self.usage(), "total": self.capacity}

    def ctl_clear_sim(self, req):
        self.store.clear()
        self.drain_pending() if req.get("drain", True) else None
        return {"used": self.usage()}

    def ctl_drop(self, req):
        down_for = req.get("down_for", 2.0)
        self.drop_line(down_for)
        return {"down_for": down_for}

    def ctl_reconnect(self, req):
        self.reconnect()
        return {"pty": self.slave_path}

    def ctl_silence(self, req):
        secs = req.get("seconds")
        after = int(req.get("after_commands", 0) or 0)
        if after > 0:
            # keep answering `after` more AT commands, then go silent
            self.silence_after = (after, secs)
            return {"seconds": secs, "after_commands": after}
        self.silent_until = float("inf") if secs is None else time.monotonic() + float(secs)
        self.counters["silences"] += 1
        # a modem that hangs forgets the half-typed command
        self.inbuf = bytearray()
        self.mode = "cmd"
        self.pdu_ctx = None
        return {"seconds": secs}

    def ctl_resume(self, req):
        self.silent_until = None
        self.flush_unsolicited()

    def ctl_set_send_delay(self, req):
        self.send_delay = float(req.get("seconds", 0))
        return {"seconds": self.send_delay}

    def ctl_set_report_delay(self, req):
        self.report_delay = float(req.get("seconds", 0))

    def ctl_set_report_mode(self, req):
        mode = req.get("mode")
        if mode not in ("cnmi", "store", "cds"):
            raise ValueError("mode must be cnmi, store or cds")
        self.report_mode = mode

    def ctl_set_ussd(self, req):
        code = req["code"]
        if req.get("text") is None:
            self.ussd.pop(code, None)
        else:
            self.ussd[code] = {"text": req["text"], "status": int(req.get("status", 0)),
                               "dcs": int(req.get("dcs", 15))}
        return {"codes": sorted(self.ussd)}

    def ctl_set_network(self, req):
        if "csq" in req:
            self.csq = (int(req["csq"]), int(req.get("ber", 99)))
        if "registered" in req:
            self.creg_stat = 1 if req["registered"] else 0
        if "creg_stat" in req:
            self.creg_stat = int(req["creg_stat"])
        if "operator" in req:
            self.operator_name = req["operator"]
        if "operator_code" in req:
            self.operator_code = req["operator_code"]
        if "pin" in req:
            self.pin_state = req["pin"]
        if "smsc" in req:
            self.smsc = req["smsc"]
        if "mr" in req:
            self.next_mr = int(req["mr"]) & 0xFF
        return {"csq": self.csq, "creg_stat": self.creg_stat}

    def ctl_set_cnmi(self, req):
        vals = [int(x) for x in str(req["cnmi"]).split(",")]
        self.cnmi = (vals + [0] * 5)[:5]

    def ctl_unsolicited(self, req):
        self.queue_unsolicited(req["line"])

    def ctl_delete(self, req):
        idx = int(req["index"])
        existed = self.store.pop(idx, None) is not None
        self.drain_pending()
        return {"deleted": existed}

    def ctl_state(self, req):
        return {
            "pty": self.slave_path, "link": self.pty_link, "down": self.down,
            "silent": self.is_silent(),
            "stored": [self.store[i].as_dict(i) for i in sorted(self.store)],
            "used": self.usage(), "total": self.capacity,
            "pending": len(self.pending),
            "sent": self.sent if req.get("with_sent", True) else None,
            "counters": dict(self.counters),
            "echo": self.echo, "cmee": self.cmee, "charset": self.charset,
            "cnmi": list(self.cnmi), "smsc": self.smsc, "next_mr": self.next_mr,
            "send_delay": self.send_delay, "report_mode": self.report_mode,
            "pending_failures": len(self.fail_queue), "ussd": self.ussd,
            # an AT+CMGS/CMSS whose PDU is in and whose answer is not out yet
            "busy": self.busy,
        }

    def ctl_sent(self, req):
        return {"sent": self.sent}

    def ctl_stored(self, req):
        return {"stored": [self.store[i].as_dict(i) for i in sorted(self.store)],
                "used": self.usage(), "total": self.capacity, "pending": len(self.pending)}

    def ctl_counters(self, req):
        return {"counters": dict(self.counters)}

    def ctl_clear_sent(self, req):
        self.sent = []

    def ctl_shutdown(self, req):
        self.running = False


class ControlServer:
    def __init__(self, path, modem):
        self.path = path
        self.modem = modem
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.clients = {}  # sock -> [inbuf, outbuf]

    def fds(self):
        return [self.sock] + list(self.clients)

    def wfds(self):
        return [c for c, (i, o) in self.clients.items() if o]

    def on_readable(self, s):
        if s is self.sock:
            try:
                c, _ = self.sock.accept()
            except BlockingIOError:
                return
            c.setblocking(False)
            self.clients[c] = [bytearray(), bytearray()]
            return
        try:
            data = s.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.close(s)
            return
        st = self.clients[s]
        st[0] += data
        while b"\n" in st[0]:
            line, _, rest = bytes(st[0]).partition(b"\n")
            st[0] = bytearray(rest)
            if not line.strip():
                continue
            try:
                req = json.loads(line.decode("utf-8"))
                if not isinstance(req, dict):
                    raise ValueError("request must be a JSON object")
                res = self.modem.control(req)
            except Exception as e:  # report, keep serving
                res = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            if isinstance(req, dict) and "id" in req:
                res["id"] = req["id"]
            st[1] += (json.dumps(res, ensure_ascii=False) + "\n").encode("utf-8")
        self.on_writable(s)

    def on_writable(self, s):
        st = self.clients.get(s)
        if not st:
            return
        try:
            n = s.send(st[1])
            del st[1][:n]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self.close(s)

    def close(self, s):
        self.clients.pop(s, None)
        try:
            s.close()
        except OSError:
            pass

    def shutdown(self):
        for c in list(self.clients):
            self.on_writable(c)
            self.close(c)
        self.sock.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def main(argv=None):
    ap = argparse.ArgumentParser(description="GSM modem emulator for libGammu tests")
    ap.add_argument("--pty-link", help="create/replace a symlink at PATH pointing to the pty slave")
    ap.add_argument("--control", help="Unix socket path for the JSON control channel")
    ap.add_argument("--ready-file", help="written (JSON: pid, pty, link, control) once listening")
    ap.add_argument("--sent-log", help="append one JSON line per AT+CMGS/AT+CMSS to this file")
    ap.add_argument("--log", help="debug log of the emulator (commands, events)")
    ap.add_argument("--at-log", help="raw byte log of the serial line (<< from host, >> to host)")
    ap.add_argument("--sim-size", type=int, default=30, help="SM capacity (default 30)")
    ap.add_argument("--smsc", default="+6281100000", help="SMSC number (AT+CSCA?)")
    ap.add_argument("--send-delay", type=float, default=0.0, help="seconds before +CMGS answer")
    ap.add_argument("--report-delay", type=float, default=0.5,
                    help="seconds after +CMGS before the status report arrives")
    ap.add_argument("--report-mode", choices=("cnmi", "store", "cds"), default="cnmi",
                    help="status report routing (default: follow AT+CNMI <ds>)")
    ap.add_argument("--cnmi", default="2,1,0,2,0", help="power-on AT+CNMI values")
    ap.add_argument("--no-cmt", action="store_true", help="store even when CNMI mt=2")
    ap.add_argument("--first-mr", type=int, default=1, help="first TP-MR handed out")
    ap.add_argument("--ussd", action="append", default=[], metavar="CODE=TEXT",
                    help="USSD answer, e.g. '*888#=Sisa pulsa Rp 12.500' (repeatable)")
    ap.add_argument("--manufacturer", default="Kentongan")
    ap.add_argument("--model", default="EMU-900")
    ap.add_argument("--revision", default="EMU-1.0.0")
    ap.add_argument("--imei", default="356938035643809")
    ap.add_argument("--imsi", default="510109876543210")
    ap.add_argument("--operator", default="TELKOMSEL")
    ap.add_argument("--operator-code", default="51010")
    ap.add_argument("--csq", type=int, default=21)
    args = ap.parse_args(argv)

    modem = Modem(args)
    for spec in args.ussd:
        code, _, text = spec.partition("=")
        modem.ussd[code] = {"text": text, "status": 0, "dcs": 15}
    modem.open_pty()
    modem.add_timer(0.2, modem.clear_exclusive)
    ctl = ControlServer(args.control, modem) if args.control else None

    def stop(signum, frame):
        modem.running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, stop)

    info = {"pid": os.getpid(), "pty": modem.slave_path, "link": args.pty_link, "control": args.control}
    print(json.dumps(info), flush=True)
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(json.dumps(info) + "\n")
        os.replace(tmp, args.ready_file)

    try:
        while modem.running:
            now = time.monotonic()
            while modem.timers and (not modem.timers[0][3] or modem.timers[0][0] <= now):
                entry = heapq.heappop(modem.timers)
                if entry[3]:
                    try:
                        entry[2]()
                    except Exception:
                        modem.log("timer exception", traceback.format_exc())
                now = time.monotonic()
            timeout = 1.0
            if modem.timers:
                timeout = max(0.0, min(timeout, modem.timers[0][0] - now))
            if modem.silent_until is not None and modem.silent_until != float("inf"):
                timeout = max(0.0, min(timeout, modem.silent_until - now))
            rl, wl = [], []
            if modem.master is not None:
                rl.append(modem.master)
                if modem.outbuf:
                    wl.append(modem.master)
            if ctl:
                rl += ctl.fds()
                wl += ctl.wfds()
            try:
                r, w, _ = select.select(rl, wl, [], timeout)
            except InterruptedError:
                continue
            if modem.master is not None and modem.master in w:
                modem.flush_out()
            for s in r:
                if s == modem.master and modem.master is not None:
                    modem.on_readable()
                elif ctl:
                    ctl.on_readable(s)
            if ctl:
                for s in w:
                    if s != modem.master and not isinstance(s, int):
                        ctl.on_writable(s)
            if not modem.is_silent():
                modem.flush_unsolicited()
    finally:
        if ctl:
            ctl.shutdown()
        modem.close_pty()
        if args.ready_file:
            try:
                os.unlink(args.ready_file)
            except FileNotFoundError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
