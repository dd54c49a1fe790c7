"""GSM 03.40 / 03.38 PDU helpers for the Kentongan modem emulator (stdlib only).

Encodes SMS-DELIVER and SMS-STATUS-REPORT PDUs and decodes SMS-SUBMIT (and,
for inspection, any of the three) PDUs.  All "full" PDUs here carry the SMSC
address prefix, as a modem shows them in AT+CMGR / AT+CMGL in PDU mode.
"""

import datetime
import re

# ---------------------------------------------------------------- GSM 7-bit

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
assert len(GSM7_BASIC) == 128
GSM7_EXT = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\",
            0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€"}
_BASIC_REV = {c: i for i, c in enumerate(GSM7_BASIC) if i != 0x1B}
_EXT_REV = {c: i for i, c in GSM7_EXT.items()}


def gsm7_septets(text):
    """Text -> list of septets, or None if text is not GSM 7-bit encodable."""
    out = []
    for ch in text:
        if ch in _BASIC_REV:
            out.append(_BASIC_REV[ch])
        elif ch in _EXT_REV:
            out.extend((0x1B, _EXT_REV[ch]))
        else:
            return None
    return out


def gsm7_encodable(text):
    return gsm7_septets(text) is not None


def gsm7_text(septets):
    out = []
    esc = False
    for s in septets:
        if esc:
            out.append(GSM7_EXT.get(s, GSM7_BASIC[s] if s != 0x1B else " "))
            esc = False
        elif s == 0x1B:
            esc = True
        else:
            out.append(GSM7_BASIC[s])
    return "".join(out)


def pack7(septets, fill_bits=0):
    acc = 0
    nbits = fill_bits
    out = bytearray()
    for s in septets:
        acc |= (s & 0x7F) << nbits
        nbits += 7
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits > 0:
        out.append(acc & 0xFF)
    return bytes(out)


def unpack7(data, count, fill_bits=0):
    acc = int.from_bytes(bytes(data), "little")
    acc >>= fill_bits
    return [(acc >> (7 * i)) & 0x7F for i in range(count)]


# ---------------------------------------------------------------- addresses

def _bcd_digits(digits):
    """Semi-octet (swapped nibble) encoding of a dial string."""
    m = {"*": 0xA, "#": 0xB, "a": 0xC, "b": 0xD, "c": 0xE}
    vals = [m[d.lower()] if not d.isdigit() else int(d) for d in digits]
    if len(vals) % 2:
        vals.append(0xF)
    return bytes(vals[i] | (vals[i + 1] << 4) for i in range(0, len(vals), 2))


def _unbcd(data, ndigits):
    m = {0xA: "*", 0xB: "#", 0xC: "a", 0xD: "b", 0xE: "c"}
    out = []
    for b in data:
        for v in (b & 0xF, b >> 4):
            if v == 0xF:
                continue
            out.append(str(v) if v < 10 else m[v])
    return "".join(out[:ndigits])


def is_numeric_address(addr):
    return re.fullmatch(r"\+?[0-9*#]+", addr or "") is not None


def encode_address(addr, toa=None):
    """TP address (OA/DA/RA): length-in-semi-octets, TOA, value."""
    if is_numeric_address(addr) and toa != 0xD0:
        if addr.startswith("+"):
            digits, t = addr[1:], 0x91
        else:
            digits, t = addr, 0x81
        if toa is not None:
            t = toa
        return bytes([len(digits), t]) + _bcd_digits(digits)
    septets = gsm7_septets(addr)
    if septets is None:
        raise ValueError("alphanumeric address must be GSM 7-bit encodable: %r" % addr)
    packed = pack7(septets)
    semi = (len(septets) * 7 + 3) // 4
    return bytes([semi, 0xD0 if toa is None else toa]) + packed


def encode_smsc(addr):
    """SMSC address field as used in front of a PDU (length in octets)."""
    if not addr:
        return b"\x00"
    if addr.startswith("+"):
        digits, t = addr[1:], 0x91
    else:
        digits, t = addr, 0x81
    body = bytes([t]) + _bcd_digits(digits)
    return bytes([len(body)]) + body


