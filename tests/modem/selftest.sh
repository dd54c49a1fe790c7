#!/bin/bash
# Self-test of the modem emulator against the real gammu CLI (libGammu AT driver).
#
#   tests/modem/selftest.sh            # KEEP=1 keeps the work directory for inspection
#
# Three independent groups run in parallel, each against its own emulator
# instance (a gammu CLI call costs ~3.5 s: libGammu writes slowly during init).
# Last line: "emulator-selftest: N passed, M failed"; exit 0 only if M == 0.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/emu-selftest.XXXXXX")
GROUP_PIDS=()

if ! command -v gammu >/dev/null 2>&1; then
    echo "gammu CLI not found"
    echo "emulator-selftest: 0 passed, 1 failed"
    exit 1
fi

cleanup() {
    local p
    for p in "${GROUP_PIDS[@]}"; do
        kill "$p" 2>/dev/null
    done
    for f in "$WORK"/*/emu.pid; do
        [ -f "$f" ] || continue
        p=$(cat "$f")
        kill "$p" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$p" 2>/dev/null
    done
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers
# All helpers take the instance name first; files live in $WORK/<name>/.

start_emu() {
    local n=$1
    shift
    local d=$WORK/$n
    mkdir -p "$d"
    "$PY" "$HERE/emulator.py" --pty-link "$d/modem" --control "$d/ctl" \
        --ready-file "$d/ready" --sent-log "$d/sent.jsonl" --log "$d/emulator.log" \
        --at-log "$d/at.log" "$@" >"$d/emu.out" 2>"$d/emu.err" &
    echo $! >"$d/emu.pid"
    cat >"$d/gammurc" <<EOF
[gammu]
device = $d/modem
connection = at
model = at
logfile = $d/gammu.log
logformat = textall
EOF
    for _ in $(seq 100); do
        [ -f "$d/ready" ] && return 0
        sleep 0.05
    done
    echo "emulator $n did not start" >&2
    return 1
}

ctl() { # ctl NAME CMD [key=value ...]
    local n=$1
    shift
    "$PY" "$HERE/control.py" "$WORK/$n/ctl" "$@"
}

g() { # g NAME [timeout] gammu-args... ; output in $WORK/NAME/last.out, returns gammu's rc
    local n=$1 t=40
    shift
    if [[ $1 =~ ^[0-9]+$ ]]; then t=$1; shift; fi
    timeout -k 2 "$t" gammu -c "$WORK/$n/gammurc" "$@" >"$WORK/$n/last.out" 2>&1
    local rc=$?
    { echo "### gammu $* (rc=$rc)"; cat "$WORK/$n/last.out"; } >>"$WORK/$n/gammu-outputs.txt"
    return $rc
}

out() { cat "$WORK/$1/last.out"; }
has() { grep -qF -- "$2" "$WORK/$1/last.out"; } # has NAME TEXT

state_ok() { # state_ok NAME 'python expression over d (state dict)'
    HERE="$HERE" "$PY" -c '
import sys, os
sys.path.insert(0, os.environ["HERE"])
from control import ModemControl
d = ModemControl(sys.argv[1]).state()
sys.exit(0 if eval(sys.argv[2]) else 1)
' "$WORK/$1/ctl" "$2"
}

sentlog_ok() { # sentlog_ok NAME 'python expression over s (list of sent-log records)'
    "$PY" -c '
import sys, json
s = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
sys.exit(0 if eval(sys.argv[2]) else 1)
' "$WORK/$1/sent.jsonl" "$2" 2>/dev/null
}

result() { # result NAME DESCRIPTION STATUS(0=pass)
    if [ "$3" = 0 ]; then
        echo "PASS  [$1] $2" >>"$WORK/$1/results"
    else
        echo "FAIL  [$1] $2" >>"$WORK/$1/results"
        { echo "--- last gammu output:"; sed 's/^/    /' "$WORK/$1/last.out" 2>/dev/null | tail -15; } >>"$WORK/$1/results"
    fi
}

check() { # check NAME DESCRIPTION command...
    local n=$1 desc=$2
    shift 2
    "$@" >/dev/null 2>&1
    result "$n" "$desc" $?
}

# ---------------------------------------------------------------- group A: info + receiving

group_info() {
    local A=info
    start_emu $A || { result $A "emulator start" 1; return; }

    g $A identify
    check $A "identify" bash -c "[ $? = 0 ] && grep -q 'Manufacturer *: Kentongan' $WORK/$A/last.out && grep -q 'IMEI *: 356938035643809' $WORK/$A/last.out && grep -q 'SIM IMSI *: 510109876543210' $WORK/$A/last.out"

    g $A getsecuritystatus
    check $A "getsecuritystatus (PIN ready)" bash -c "[ $? = 0 ] && grep -q 'Nothing to enter' $WORK/$A/last.out"

    g $A networkinfo
    check $A "networkinfo (CREG/COPS)" bash -c "[ $? = 0 ] && grep -q 'home network' $WORK/$A/last.out && grep -q '510 10' $WORK/$A/last.out && grep -q 'TELKOMSEL' $WORK/$A/last.out"

    # gammu 1.42 has no getsignalquality command; 'monitor 1' shows AT+CSQ
    g $A monitor 1
    check $A "monitor 1 (signal quality via AT+CSQ)" bash -c "[ $? = 0 ] && grep -q 'Signal strength *: -71 dBm' $WORK/$A/last.out && grep -q 'SIM SMS status *: 0 used' $WORK/$A/last.out"

    ctl $A deliver sender=+6281234567890 text='Halo dari emulator {tes} €' timestamp=2024-05-01T10:20:30+07:00 >/dev/null
    ctl $A deliver sender=+6281234567891 coding=ucs2 text='Emoji 😀👍 dan ünïcode' >/dev/null
    ctl $A deliver sender=TELKOMSEL text='Paket internet anda aktif' >/dev/null
    for seq in 3 1 2; do   # 8-bit reference, out of order
        ctl $A deliver sender=+628111 text="bagian $seq dari tiga. " concat="{\"ref\":42,\"total\":3,\"seq\":$seq}" >/dev/null
    done
    ctl $A deliver sender=+628222 ref16=true ref=4660 \
        text="$(printf 'Enambelas%.0s ' $(seq 40))" >/dev/null   # auto split, 16-bit ref
    check $A "9 parts stored" state_ok $A 'd["used"] == 9'

    g $A getallsms
    local rc=$?
    check $A "getallsms rc" test $rc = 0
    check $A "getallsms: 7-bit text + SCTS" bash -c "grep -q 'Halo dari emulator {tes} €' $WORK/$A/last.out && grep -q 'Wed May  1 10:20:30 2024 +0700' $WORK/$A/last.out"
    check $A "getallsms: UCS-2 with emoji" has $A 'Emoji 😀👍 dan ünïcode'
    check $A "getallsms: alphanumeric sender" has $A 'Remote number        : "TELKOMSEL"'
    check $A "getallsms: 8-bit concat UDH" has $A 'Concatenated (linked) message, ID (8 bit) 42, part 1 of 3'
    check $A "getallsms: 16-bit concat UDH" has $A 'Concatenated (linked) message, ID (16 bit) 4660, part 3 of 3'

    g $A geteachsms
    check $A "geteachsms links the 8-bit parts in order" has $A 'bagian 1 dari tiga. bagian 2 dari tiga. bagian 3 dari tiga.'
    check $A "geteachsms links the 16-bit parts" bash -c "[ \$(grep -o 'Enambelas' $WORK/$A/last.out | wc -l) = 40 ] && grep -q '9 SMS parts in 5 SMS sequences' $WORK/$A/last.out"
    check $A "messages marked read after reading" state_ok $A 'all(m["stat"] == 1 for m in d["stored"])'

    g $A deleteallsms 1
    check $A "deleteallsms 1" bash -c "[ $? = 0 ]"
    check $A "SIM empty after deleteallsms" state_ok $A 'd["used"] == 0'
}

# ---------------------------------------------------------------- group B: sending

group_send() {
    local B=send
    start_emu $B || { result $B "emulator start" 1; return; }

    g $B sendsms TEXT +6281234567890 -text "halo"
    local rc=$?
    check $B "sendsms halo rc" bash -c "[ $rc = 0 ] && grep -q 'OK, message reference=1' $WORK/$B/last.out"
    check $B "sent log: halo decoded" sentlog_ok $B 'len(s) == 1 and s[0]["number"] == "+6281234567890" and s[0]["text"] == "halo" and s[0]["coding"] == "7bit" and s[0]["ok"] and s[0]["mr"] == 1 and not s[0]["status_report"]'

    g $B sendsms TEXT +6281234567890 -len 400 -text "$(printf 'abcdefghij%.0s' $(seq 40))"
    rc=$?
    check $B "sendsms -len 400 rc" bash -c "[ $rc = 0 ] && grep -q 'Sending SMS 3/3' $WORK/$B/last.out"
    check $B "sent log: 3 concatenated parts" sentlog_ok $B 'len(s) == 4 and [p["concat"]["seq"] for p in s[1:]] == [1,2,3] and all(p["concat"]["total"] == 3 for p in s[1:]) and len({p["concat"]["ref"] for p in s[1:]}) == 1 and "".join(p["text"] for p in s[1:]) == "abcdefghij"*40'

    g $B sendsms TEXT +6281234567890 -unicode -report -text "Emoji 😀 kirim"
    rc=$?
    check $B "sendsms -unicode -report rc" test $rc = 0
    check $B "sent log: UCS-2 emoji, status report requested" sentlog_ok $B 's[-1]["coding"] == "ucs2" and s[-1]["text"] == "Emoji 😀 kirim" and s[-1]["status_report"] is True'
    sleep 0.7
    check $B "status report stored for the right MR" state_ok $B 'any(m["kind"] == "status_report" and m["mr"] == 5 and m["status"] == 0 for m in d["stored"])'

    ctl $B fail_reports count=1 status=65 >/dev/null
    g $B sendsms TEXT 0812345 -report -text "akan gagal"
    sleep 0.7
    g $B getallsms
    check $B "getallsms shows delivered + failed reports" bash -c "grep -q 'Delivery status      : Delivered' $WORK/$B/last.out && grep -q 'Delivery status      : Failed' $WORK/$B/last.out && grep -q 'Reference number     : 5' $WORK/$B/last.out"

    ctl $B fail_sends count=1 error=38 >/dev/null
    g $B sendsms TEXT +6281234567890 -text "gagal"
    rc=$?
    check $B "injected +CMS ERROR: 38 reported by gammu" bash -c "[ $rc != 0 ] && grep -q 'error 38' $WORK/$B/last.out"
    check $B "sent log records the failure" sentlog_ok $B 's[-1]["ok"] is False and s[-1]["cms_error"] == 38 and s[-1]["text"] == "gagal"'

    ctl $B set_send_delay seconds=2 >/dev/null
    local t0=$SECONDS
    g $B sendsms TEXT +6281234567890 -text "lagi normal"
    rc=$?
    local dt=$((SECONDS - t0))
    check $B "next send succeeds again (with 2 s AT+CMGS delay)" bash -c "[ $rc = 0 ] && grep -q 'OK, message reference=' $WORK/$B/last.out"
    check $B "AT+CMGS delay honoured (took ${dt}s)" test $dt -ge 5
}

# ---------------------------------------------------------------- group C: USSD, SIM full, drop, silence

group_misc() {
    local C=misc
    start_emu $C || { result $C "emulator start" 1; return; }

    ctl $C set_ussd code='*888#' text='Sisa pulsa Rp 12.500' >/dev/null
    g $C getussd '*888#'
    local rc=$?
    check $C "getussd *888#" bash -c "[ $rc = 0 ] && grep -q 'Service reply        : \"Sisa pulsa Rp 12.500\"' $WORK/$C/last.out"

    ctl $C set_capacity size=3 >/dev/null
    ctl $C fill_sim >/dev/null
    ctl $C deliver sender=+62811 text='antri dulu' >/dev/null
    check $C "delivery queued while SIM full" state_ok $C 'd["used"] == 3 and d["pending"] == 1'
    g $C savesms TEXT -text draft
    rc=$?
    check $C "AT+CMGW on full SIM -> memory full" bash -c "[ $rc != 0 ] && grep -q 'Memory full' $WORK/$C/last.out"
    g $C deletesms 1 1
    check $C "queued message stored after delete" state_ok $C 'd["used"] == 3 and d["pending"] == 0 and any(m.get("text") == "antri dulu" for m in d["stored"])'

    local old_pty
    old_pty=$(readlink "$WORK/$C/modem")
    ctl $C drop down_for=null >/dev/null
    g $C 10 identify
    rc=$?
    check $C "line dropped: gammu fails" bash -c "[ $rc != 0 ] && [ ! -e $WORK/$C/modem ]"
    ctl $C reconnect >/dev/null
    g $C identify
    rc=$?
    check $C "line back (new pty at same link): identify works" bash -c "[ $rc = 0 ] && grep -q 'Kentongan' $WORK/$C/last.out"
    check $C "messages survive the drop" state_ok $C 'd["used"] == 3'

    ctl $C drop down_for=1.5 >/dev/null
    sleep 2
    g $C identify
    rc=$?
    check $C "timed drop: modem re-appears by itself" test $rc = 0

    ctl $C silence seconds=null >/dev/null
    g $C 6 identify
    rc=$?
    check $C "silent modem: gammu times out" test $rc != 0
    ctl $C resume >/dev/null
    g $C identify
    rc=$?
    check $C "after resume: identify works" test $rc = 0
}

# ---------------------------------------------------------------- run

START=$(date +%s)
group_info &
GROUP_PIDS+=($!)
group_send &
GROUP_PIDS+=($!)
group_misc &
GROUP_PIDS+=($!)
wait "${GROUP_PIDS[@]}"
GROUP_PIDS=()

cat "$WORK"/*/results 2>/dev/null
PASSED=$(cat "$WORK"/*/results 2>/dev/null | grep -c '^PASS')
FAILED=$(cat "$WORK"/*/results 2>/dev/null | grep -c '^FAIL')
for n in info send misc; do
    [ -f "$WORK/$n/results" ] || FAILED=$((FAILED + 1))
done
echo "($(($(date +%s) - START)) s)"
[ "${KEEP:-0}" = 1 ] && echo "work directory kept: $WORK"
echo "emulator-selftest: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
