#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench.py - the emuconv benchmark of issue 11 (run it through bench/run).

Generates its inputs in a scratch directory (the seeds; a ~2 MB HTML page
and a DOCX with ~2 MB of text made from them; a ~50 MB text repeating
them), converts each to EPUB, ODT and TEI with emuconv (the default filter
chain, as users run it, and --no-filter all for the big inputs), with
pandoc and, for ODT/EPUB, with LibreOffice, and measures every conversion
as a whole process: CPU time (user+sys), wall time and peak RSS, from the
kernel's wait4() rusage (what /usr/bin/time reports; %M is ru_maxrss).
Floors: gzip -6 over the same text, xmllint --noout of the TEI output;
the start-up floor, a program that only links libxml2 (dynamically, and
statically for comparison).  Then the batch throughput: the seeds x 1000
copies -> EPUB with -j 1 and -j 2.
Prints a table, the targets met or not (each naming its issue, 6 or 11),
and writes RESULTS.md and a
gnuplot bar chart of the ratios (ratios.svg).  --profile runs callgrind
instead and writes PROFILE.md.  It reports; it never fails on a target.

Python 3 standard library only (python3-docx, from Debian, for the DOCX;
without it LibreOffice makes the DOCX).
"""
import argparse
import datetime
import glob
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(HERE)
SEEDS = sorted(glob.glob(os.path.join(SRCDIR, "seeds", "*.txt")))
FIXTURES = sorted(glob.glob(os.path.join(SRCDIR, "tests", "data", "html", "*.html")) +
                  glob.glob(os.path.join(SRCDIR, "tests", "data", "html", "*.xhtml")))
OUTPUTS = ("epub", "odt", "tei")
MB = 1024 * 1024


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Measuring one process

class Result:
    """Medians over the runs that succeeded; status ok/timeout/failed/rss."""

    def __init__(self, status="ok", cpu=None, wall=None, rss=None, runs=0, note=""):
        self.status, self.cpu, self.wall, self.rss = status, cpu, wall, rss
        self.runs, self.note = runs, note

    def ok(self):
        return self.status == "ok"


def group_rss_kb(pgid):
    """Sum of VmRSS of the processes of a process group (soffice forks)."""
    total = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
            fields = st[st.rindex(")") + 2:].split()
            if int(fields[2]) != pgid:
                continue
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            pass
    return total


def run_once(cmd, env, timeout, rss_cap_kb, stdout_path=None, rss_via_time=False):
    """Run CMD once in its own session, started with posix_spawn (vfork:
    the child does not pay for copying this Python process).  Returns
    (status, CPU s, wall s, peak RSS KB or None, stderr's last line).
    The kernel's ru_maxrss of a child started from Python would include the
    Python process's own RSS (exec keeps the old high-water mark), so peak
    RSS comes from GNU time (-f %M), whose own child is forked from a small
    process; rss_via_time wraps CMD in it (adding ~10 ms of CPU)."""
    errpath = os.path.join(ARGS.scratch, "last-stderr")
    rsspath = os.path.join(ARGS.scratch, "last-rss")
    if rss_via_time:
        if os.path.exists(rsspath):
            os.unlink(rsspath)
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rsspath] + cmd
    acts = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, stdout_path or "/dev/null", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
            (os.POSIX_SPAWN_OPEN, 2, errpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    t0 = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, env, file_actions=acts, setsid=True)
    killed = []
    done = threading.Event()

    def watch():
        while not done.wait(0.2):
            over_time = timeout and time.perf_counter() - t0 > timeout
            over_rss = rss_cap_kb and group_rss_kb(pid) > rss_cap_kb
            if over_time or over_rss:
                killed.append("timeout" if over_time else "rss")
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
                return

    w = None
    if timeout or rss_cap_kb:
        w = threading.Thread(target=watch, daemon=True)
        w.start()
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    if w:
        w.join()
    code = os.waitstatus_to_exitcode(status)
    try:
        os.killpg(pid, signal.SIGKILL)  # anything left behind
    except OSError:
        pass
    rss = None
    if rss_via_time:
        try:
            rss = int(open(rsspath).read().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
    with open(errpath, "rb") as f:
        err = [l for l in f.read().decode("utf-8", "replace").splitlines()
               if l.strip() and not l.startswith("Command ")]
    if killed:
        return killed[0], None, wall, rss, ""
    if code != 0:
        return "failed", None, wall, rss, (err[-1] if err else "exit %d" % code)
    return "ok", ru.ru_utime + ru.ru_stime, wall, rss, ""


class Series:
    """The timed runs of one command: first, unless COMBINED, one run under
    GNU time for the peak RSS (which also warms the page cache); then RUNS
    timed runs, one per step(); result() gives their medians.  COMBINED:
    the timed runs themselves run under GNU time (for slow peers, whose RSS
    run would cost as much as a timed one).  A run that fails ends the
    series; result() then says how."""

    def __init__(self, cmd, runs, env=None, timeout=None, rss_cap_kb=None, stdout_path=None,
                 check=None, combined=False):
        self.cmd, self.runs, self.env = cmd, runs, env or ENV
        self.timeout, self.rss_cap_kb, self.stdout_path = timeout, rss_cap_kb, stdout_path
        self.check, self.combined = check, combined
        self.cpus, self.walls, self.rss = [], [], 0
        self.failed = None  # the failure's Result

    def _run(self, via_time):
        st, cpu, wall, maxrss, err = run_once(self.cmd, self.env, self.timeout, self.rss_cap_kb,
                                              self.stdout_path, via_time)
        if st == "ok" and self.check:
            err = self.check()
            st = "failed" if err else st
        return st, cpu, wall, maxrss, err

    def warm(self):
        if self.combined:
            return
        st, _, wall, rss, err = self._run(True)
        if st != "ok":
            self.failed = Result(st, wall=wall, rss=rss, note=err)
        else:
            self.rss = rss or 0

    def done(self):
        return self.failed is not None or len(self.cpus) >= self.runs

    def share_done(self):
        return 1.0 if self.done() else len(self.cpus) / self.runs

    def step(self):
        st, cpu, wall, maxrss, err = self._run(self.combined)
        if st != "ok":
            self.failed = Result(st, wall=wall, rss=maxrss, note=err)
            return
        self.cpus.append(cpu)
        self.walls.append(wall)
        if self.combined and maxrss:
            self.rss = max(self.rss, maxrss)

    def result(self):
        if self.failed is not None:
            return self.failed
        return Result("ok", statistics.median(self.cpus), statistics.median(self.walls),
                      self.rss or None, len(self.cpus))


def interleave(series):
    """Runs the series' timed runs alternately, each time the one furthest
    behind its own count (emuconv 5, pandoc 3: e p e p e e p e), so that a
    ratio of two of them compares runs made in the same minutes: this
    host's speed drifts by up to half within minutes, for every program
    alike, and two medians taken one after the other can straddle such a
    drift.  Returns their Results, in order."""
    for s in series:
        s.warm()
    while True:
        live = [s for s in series if not s.done()]
        if not live:
            return [s.result() for s in series]
        min(live, key=Series.share_done).step()


def measure(cmd, runs, env=None, timeout=None, rss_cap_kb=None, stdout_path=None, check=None,
            combined=False):
    """The median of RUNS timed runs of CMD alone (see Series)."""
    return interleave([Series(cmd, runs, env, timeout, rss_cap_kb, stdout_path, check,
                              combined)])[0]


def total(results):
    """The seeds: the sum of the per-file medians, the largest RSS."""
    bad = [r for r in results if not r.ok()]
    if bad:
        return bad[0]
    return Result("ok", sum(r.cpu for r in results), sum(r.wall for r in results),
                  max((r.rss or 0 for r in results), default=0) or None, min(r.runs for r in results))


# --------------------------------------------------------------------------
# Inputs

def make_inputs(page_mb, text_mb):
    d = os.path.join(ARGS.scratch, "in")
    os.makedirs(d, exist_ok=True)
    inp = {}
    seeds = []
    for s in SEEDS:
        dst = os.path.join(d, os.path.basename(s))
        shutil.copyfile(s, dst)
        seeds.append(dst)
    inp["seeds"] = seeds
    # #6's fixtures: the test pages, read where they are (images.html
    # embeds files beside it)
    inp["fixtures"] = FIXTURES
    html = os.path.join(d, "big.html")
    with open(html, "wb") as f:
        subprocess.run([sys.executable, os.path.join(SRCDIR, "tests/data/html/make-big-page.py"),
                        str(page_mb)], stdout=f, check=True)
    inp["html"] = html
    inp["docx"] = make_docx(d, page_mb)
    inp["txt"] = make_text(d, text_mb)
    return inp


def seed_paragraphs():
    paras = []
    for s in SEEDS:
        with open(s, encoding="utf-8") as f:
            paras += [l.strip() for l in f if len(l.strip()) > 40]
    return paras


def make_docx(d, mb):
    out = os.path.join(d, "big.docx")
    try:
        import docx  # noqa: F401  (python3-docx)
        have_docx = not os.environ.get("BENCH_NO_PYDOCX")
    except ImportError:
        have_docx = False
    if have_docx:
        # tests/data/docx/make-bench.py makes 2 MB of text; scale it here.
        src = open(os.path.join(SRCDIR, "tests/data/docx/make-bench.py"), encoding="utf-8").read()
        src = src.replace("2_000_000", str(int(mb * 1_000_000)))
        script = os.path.join(d, "make-docx.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(src.replace('os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "seeds"',
                                repr(os.path.join(SRCDIR, "seeds"))))
        subprocess.run([sys.executable, script, out], check=True, stdout=subprocess.DEVNULL)
        return out
    if not shutil.which("soffice"):
        sys.exit("bench: needs python3-docx or soffice to make the DOCX (bench/run --install-deps)")
    # LibreOffice from an HTML file of headings and paragraphs.
    paras, parts, n, i = seed_paragraphs(), [], 0, 0
    import html as h
    while n < mb * 1_000_000:
        if i % 20 == 0:
            parts.append("<h%d>Part %d</h%d>" % (1 + (i // 20) % 3, i // 20 + 1, 1 + (i // 20) % 3))
        parts.append("<p>%s</p>" % h.escape(paras[i % len(paras)]))
        n += len(paras[i % len(paras)])
        i += 1
    src = os.path.join(d, "docx-src.html")
    with open(src, "w", encoding="utf-8") as f:
        f.write("<html><head><meta charset='utf-8'></head><body>%s</body></html>" % "\n".join(parts))
    soffice_convert(src, "docx:MS Word 2007 XML", d)
    os.replace(os.path.join(d, "docx-src.docx"), out)
    return out


def make_text(d, mb):
    """The seeds, whole, one after another, until MB megabytes (never cut
    inside a file, so never inside a UTF-8 sequence)."""
    out = os.path.join(d, "big.txt")
    block = b"".join(open(s, "rb").read().rstrip(b"\n") + b"\n\n" for s in SEEDS)
    n = -(-int(mb * MB) // len(block))
    with open(out, "wb") as f:
        f.write(block * n)
    return out


def soffice_cmd(src, fmt, outdir):
    return ["soffice", "-env:UserInstallation=file://" + os.path.join(ARGS.scratch, "lo-profile"),
            "--headless", "--norestore", "--convert-to", fmt, "--outdir", outdir, src]


def soffice_convert(src, fmt, outdir):
    subprocess.run(soffice_cmd(src, fmt, outdir), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)


def unzipped_size(path):
    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())


# --------------------------------------------------------------------------
# The conversions

PANDOC_FROM = {"txt": "markdown", "html": "html", "docx": "docx"}
PANDOC_TO = {"epub": "epub3", "odt": "odt", "tei": "tei"}


def outpath(tool, src, fmt, tag=""):
    d = os.path.join(ARGS.scratch, "out", tool)
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, os.path.splitext(os.path.basename(src))[0] + tag + "." + fmt)


def emuconv_series(src, fmt, runs, nofilter=False):
    out = outpath("emuconv", src, fmt, ".nofilter" if nofilter else "")
    cmd = EMUCONV + (["--no-filter", "all"] if nofilter else []) + [src, out]
    return Series(cmd, runs), out


def emuconv(src, fmt, runs, nofilter=False):
    s, out = emuconv_series(src, fmt, runs, nofilter)
    return interleave([s])[0], out


def pandoc_series(src, kind, fmt, runs, timeout, combined=False):
    out = outpath("pandoc", src, fmt)
    cmd = ["pandoc", "-f", PANDOC_FROM[kind], "-t", PANDOC_TO[fmt], src, "-o", out]
    return Series(cmd, runs, timeout=timeout, rss_cap_kb=ARGS.rss_cap * 1024, combined=combined)


def emuconv_and_pandoc(src, kind, fmt, runs, peer_runs, timeout, combined=False):
    """emuconv's and pandoc's runs on SRC, alternating (see interleave):
    (emuconv's Result, pandoc's Result, emuconv's output)."""
    es, out = emuconv_series(src, fmt, runs)
    ps = pandoc_series(src, kind, fmt, peer_runs, timeout, combined)
    e, p = interleave([es, ps])
    return e, p, out


def soffice(src, fmt, runs, timeout):
    d = os.path.join(ARGS.scratch, "out", "soffice")
    os.makedirs(d, exist_ok=True)
    out = os.path.join(d, os.path.splitext(os.path.basename(src))[0] + "." + fmt)
    if os.path.exists(out):
        os.unlink(out)

    def check():
        # soffice exits 0 even when it cannot load the input.
        if not os.path.exists(out):
            return "no output (source file could not be loaded)"
        os.unlink(out)
        return None
    return measure(soffice_cmd(src, fmt, d), runs, timeout=timeout,
                   rss_cap_kb=ARGS.rss_cap * 1024, check=check, combined=True)


def floor_gzip(src, runs):
    return measure(["gzip", "-6", "-c", src], runs)


def floor_xmllint(tei, runs):
    return measure(["xmllint", "--noout", "--nonet", tei], runs)


STARTUP_C = """\
/* Links libxml2 (and, through Debian's, ICU), then returns at once. */
#include <libxml/parser.h>
int main(int argc, char **argv)
{
  (void)argv;
  if (argc > 99)
    xmlInitParser();
  return 0;
}
"""
STARTUP = None         # the start-up floor's Result, or None
STARTUP_STATIC = None  # the same program linked statically, or None


def startup_floor(runs, static=False):
    """A C program that only links libxml2, timed as a process: what any
    program dynamically linked with Debian's libxml2 pays per file on this
    machine (loading libxml2, ICU, libstdc++...).  STATIC: the same program
    linked statically (libxml2.a, ICU's .a files, libstdc++), which loads
    nothing: shows how much of the floor is dynamic loading.  None when it
    cannot be built."""
    d = os.path.join(ARGS.scratch, "startup")
    os.makedirs(d, exist_ok=True)
    src = os.path.join(d, "links-libxml2.c")
    exe = os.path.join(d, "links-libxml2" + ("-static" if static else ""))
    with open(src, "w") as f:
        f.write(STARTUP_C)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs"] + (["--static"] if static else []) +
                           ["libxml-2.0"], capture_output=True, text=True)
    if flags.returncode != 0:
        return None
    if static:  # ICU is C++: link with the C++ driver
        cmd = [os.environ.get("CXX") or "c++", "-O2", "-static", "-x", "c", src, "-x", "none",
               "-o", exe] + flags.stdout.split() + ["-lpthread", "-ldl"]
    else:
        cmd = [os.environ.get("CC") or "cc", "-O2", src, "-o", exe] + flags.stdout.split()
    if subprocess.run(cmd, capture_output=True).returncode != 0:
        return None
    r = measure([exe], runs)
    return r if r.ok() else None


class Row:
    def __init__(self, name, kind, fmt, size, **kw):
        self.name, self.kind, self.fmt, self.size = name, kind, fmt, size
        self.emu = self.pandoc = self.soffice = self.floor = None
        self.floor_name = ""
        self.nofilter = False
        self.batch = False
        self.unzipped = None
        self.files = 1  # how many input files the row's times add up
        self.__dict__.update(kw)


def file_set_rows(prefix, kind, src_kind, files, fmt, er, use_pandoc, use_soffice):
    """A set of small files -> FMT: one process a file, the medians summed
    (the target's row); then the same files in one batch process, what a
    corpus costs per file once the start-up (dynamic loading of libxml2
    and its ICU, the plugins) is paid once, for reference."""
    quick, timeout = ARGS.quick, ARGS.timeout
    log("%s -> %s" % (kind, fmt))
    r = Row("%s→%s" % (prefix, fmt), kind, fmt, sum(os.path.getsize(s) for s in files),
            files=len(files))
    if use_pandoc:
        both = [emuconv_and_pandoc(s, src_kind, fmt, er, 1 if quick else 3, timeout) for s in files]
        emus = [(e, o) for e, _, o in both]
        r.pandoc = total([p for _, p, _ in both])
    else:
        emus = [emuconv(s, fmt, er) for s in files]
    r.emu = total([e for e, _ in emus])
    if use_soffice and fmt != "tei":
        r.soffice = total([soffice(s, fmt, 1, timeout) for s in files])
    if fmt == "tei":
        r.floor_name = "xmllint"
        r.floor = total([floor_xmllint(o, er) for _, o in emus])
    elif src_kind == "txt":
        r.floor_name = "gzip -6"
        r.floor = total([floor_gzip(s, er) for s in files])
    b = Row("%s→%s, one process (-O, -j 1)" % (prefix, fmt), kind, fmt, r.size, batch=True,
            files=len(files))
    bdir = os.path.join(ARGS.scratch, "out", "emuconv-batch-%s-%s" % (kind, fmt))
    os.makedirs(bdir, exist_ok=True)
    b.emu = measure(EMUCONV + ["-q", "-j", "1", "-t", fmt, "-O", bdir] + files, er)
    b.pandoc, b.soffice = r.pandoc, r.soffice
    b.floor_name, b.floor = r.floor_name, r.floor
    return [r, b]


def run_all(inp):
    quick = ARGS.quick
    er = 3 if quick else ARGS.runs
    er_big = 3 if quick else ARGS.big_runs
    if ARGS.smoke:
        er = er_big = 1
    pr = 1 if quick else ARGS.peer_runs
    timeout = ARGS.timeout
    use_pandoc = not ARGS.no_pandoc and shutil.which("pandoc")
    use_soffice = not ARGS.no_soffice and not quick and shutil.which("soffice")
    rows = []
    if use_soffice:  # the first start creates the profile: not timed
        log("warming LibreOffice up (its profile)")
        warm = os.path.join(ARGS.scratch, "warm.txt")
        with open(warm, "w") as f:
            f.write("warm up\n")
        soffice_convert(warm, "odt", os.path.join(ARGS.scratch, "out"))

    # The seeds: one row per output, the five files' medians summed.
    seeds = inp["seeds"]
    global STARTUP
    global STARTUP_STATIC
    log("start-up floor: a program that only links libxml2 (dynamically, then statically)")
    STARTUP = startup_floor(er)
    STARTUP_STATIC = startup_floor(er, static=True)
    for fmt in OUTPUTS:
        rows += file_set_rows("seeds (%d files) txt" % len(seeds), "seeds", "txt", seeds, fmt, er,
                              use_pandoc, use_soffice)
    # The HTML fixtures (#6 asks for them beside the 2 MB page), as the
    # seeds; pandoc only: #6 names no other peer.
    fixtures = inp["fixtures"]
    for fmt in OUTPUTS:
        rows += file_set_rows("html fixtures (%d files)" % len(fixtures), "fixtures", "html",
                              fixtures, fmt, er, use_pandoc, False)

    # The big inputs.
    for kind in ("html", "docx", "txt"):
        src = inp[kind]
        size = os.path.getsize(src)
        label = "%s %s" % (kind, human(size))
        if kind == "docx":
            label += " (%s unzipped)" % human(unzipped_size(src))
        runs = er_big
        peer_timed_out = {}
        for fmt in OUTPUTS:
            for nofilter in (False, True):
                log("%s -> %s%s" % (label, fmt, " --no-filter all" if nofilter else ""))
                r = Row("%s→%s%s" % (label, fmt, " (--no-filter all)" if nofilter else ""),
                        kind, fmt, size, nofilter=nofilter)
                if kind == "docx":
                    r.unzipped = unzipped_size(src)
                run_pandoc = (use_pandoc and not nofilter and not (quick and kind == "txt") and
                              "pandoc" not in peer_timed_out)
                if run_pandoc:  # the two alternate: their ratio is of the same minutes
                    r.emu, r.pandoc, out = emuconv_and_pandoc(src, kind, fmt, runs,
                                                              1 if kind == "txt" else pr,
                                                              timeout, combined=True)
                    if r.pandoc.status in ("timeout", "rss"):
                        peer_timed_out["pandoc"] = r.pandoc.status
                else:
                    r.emu, out = emuconv(src, fmt, runs, nofilter)
                if not nofilter:
                    if use_pandoc and quick and kind == "txt":
                        r.pandoc = Result("skipped", note="not run with --quick")
                    elif use_pandoc and not run_pandoc:
                        r.pandoc = Result(peer_timed_out["pandoc"], note="not run: timed out on another output")
                    if use_soffice and fmt != "tei":
                        if "soffice" in peer_timed_out:
                            r.soffice = Result(peer_timed_out["soffice"], note="not run: timed out on another output")
                        else:
                            r.soffice = soffice(src, fmt, 1, timeout)
                            if r.soffice.status in ("timeout", "rss"):
                                peer_timed_out["soffice"] = r.soffice.status
                    main_row = r
                else:  # the peers' figures are the default row's
                    r.pandoc, r.soffice = main_row.pandoc, main_row.soffice
                if fmt == "tei":
                    r.floor_name = "xmllint"
                    r.floor = floor_xmllint(out, runs) if r.emu.ok() else None
                elif kind == "txt":
                    r.floor_name = "gzip -6"
                    r.floor = floor_gzip(src, runs)
                rows.append(r)
    return rows


# --------------------------------------------------------------------------
# Batch throughput (#11: "measure 1 vs 2 jobs on the seeds x 1000 copies")

def corpus_throughput(seeds, seed_rows):
    """The seeds x N copies -> EPUB in batch mode, with -j 1 and with
    -j 2: wall time, files a second, CPU time a file (the whole process
    tree's: wait4 counts the workers it reaped), and that CPU time against
    pandoc's per seed (the seeds->epub row's).  A list of dicts."""
    copies = ARGS.corpus_copies
    if copies <= 0:
        return []
    d = os.path.join(ARGS.scratch, "corpus")
    os.makedirs(d, exist_ok=True)
    names = []
    for i in range(copies):
        for s in seeds:
            dst = os.path.join(d, "%04d-%s" % (i, os.path.basename(s)))
            if not os.path.exists(dst):
                try:
                    os.link(s, dst)  # 5000 files: links, not copies, where it can
                except OSError:
                    shutil.copyfile(s, dst)
            names.append(dst)
    lst = os.path.join(ARGS.scratch, "corpus.list")
    with open(lst, "w") as f:
        f.write("".join(n + "\n" for n in names))
    size = sum(os.path.getsize(n) for n in names)
    pandoc_row = next((r for r in seed_rows if r.fmt == "epub" and not r.batch), None)
    pandoc_per_file = (pandoc_row.pandoc.cpu / pandoc_row.files
                       if pandoc_row and pandoc_row.pandoc and pandoc_row.pandoc.ok() else None)
    runs = 1 if ARGS.smoke else 2
    out = []
    for jobs in (1, 2):
        log("batch throughput: %d files -> epub, -j %d" % (len(names), jobs))
        odir = os.path.join(ARGS.scratch, "out", "corpus-j%d" % jobs)
        os.makedirs(odir, exist_ok=True)
        r = measure(EMUCONV + ["-q", "-j", str(jobs), "-t", "epub", "-O", odir,
                               "--files-from", lst], runs)
        made = len(glob.glob(os.path.join(odir, "*.epub")))
        out.append({"jobs": jobs, "files": len(names), "bytes": size, "runs": runs, "result": r,
                    "made": made, "pandoc_per_file": pandoc_per_file})
    return out


def throughput_table(tp):
    if not tp:
        return ""
    n, size, runs = tp[0]["files"], tp[0]["bytes"], tp[0]["runs"]
    lines = ["The %d seeds × %d copies (%d files, %s) → EPUB in one batch (`emuconv -q -j N "
             "-t epub -O DIR --files-from LIST`), the median of %d run%s. CPU time is the whole "
             "process tree's (the workers included); pandoc's is its CPU time a seed, one process "
             "each, from the seeds→epub row above."
             % (len(SEEDS), ARGS.corpus_copies, n, human(size), runs, "s" if runs > 1 else ""),
             "",
             "| jobs | wall s | files / s | speed-up | CPU ms a file | pandoc ms CPU a file ÷ that | outputs |",
             "|---|---|---|---|---|---|---|"]
    base = None
    for t in tp:
        r = t["result"]
        if not r.ok():
            why = r.status + (": " + r.note if r.note else "")
            lines.append("| -j %d | %s | – | – | – | – | %d of %d |" % (t["jobs"], why, t["made"], n))
            continue
        rate = n / r.wall
        base = base or rate
        per = r.cpu / n
        pr = "%.0f ms ÷ %.2f ms = %.0f×" % (t["pandoc_per_file"] * 1000, per * 1000,
                                            t["pandoc_per_file"] / per) if t["pandoc_per_file"] else "–"
        lines.append("| -j %d | %.2f | %.0f | %.2f× | %.2f | %s | %d of %d |"
                     % (t["jobs"], r.wall, rate, rate / base, per * 1000, pr, t["made"], n))
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Reporting

def human(n):
    if n >= MB:
        return "%.0f MB" % (n / MB) if n >= 10 * MB else "%.1f MB" % (n / MB)
    return "%.0f kB" % (n / 1024)


def ms(r):
    if r is None:
        return "–"
    if r.status == "timeout":
        return "timeout (>%d s)" % ARGS.timeout
    if r.status == "rss":
        return "killed (RSS > %d MB)" % ARGS.rss_cap
    if r.status == "failed":
        return "failed"
    if r.status == "skipped":
        return r.note
    return "%s / %s" % (fmt_ms(r.cpu), fmt_ms(r.wall))


def fmt_ms(s):
    v = s * 1000
    return "%.0f" % v if v >= 10 else "%.1f" % v


def ratio(peer, emu):
    """peer CPU / emuconv CPU; for a timeout, a lower bound from wall times."""
    if peer is None or emu is None or not emu.ok():
        return None, "–"
    if peer.ok():
        v = peer.cpu / emu.cpu
        return v, "%.1f×" % v if v < 10 else "%.0f×" % v
    if peer.status in ("timeout", "rss") and peer.wall:
        return None, "> %.0f× (wall)" % (peer.wall / emu.wall)
    return None, "–"


def rss(r, size):
    if r is None or r.rss is None or r.status in ("failed",):
        return "–"
    return "%.1f MB" % (r.rss / 1024)


def rss_x(r, size):
    if r is None or not r.ok() or r.rss is None:
        return "–"
    return "%.1f×" % (r.rss * 1024 / size)


def table(rows):
    head = ["conversion", "emuconv ms CPU / wall", "pandoc ms CPU / wall", "pandoc ÷ emuconv",
            "soffice ms CPU / wall", "soffice ÷ emuconv", "emuconv RSS (× input)", "pandoc RSS",
            "floor ms CPU / wall", "emuconv ÷ floor"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        _, pr = ratio(r.pandoc, r.emu)
        _, sr = ratio(r.soffice, r.emu) if r.fmt != "tei" and r.soffice else (None, "–")
        fl = "–"
        fx = "–"
        if r.floor is not None and r.floor.ok():
            fl = "%s: %s" % (r.floor_name, ms(r.floor))
            if r.emu.ok():
                fx = "%.1f×" % (r.emu.cpu / r.floor.cpu)
        emu_cell = ms(r.emu)
        if r.emu.status == "failed":
            emu_cell = "failed: " + r.emu.note
        pd = ms(r.pandoc)
        so = ms(r.soffice) if r.fmt != "tei" else "n/a"
        if r.soffice is not None and r.soffice.status == "failed":
            so = "failed: " + r.soffice.note
        if r.nofilter:
            pd, pr = "(as above)", ratio(r.pandoc, r.emu)[1]
            so = "(as above)" if r.fmt != "tei" and r.soffice else so
        lines.append("| " + " | ".join([
            r.name, emu_cell, pd, pr, so, sr,
            "%s (%s)" % (rss(r.emu, r.size), rss_x(r.emu, r.size)),
            rss(r.pandoc, r.size), fl, fx]) + " |")
    return "\n".join(lines)


# The targets, as the issues state them: issue 11 for every input (50x
# pandoc on the seeds, 20x on the 2 MB inputs, the floors, peak RSS 4x the
# input), issue 6 for HTML (50x pandoc on the 2 MB page and on the
# fixtures, RSS 6x the input).  The 2 MB page is under both: both lines.
SPEED_TARGETS = {"seeds": [(50, "#11")], "fixtures": [(50, "#6")],
                 "html": [(50, "#6"), (20, "#11")], "docx": [(20, "#11")]}
RSS_TARGETS = {"seeds": [(4, "#11")], "fixtures": [(6, "#6"), (4, "#11")], "txt": [(4, "#11")],
               "html": [(6, "#6"), (4, "#11")], "docx": [(4, "#11")]}


def targets(rows):
    out = []

    def add(ok, what, got):
        out.append("- %s %s — %s" % ("**met**" if ok else "**not met**", what, got))

    for r in rows:
        if r.nofilter or not r.emu.ok():
            continue
        v, txt = ratio(r.pandoc, r.emu)
        if r.batch:
            if v is not None:
                out.append("- (for reference, not a target) %s: %s pandoc's per-file runs" % (r.name, txt))
            continue
        for need, issue in SPEED_TARGETS.get(r.kind, []):
            if r.pandoc is None:
                continue
            what = "≥ %d× pandoc (%s): %s" % (need, issue, r.name)
            if v is None and r.pandoc.status in ("timeout", "rss"):
                add(True, what, txt)
            elif v is not None:
                add(v >= need, what, txt)
        if r.kind in ("seeds", "fixtures") and STARTUP is not None and r.pandoc is not None and r.pandoc.ok():
            n = r.files
            static = ""
            if STARTUP_STATIC is not None:
                static = ("; linked statically (libxml2.a, ICU, libstdc++: nothing to load) it takes "
                          "%s ms, pandoc ÷ that = %.0f×" % (fmt_ms(STARTUP_STATIC.cpu),
                                                           r.pandoc.cpu / (n * STARTUP_STATIC.cpu)))
            out.append("- (for reference, the start-up floor) a C program that only links libxml2 "
                       "and returns: %s ms CPU a process, %s for %d; pandoc ÷ that = %.0f×, the most "
                       "any program dynamically linked with Debian's libxml2 reaches here one process "
                       "a file%s"
                       % (fmt_ms(STARTUP.cpu), fmt_ms(n * STARTUP.cpu), n,
                          r.pandoc.cpu / (n * STARTUP.cpu), static))
        if r.kind == "txt" and r.floor is not None and r.floor.ok():
            x = r.emu.cpu / r.floor.cpu
            add(x <= 2, "≤ 2× %s (#11): %s" % (r.floor_name, r.name),
                "%.1f× (%s ms vs %s ms CPU)" % (x, fmt_ms(r.emu.cpu), fmt_ms(r.floor.cpu)))
        if r.emu.rss:
            x = r.emu.rss * 1024 / r.size
            extra = ""
            if r.unzipped:
                extra = "; %.1f× its %s unzipped" % (r.emu.rss * 1024 / r.unzipped, human(r.unzipped))
            for lim, issue in RSS_TARGETS.get(r.kind, []):
                floor = ""
                if x > lim and STARTUP is not None and STARTUP.rss:
                    floor = ("; a process that only links libxml2 takes %.1f MB = %.1f× this input"
                             % (STARTUP.rss / 1024, STARTUP.rss * 1024 / r.size))
                add(x <= lim, "RSS ≤ %d× input (%s): %s" % (lim, issue, r.name),
                    "%.1f MB = %.1f× %s%s%s" % (r.emu.rss / 1024, x, human(r.size), extra, floor))
    return "\n".join(out)


def machine():
    model = "?"
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                model = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", SRCDIR, "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "?"
    subject = subprocess.run(["git", "-C", SRCDIR, "log", "-1", "--format=%h %s"],
                             capture_output=True, text=True).stdout.strip()

    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                                  env=ENV).stdout.splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "not installed"
    return {
        "nproc": os.cpu_count(), "cpu": model, "commit": commit, "subject": subject,
        "emuconv": version(EMUCONV + ["--version"]),
        "pandoc": version(["pandoc", "--version"]) if not ARGS.no_pandoc else "not run",
        "soffice": version(["soffice", "--version"]) if not ARGS.no_soffice else "not run",
        "filters": default_filters(),
    }


def default_filters():
    cfg = os.path.join(ARGS.builddir, "config.h")
    try:
        m = re.search(r'EMUCONV_DEFAULT_FILTERS "([^"]*)"', open(cfg).read())
        return m.group(1) if m else "?"
    except OSError:
        return "?"


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def chart(rows, svg):
    if not shutil.which("gnuplot"):
        log("gnuplot not found: no chart (bench/run --install-deps)")
        return False
    dat = os.path.join(ARGS.scratch, "ratios.dat")
    n = 0
    with open(dat, "w", encoding="utf-8") as f:
        for r in rows:
            if r.nofilter:
                continue
            p, _ = ratio(r.pandoc, r.emu)
            s, _ = ratio(r.soffice, r.emu) if r.soffice else (None, "")
            if p is None and s is None:
                continue
            name = re.sub(r"^(seeds|html fixtures) \(\d+ files\)( ?)", r"\1\2", r.name).replace("→", "->")
            name = name.replace(", one process (-O, -j 1)", " (1 process)")
            f.write('"%s" %s %s\n' % (name, "%.2f" % p if p else "NaN", "%.2f" % s if s else "NaN"))
            n += 1
    if n == 0:
        return False  # no peer ran (--smoke, --no-pandoc --no-soffice)
    have_lo = any(r.soffice is not None and r.soffice.ok() for r in rows)
    gp = os.path.join(ARGS.scratch, "ratios.gp")
    with open(gp, "w", encoding="utf-8") as f:
        f.write("""set terminal svg size 900,480 dynamic font "sans,11" background "#ffffff"
set output '%s'
set title "How many times more CPU time the peers take than emuconv (log scale; higher is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set yrange [1:*]
set grid ytics
set ylabel "peer CPU time / emuconv CPU time"
set xtics rotate by -30 scale 0
set key top right
set arrow from graph 0, first 50 to graph 1, first 50 nohead dt 2 lc rgb "#cc0000"
set arrow from graph 0, first 20 to graph 1, first 20 nohead dt 3 lc rgb "#cc6600"
set label "50x target" at graph 0.01, first 58 tc rgb "#cc0000"
set label "20x target" at graph 0.01, first 23 tc rgb "#cc6600"
plot '%s' using 2:xtic(1) title "pandoc"%s
""" % (svg, dat, ", '' using 3 title \"LibreOffice\"" if have_lo else ""))
    res = subprocess.run(["gnuplot", gp], capture_output=True, text=True)
    if res.returncode != 0:
        log("gnuplot failed: " + res.stderr.strip())
        return False
    return n > 0


def report(rows, tp, info, load0, t0):
    tab = table(rows)
    tg = targets(rows)
    tpt = throughput_table(tp)
    print()
    print(tab)
    print()
    print("Targets:")
    print(tg)
    if tpt:
        print()
        print("Batch throughput:")
        print(tpt)
    outdir = ARGS.out
    os.makedirs(outdir, exist_ok=True)
    suffix = "-smoke" if ARGS.smoke else "-quick" if ARGS.quick else ""
    svg = os.path.join(outdir, "ratios%s.svg" % suffix)
    have_chart = chart(rows, svg)
    md = os.path.join(outdir, "RESULTS%s.md" % suffix)
    mode = ("smoke (`--smoke`: tiny inputs, one run, no peers)" if ARGS.smoke else
            "quick (`--quick`: smaller inputs, fewer runs, no LibreOffice)" if ARGS.quick else "default")
    with open(md, "w", encoding="utf-8") as f:
        f.write("""# emuconv benchmark results

Made by `bench/run` (%s mode) on %s UTC in %.0f s.

| | |
|---|---|
| machine | %s CPUs, %s |
| load average | %s at the start, %s at the end (the machine is shared: read CPU time) |
| commit | `%s` (%s) |
| emuconv | %s, default filters `%s` |
| pandoc | %s |
| LibreOffice | %s |

Every figure is one whole process, from the kernel's rusage (wait4, as
`/usr/bin/time`): **CPU time (user+sys) first, the primary figure**, wall
time after the slash, in milliseconds; the median of %s runs for emuconv and
the floors, %s for pandoc, one run for LibreOffice. RSS is the peak
resident set (`/usr/bin/time -f %%M`), the largest over the runs. Ratios
divide CPU times; emuconv's and pandoc's runs of a conversion alternate,
so that a ratio compares runs of the same minutes (this host's speed
drifts by up to half within minutes). The seeds' rows add up the five files' medians (one
process per file; RSS is the largest), and so do the HTML fixtures' rows
(the pages of `tests/data/html`; pandoc only). Peers are stopped after %d s
(`timeout`, the ratio then is a lower bound from wall times). pandoc reads
text as `-f markdown`. The `(--no-filter all)` rows show what the default
filter chain costs; their peer figures are the default rows'.

%s

## Targets

%s

%s""" % (mode, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), time.time() - t0,
       info["nproc"], info["cpu"], load0, loadavg(), info["commit"], info["subject"],
       info["emuconv"], info["filters"], info["pandoc"], info["soffice"],
       "1" if ARGS.smoke else "3" if ARGS.quick else "%d on the seeds, %d on the big inputs" % (ARGS.runs, ARGS.big_runs),
       "1" if ARGS.quick else "3 on the seeds, %d on the 2 MB inputs, 1 on the 50 MB text" % ARGS.peer_runs,
       ARGS.timeout, tab, tg,
       "## Batch throughput (#11)\n\n%s\n\n" % tpt if tpt else ""))
        if have_chart:
            f.write("## Ratios\n\n![peer CPU time over emuconv CPU time](%s)\n" % os.path.basename(svg))
    log("wrote %s%s" % (md, " and " + svg if have_chart else ""))