def decode_address(buf, pos):
    """-> (address string, toa, new pos)."""
    n = buf[pos]
    toa = buf[pos + 1]
    nbytes = (n + 1) // 2
    raw = buf[pos + 2:pos + 2 + nbytes]
    if (toa & 0x70) == 0x50:  # alphanumeric
        nsept = (n * 4) // 7
        addr = gsm7_text(unpack7(raw, nsept))
    else:
        addr = _unbcd(raw, n)
        if (toa & 0x70) == 0x10:
            addr = "+" + addr
    return addr, toa, pos + 2 + nbytes


def decode_smsc(buf, pos=0):
    n = buf[pos]
    if n == 0:
        return "", pos + 1
    toa = buf[pos + 1]
    addr = _unbcd(buf[pos + 2:pos + 1 + n], 2 * (n - 1))
    if (toa & 0x70) == 0x10:
        addr = "+" + addr
    return addr, pos + 1 + n


# ---------------------------------------------------------------- timestamps

def _swap(v):
    return ((v % 10) << 4) | (v // 10)


def _unswap(b):
    return (b & 0xF) * 10 + (b >> 4)


def encode_scts(dt=None):
    if dt is None:
        dt = datetime.datetime.now().astimezone()
    if isinstance(dt, str):
        dt = parse_time(dt)
    if dt.tzinfo is None:
        dt = dt.astimezone()
    off = dt.utcoffset() or datetime.timedelta(0)
    q = int(abs(off.total_seconds()) // 900)
    tz = _swap(q)
    if off.total_seconds() < 0:
        tz |= 0x08
    return bytes([_swap(dt.year % 100), _swap(dt.month), _swap(dt.day),
                  _swap(dt.hour), _swap(dt.minute), _swap(dt.second), tz])


def decode_scts(b):
    tzb = b[6]
    q = _unswap(tzb & 0xF7)
    sign = -1 if tzb & 0x08 else 1
    tz = datetime.timezone(datetime.timedelta(minutes=15 * q * sign))
    try:
        return datetime.datetime(2000 + _unswap(b[0]), _unswap(b[1]), _unswap(b[2]),
                                 _unswap(b[3]), _unswap(b[4]), _unswap(b[5]),
                                 tzinfo=tz).isoformat()
    except ValueError:
        return b.hex().upper()


def parse_time(s):
    """ISO 8601 ("2024-05-01T10:20:30+07:00", space separator ok) -> aware datetime."""
    s = s.strip().replace(" ", "T", 1)
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    dt = datetime.datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.astimezone()
    return dt


# ---------------------------------------------------------------- UDH

def concat_udh(ref, total, seq, ref16=False):
    if ref16:
        return bytes([6, 0x08, 4, (ref >> 8) & 0xFF, ref & 0xFF, total, seq])
    return bytes([5, 0x00, 3, ref & 0xFF, total, seq])


def parse_udh(udh):
    """udh includes its length octet.  -> dict with 'ies' and optional 'concat'."""
    res = {"hex": udh.hex().upper(), "ies": []}
    pos = 1
    end = 1 + udh[0]
    while pos < end and pos + 1 < len(udh):
        iei = udh[pos]
        ln = udh[pos + 1]
        data = udh[pos + 2:pos + 2 + ln]
        res["ies"].append({"iei": iei, "data": data.hex().upper()})
        if iei == 0x00 and ln == 3:
            res["concat"] = {"ref": data[0], "total": data[1], "seq": data[2], "ref16": False}
        elif iei == 0x08 and ln == 4:
            res["concat"] = {"ref": (data[0] << 8) | data[1], "total": data[2],
                             "seq": data[3], "ref16": True}
        pos += 2 + ln
    return res


# ---------------------------------------------------------------- user data

def choose_coding(text, coding=None):
    if coding in (None, "", "auto"):
        return "7bit" if gsm7_encodable(text) else "ucs2"
    coding = coding.lower().replace("-", "")
    if coding in ("7bit", "gsm", "gsm7", "default"):
        return "7bit"
    if coding in ("ucs2", "unicode", "utf16"):
        return "ucs2"
    if coding in ("8bit", "binary", "data"):
        return "8bit"
    raise ValueError("unknown coding %r" % coding)


def build_ud(text, coding, udh=b""):
    """-> (udl, ud bytes).  text is str (7bit/ucs2) or bytes (8bit)."""
    if coding == "7bit":
        septets = gsm7_septets(text)
        if septets is None:
            raise ValueError("text not GSM 7-bit encodable; use coding ucs2")
        if udh:
            fill = (7 - (len(udh) * 8) % 7) % 7
            udh_septets = (len(udh) * 8 + fill) // 7
            body = pack7(septets, fill)
            # pack7 with fill produces the leading fill bits in the first octet; merge
            return udh_septets + len(septets), udh + body
        return len(septets), pack7(septets)
    if coding == "ucs2":
        data = text.encode("utf-16-be", "surrogatepass")
        return len(udh) + len(data), udh + data
    data = text if isinstance(text, (bytes, bytearray)) else bytes.fromhex(text)
    return len(udh) + len(data), udh + bytes(data)


def dcs_for(coding, msg_class=None):
    base = {"7bit": 0x00, "8bit": 0x04, "ucs2": 0x08}[coding]
    if msg_class is not None:
        base |= 0x10 | (int(msg_class) & 3)
    return base


def split_text(text, coding, ref16=False):
    """Split a long text into the chunks that fit with a concat UDH."""
    if coding == "7bit":
        limit = 152 if ref16 else 153
        chunks, cur, cur_len = [], [], 0
        for ch in text:
            n = 2 if ch in _EXT_REV else 1
            if cur_len + n > limit:
                chunks.append("".join(cur))
                cur, cur_len = [], 0
            cur.append(ch)
            cur_len += n
        if cur:
            chunks.append("".join(cur))
        return chunks
    if coding == "ucs2":
        limit = 132 if ref16 else 134  # octets
        chunks, cur, cur_len = [], [], 0
        for ch in text:  # a non-BMP char is one Python char = 4 octets, never split
            n = len(ch.encode("utf-16-be", "surrogatepass"))
            if cur_len + n > limit:
                chunks.append("".join(cur))
                cur, cur_len = [], 0
            cur.append(ch)
            cur_len += n
        if cur:
            chunks.append("".join(cur))
        return chunks
    raise ValueError("cannot split %s" % coding)


def fits_single(text, coding):
    if coding == "7bit":
        return len(gsm7_septets(text)) <= 160
    if coding == "ucs2":
        return len(text.encode("utf-16-be", "surrogatepass")) <= 140
    return len(text) <= 140


# ---------------------------------------------------------------- builders

def build_deliver(sender, text, coding="7bit", timestamp=None, smsc="",
                  udh=b"", sender_toa=None, pid=0, msg_class=None,
                  more_messages=False, reply_path=False, status_report_ind=False):
    """Full SMS-DELIVER PDU (with SMSC prefix) -> (hex, tpdu_length)."""
    fo = 0x00
    if not more_messages:
        fo |= 0x04  # TP-MMS: no more messages waiting
    if udh:
        fo |= 0x40
    if reply_path:
        fo |= 0x80
    if status_report_ind:
        fo |= 0x20
    udl, ud = build_ud(text, coding, udh)
    tpdu = (bytes([fo]) + encode_address(sender, sender_toa) + bytes([pid, dcs_for(coding, msg_class)])
            + encode_scts(timestamp) + bytes([udl]) + ud)
    full = encode_smsc(smsc) + tpdu
    return full.hex().upper(), len(tpdu)


def build_status_report(mr, recipient, status=0x00, scts=None, discharge=None,
                        smsc="", recipient_toa=None):
    """Full SMS-STATUS-REPORT PDU (with SMSC prefix) -> (hex, tpdu_length)."""
    fo = 0x06  # MTI=10 (status report), MMS=1 (no more messages), SRQ=0
    tpdu = (bytes([fo, mr & 0xFF]) + encode_address(recipient, recipient_toa)
            + encode_scts(scts) + encode_scts(discharge) + bytes([status & 0xFF]))
    full = encode_smsc(smsc) + tpdu
    return full.hex().upper(), len(tpdu)


def build_submit(number, text, coding="7bit", udh=b"", srr=False, mr=0, vp=0xA7, smsc=""):
    """SMS-SUBMIT (used only for tests / AT+CMGW round trips)."""
    fo = 0x01 | 0x10  # relative VP
    if srr:
        fo |= 0x20
    if udh:
        fo |= 0x40
    udl, ud = build_ud(text, coding, udh)
    tpdu = (bytes([fo, mr & 0xFF]) + encode_address(number) + bytes([0, dcs_for(coding), vp, udl]) + ud)
    return (encode_smsc(smsc) + tpdu).hex().upper(), len(tpdu)


# ---------------------------------------------------------------- decoders

def _coding_from_dcs(dcs):
    group = dcs & 0xF0
    if (dcs & 0xC0) == 0x00 or (dcs & 0xC0) == 0x40:  # general data coding (incl. auto-delete)
        if dcs & 0x20:
            return "compressed"
        alpha = (dcs >> 2) & 3
        return {0: "7bit", 1: "8bit", 2: "ucs2", 3: "reserved"}[alpha]
    if group in (0xC0, 0xD0):
        return "7bit"
    if group == 0xE0:
        return "ucs2"
    if group == 0xF0:
        return "8bit" if dcs & 0x04 else "7bit"
    return "7bit"


def _decode_ud(buf, pos, udl, udhi, coding):
    res = {"udh": None, "concat": None}
    data = buf[pos:]
    udh = b""
    if udhi and data:
        udh = bytes(data[:1 + data[0]])
        res["udh"] = parse_udh(udh)
        res["concat"] = res["udh"].get("concat")
    if coding == "7bit":
        if udh:
            fill = (7 - (len(udh) * 8) % 7) % 7
            udh_septets = (len(udh) * 8 + fill) // 7
            septets = unpack7(data[len(udh):], udl - udh_septets, fill)
        else:
            septets = unpack7(data, udl)
        res["text"] = gsm7_text(septets)
    elif coding == "ucs2":
        body = bytes(data[len(udh):udl])
        res["text"] = body.decode("utf-16-be", "surrogatepass").encode(
            "utf-16", "surrogatepass").decode("utf-16", "replace")
    else:
        res["text"] = None
        res["data"] = bytes(data[len(udh):udl]).hex().upper()
    return res


def decode_pdu(hexpdu, with_smsc=True):
    """Decode a full PDU (SMSC prefix + TPDU).  Returns a dict; raises ValueError."""
    try:
        buf = bytes.fromhex(re.sub(r"\s+", "", hexpdu))
    except ValueError:
        raise ValueError("PDU is not hex")
    try:
        pos = 0
        smsc = ""
        if with_smsc:
            smsc, pos = decode_smsc(buf, 0)
        tpdu_len = len(buf) - pos
        fo = buf[pos]
        mti = fo & 0x03
        pos += 1
        res = {"smsc": smsc, "tpdu_length": tpdu_len, "first_octet": fo}
        if mti == 0x01:  # SMS-SUBMIT
            res["type"] = "submit"
            res["reject_duplicates"] = bool(fo & 0x04)
            vpf = (fo >> 3) & 3
            res["status_report"] = bool(fo & 0x20)
            udhi = bool(fo & 0x40)
            res["reply_path"] = bool(fo & 0x80)
            res["mr"] = buf[pos]
            pos += 1
            res["number"], res["toa"], pos = decode_address(buf, pos)
            res["pid"] = buf[pos]
            res["dcs"] = buf[pos + 1]
            pos += 2
            if vpf == 2:
                res["vp"] = buf[pos]
                pos += 1
            elif vpf in (1, 3):
                res["vp"] = bytes(buf[pos:pos + 7]).hex().upper()
                pos += 7
            else:
                res["vp"] = None
            udl = buf[pos]
            pos += 1
            res["udl"] = udl
            res["coding"] = _coding_from_dcs(res["dcs"])
            res.update(_decode_ud(buf, pos, udl, udhi, res["coding"]))
        elif mti == 0x00:  # SMS-DELIVER
            res["type"] = "deliver"
            udhi = bool(fo & 0x40)
            res["sender"], res["toa"], pos = decode_address(buf, pos)
            res["pid"] = buf[pos]
            res["dcs"] = buf[pos + 1]
            pos += 2
            res["timestamp"] = decode_scts(buf[pos:pos + 7])
            pos += 7
            udl = buf[pos]
            pos += 1
            res["udl"] = udl
            res["coding"] = _coding_from_dcs(res["dcs"])
            res.update(_decode_ud(buf, pos, udl, udhi, res["coding"]))
        elif mti == 0x02:
            res["type"] = "status_report"
            res["mr"] = buf[pos]
            pos += 1
            res["recipient"], res["toa"], pos = decode_address(buf, pos)
            res["timestamp"] = decode_scts(buf[pos:pos + 7])
            res["discharge_time"] = decode_scts(buf[pos + 7:pos + 14])
            res["status"] = buf[pos + 14]
        else:
            raise ValueError("unsupported MTI %d" % mti)
        return res
    except IndexError:
        raise ValueError("PDU truncated")
