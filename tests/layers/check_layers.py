"""The layering of the source tree, checked on the objects `make` built.

Two rules (docs/architecture.md, "Where things are"):
1. No circle of calls between files: the files that call each other in a
   circle, directly or through others, form one group, and the only groups
   allowed are the two-file pairs named below (a module and its helper).
2. The layers call downward only: parser/, store/ and config/ call nothing
   in gateway/; rules/ and util/ call nothing in loop/, ussd/, worker/ or
   cli/; nothing but cli/ calls into cli/.

It reads `nm` of build/**/*.o (the plain build of ./kentongan). Last line:
"layers: N passed, M failed".
"""
import os
import subprocess
import sys

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BUILD = os.path.join(TOP, "build")
# Pairs that may call each other: one module in two files.
PAIRS = [
    {"gateway/worker/modem_worker.c", "gateway/worker/worker_send.c"},
    {"parser/parser.c", "parser/fields.c"},
    {"store/store.c", "store/store_sync.c"},
    {"store/store.c", "store/store_checkpoint.c"},
    {"config/config.c", "config/config_check.c"},
    {"gateway/loop/http.c", "gateway/loop/http_admin.c"},
    {"gateway/loop/process.c", "gateway/loop/process_budget.c"},
]
LOWER = {
    "parser": {"gateway"}, "store": {"gateway"}, "config": {"gateway"},
    "gateway/rules": {"gateway/loop", "gateway/ussd", "gateway/worker", "gateway/cli"},
    "gateway/util": {"gateway/loop", "gateway/ussd", "gateway/worker", "gateway/cli"},
}
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)


def objects():
    out = []
    for d in ("gateway", "parser", "store", "config"):
        for root, _, files in os.walk(os.path.join(BUILD, d)):
            out += [os.path.join(root, f) for f in files if f.endswith(".o")]
    # an object left from a source file since moved or removed is not code
    return [o for o in out if os.path.exists(os.path.join(TOP, source(o)))]


def source(obj):
    return os.path.relpath(obj, BUILD)[:-2] + ".c"


def nm(obj, *flags):
    r = subprocess.run(["nm", "-P", *flags, obj], capture_output=True, text=True, check=True)
    return [l.split()[:2] for l in r.stdout.splitlines() if l.strip()]


def graph():
    defined, calls = {}, {}
    objs = objects()
    for o in objs:
        for name, kind in nm(o, "--defined-only"):
            if kind in "TDBR":
                defined[name] = source(o)
    for o in objs:
        calls[source(o)] = {defined[n] for n, k in nm(o, "-u") if n in defined} - {source(o)}
    return calls


def groups(calls):
    """Tarjan's strongly connected components."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in calls.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            g = set()
            while True:
                w = stack.pop()
                on.discard(w)
                g.add(w)
                if w == v:
                    break
            out.append(g)

    sys.setrecursionlimit(10000)
    for v in sorted(calls):
        if v not in index:
            visit(v)
    return out


def layer(path):
    for prefix in sorted(LOWER, key=len, reverse=True):
        if path.startswith(prefix + "/"):
            return prefix
    return None


def main():
    if not objects():
        print("no objects under build/: run make first")
        print("layers: 0 passed, 1 failed")
        return 1
    calls = graph()
    circles = [g for g in groups(calls) if len(g) > 1]
    for g in circles:
        check(g in PAIRS, "files call each other in a circle: " + ", ".join(sorted(g)))
    check(True, "%d files, %d circles" % (len(calls), len(circles)))
    for f, callees in sorted(calls.items()):
        lay = layer(f)
        for c in sorted(callees):
            if lay is not None:
                check(not any(c.startswith(p + "/") for p in LOWER[lay]),
                      "%s calls up into %s" % (f, c))
            if c.startswith("gateway/cli/"):
                check(f.startswith("gateway/cli/"), "%s calls the CLI (%s)" % (f, c))
    print("layers: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