# --------------------------------------------------------------------------
# Profile (callgrind)

def profile(inp):
    if not shutil.which("valgrind"):
        sys.exit("bench: --profile needs valgrind")
    d = os.path.join(ARGS.scratch, "profile")
    os.makedirs(d, exist_ok=True)
    # txt: the 50 MB text cut to about 5 MB (at a paragraph boundary).
    cut = os.path.join(d, "cut.txt")
    data = open(inp["txt"], "rb").read(5 * MB)
    with open(cut, "wb") as f:
        f.write(data[:data.rindex(b"\n\n") + 2])
    seed = [s for s in inp["seeds"] if s.endswith("sonla-emulation.en.txt")][0]
    cases = [("txt→epub", cut, "epub"), ("html→tei", inp["html"], "tei"), ("docx→tei", inp["docx"], "tei"),
             ("one seed txt→epub (start-up cost)", seed, "epub")]
    sections = []
    for name, src, fmt in cases:
        log("callgrind: %s (%s)" % (name, human(os.path.getsize(src))))
        cg = os.path.join(d, "callgrind.%d.out" % len(sections))
        out = os.path.join(d, "out." + fmt)
        t = time.time()
        if os.path.exists(cg):  # a kept --scratch: reuse the profile
            log("reusing " + cg)
        else:
            subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg] + EMUCONV + [src, out],
                           env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        secs = time.time() - t
        part = ["## %s, %s (default filters)\n" % (name, human(os.path.getsize(src)))]
        tot = None
        for inclusive in ("yes", "no"):
            res = subprocess.run(["callgrind_annotate", "--inclusive=" + inclusive, "--threshold=100", cg],
                                 capture_output=True, text=True, check=True).stdout
            m = re.search(r"^\s*([\d,]+)\s+(?:\(100\.0%\)\s+)?PROGRAM TOTALS", res, re.M)
            if m:
                tot = int(m.group(1).replace(",", ""))
            funcs = []
            for l in res.splitlines():
                fm = re.match(r"^\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(\S.*?)(?:\s+\[.*\])?$", l)
                if not fm or "PROGRAM TOTALS" in l or l.strip().startswith("Ir"):
                    continue
                fn = fm.group(2)
                if ":" not in fn:
                    continue
                funcs.append((int(fm.group(1).replace(",", "")), fn))
                if len(funcs) == 15:
                    break
            part.append("### top 15 by %s cost\n" % ("inclusive" if inclusive == "yes" else "self"))
            part.append("| Ir | % | function (file) |\n|---:|---:|---|")
            for ir, fn in funcs:
                file_, _, func = fn.rpartition(":")
                file_ = re.sub(r"^.*/(wt-[^/]+|emuconv[^/]*|b-[^/]+)/", "", file_)
                part.append("| %s | %.1f | `%s` (%s) |" % (format(ir, ","), 100.0 * ir / tot if tot else 0,
                                                          func, os.path.basename(file_) if file_ != "???" else "???"))
            part.append("")
        part.insert(1, "Total: %s instructions.\n" % (format(tot, ",") if tot else "?"))
        sections.append("\n".join(part))
    os.makedirs(ARGS.out, exist_ok=True)
    md = os.path.join(ARGS.out, "PROFILE.md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("""# emuconv profile (callgrind)

Made by `bench/run --profile` on %s UTC, commit `%s`; the default filter
chain (`%s`). Instruction counts (Ir) from `valgrind --tool=callgrind`,
which are stable on a loaded machine; inclusive = the function and all it
calls, self = the function's own instructions. Load the raw
`callgrind.*.out` files (left in the scratch directory) with kcachegrind
or `callgrind_annotate --tree=caller` for the call graph.

%s""" % (datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), MACHINE["commit"],
         default_filters(), "\n".join(sections)))
    log("wrote " + md)


# --------------------------------------------------------------------------

def find_emuconv(builddir):
    """The real program, not libtool's wrapper script (whose start-up would
    be timed too): .libs/emuconv with the build tree's libemuconv; it finds
    the build tree's plugins by itself."""
    env = dict(os.environ)
    env.pop("EMUCONV_DEFAULT_FILTERS", None)
    env.pop("EMUCONV_PLUGIN_PATH", None)
    if os.environ.get("EMUCONV"):
        return [os.environ["EMUCONV"]], env
    real = os.path.join(builddir, ".libs", "emuconv")
    if os.path.exists(real):
        env["LD_LIBRARY_PATH"] = os.path.join(builddir, "core", ".libs") + \
            (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        return [real], env
    exe = os.path.join(builddir, "emuconv")
    if os.path.exists(exe):
        return [exe], env
    sys.exit("bench: no emuconv in %s (build it first, or set EMUCONV=PATH)" % builddir)


def main():
    global ARGS, EMUCONV, ENV, MACHINE
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    ap.add_argument("builddir", nargs="?", default=".", help="the build tree (default: .)")
    ap.add_argument("--quick", action="store_true", help="about 2 minutes: 0.5 MB page/DOCX, 5 MB text, 3 runs, no LibreOffice")
    ap.add_argument("--smoke", action="store_true", help="seconds: tiny inputs, 1 run, emuconv and the floors only (the test suite's check of this script)")
    ap.add_argument("--profile", action="store_true", help="run callgrind instead and write PROFILE.md")
    ap.add_argument("--runs", type=int, default=5, help="emuconv and floor runs on the seeds (median; default 5)")
    ap.add_argument("--big-runs", type=int, default=5, help="emuconv and floor runs on the big inputs (default 5; a median of 3 once came out 50%% slow on the shared development machine)")
    ap.add_argument("--peer-runs", type=int, default=3, help="pandoc runs on the 2 MB inputs (default 3, as on the seeds: one run varies by 8%%)")
    ap.add_argument("--timeout", type=int, default=60, help="seconds before a peer's run is stopped (default 60)")
    ap.add_argument("--rss-cap", type=int, default=4096, help="MB of RSS before a peer's run is stopped (default 4096)")
    ap.add_argument("--corpus-copies", type=int, default=None, help="copies of the seeds for the batch throughput (-j 1 vs -j 2; default 1000, 200 with --quick, 2 with --smoke; 0: skip)")
    ap.add_argument("--no-pandoc", action="store_true")
    ap.add_argument("--no-soffice", action="store_true")
    ap.add_argument("--scratch", help="where inputs and outputs go (default: a new /tmp directory, removed unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--out", default=HERE, help="where RESULTS.md, ratios.svg, PROFILE.md go (default: bench/)")
    ARGS = ap.parse_args()
    ARGS.builddir = os.path.abspath(ARGS.builddir)
    if ARGS.smoke:
        ARGS.quick = ARGS.no_pandoc = ARGS.no_soffice = True
    if ARGS.quick:
        ARGS.timeout = min(ARGS.timeout, 30)
    if ARGS.corpus_copies is None:
        ARGS.corpus_copies = 2 if ARGS.smoke else 200 if ARGS.quick else 1000
    made_scratch = not ARGS.scratch
    if made_scratch:
        import tempfile
        ARGS.scratch = tempfile.mkdtemp(prefix="emuconv-bench.")
    os.makedirs(ARGS.scratch, exist_ok=True)
    ARGS.scratch = os.path.abspath(ARGS.scratch)
    EMUCONV, ENV = find_emuconv(ARGS.builddir)
    t0 = time.time()
    load0 = loadavg()
    MACHINE = machine()
    log("%s; %s CPUs, load %s; scratch %s" % (MACHINE["emuconv"], MACHINE["nproc"], load0, ARGS.scratch))
    try:
        log("making the inputs")
        if ARGS.smoke:
            inp = make_inputs(0.05, 0.2)
        elif ARGS.quick and not ARGS.profile:
            inp = make_inputs(0.5, 5)
        else:
            inp = make_inputs(2.0, 50)
        if ARGS.profile:
            profile(inp)
        else:
            rows = run_all(inp)
            tp = corpus_throughput(inp["seeds"], [r for r in rows if r.kind == "seeds"])
            report(rows, tp, MACHINE, load0, t0)
    finally:
        if made_scratch and not ARGS.keep:
            shutil.rmtree(ARGS.scratch, ignore_errors=True)
        else:
            log("scratch kept: " + ARGS.scratch)
    log("done in %.0f s" % (time.time() - t0))


if __name__ == "__main__":
    main()
