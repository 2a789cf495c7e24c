"""healthlint benchmark suite: one command, a results table and a JSON record.

    .venv/bin/python benchmarks/run.py            # full suite, about 8-20 minutes
    .venv/bin/python benchmarks/run.py --quick    # smoke run, a minute or two

Measures the installed ``healthlint`` next to this Python (or ``--healthlint CMD``) as
whole processes, the way users run it:

* throughput (MB/s) of ``healthlint check --format json --output /dev/null`` over a
  generated corpus of ~2,000 Markdown articles (~21 MB) with ``--jobs 1`` and ``--jobs 2``,
  and over HTML and plain-text corpora with ``--jobs 1``;
* scaling with corpus size (1x, 4x and 16x of a 1/16 slice);
* scaling with rule count (the built-in pack, then ten times as many rules by adding
  generated ``kind: phrase`` rules with ``--rules``), as a slowdown ratio;
* single-file latency of the whole process on a 5 KB Markdown article (the pre-commit
  case), with ``python -c pass`` and ``healthlint --version`` as floors;
* peak memory (max RSS of any one process, and for ``--jobs 2`` the summed PSS of the
  process tree, sampled);
* proselint 0.16 on the same corpus and file (installed into its own venv), as ratios;
* with a result cache (when ``healthlint check --help`` offers ``--no-cache``): a second
  run over the unchanged corpus, as a speed-up ratio.

Corpus-level commands run round-robin (one run of each per round, order rotated), so every
median and every ratio comes from the same stretch of time; the host's speed drifts by up
to 1.5x (see the performance notes), and a ratio within one round is more trustworthy than
any absolute number. For each run, the CPU time that other processes used while it ran is
recorded ("others"), so a noisy run can be recognised.

Results print as tables and are written to ``benchmarks/results/latest.json`` (``--quick``:
``quick.json``). ``--compare OLD.json`` adds old/new columns. Generated files live in
``benchmarks/.cache/`` (git-ignored) and are rebuilt from the seed when missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus

CACHE = HERE / ".cache"
RESULTS = HERE / "results"
PROSELINT_VERSION = "0.16.0"  # the version in the performance notes
HZ = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# ------------------------------------------------------------------------ process runs


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children
    maxrss_mb: float  # largest resident set of any one process in the tree (wait4)
    tree_mb: float | None  # peak summed PSS of the whole tree, when sampled
    others: float  # average cores busy with other work during the run (0 = quiet)
    steal: float  # average cores stolen by the hypervisor during the run
    rc: int


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, steal) jiffies of all CPUs since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0, 0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal, steal


def _children_of() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE / 2**20
    except OSError:
        return 0.0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            tree, todo, children = [], [self.pid], _children_of()
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo.extend(children.get(pid, []))
            self.peak = max(self.peak, sum(_pss_mb(p) for p in tree))


class CommandFailed(RuntimeError):
    pass


def run_process(cmd: list[str], cwd: Path, ok: tuple[int, ...] = (0, 1), sample_tree: bool = False,
                env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` to completion with output discarded; measure it."""
    with tempfile.TemporaryFile() as err:
        busy0, steal0 = _cpu_jiffies()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                env=env)
        sampler = TreeSampler(proc.pid) if sample_tree else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        busy1, steal1 = _cpu_jiffies()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.done.set()
            sampler.join()
        if proc.returncode not in ok:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise CommandFailed(f"exit code {proc.returncode}: {' '.join(cmd[:8])} ...\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, (busy1 - busy0) / HZ - cpu) / wall if wall > 0 else 0.0
    return Run(
        wall=wall, cpu=cpu, maxrss_mb=usage.ru_maxrss / 1024,
        tree_mb=round(sampler.peak, 1) if sampler and sampler.peak else None,
        others=round(others, 3), steal=round((steal1 - steal0) / HZ / wall, 3) if wall > 0 else 0.0,
        rc=proc.returncode,
    )


def busy_others(seconds: float = 1.0) -> float:
    """Average cores busy over ``seconds`` (this process sleeps meanwhile)."""
    busy0, _ = _cpu_jiffies()
    time.sleep(seconds)
    busy1, _ = _cpu_jiffies()
    return (busy1 - busy0) / HZ / seconds


def wait_for_quiet(limit: float, threshold: float = 0.3) -> float:
    """Wait up to ``limit`` seconds for other work to drop below ``threshold`` cores."""
    deadline = time.monotonic() + limit
    load = busy_others()
    while load > threshold and time.monotonic() < deadline:
        load = busy_others(2.0)
    return load


# ------------------------------------------------------------------------ measurements


@dataclass
class Spec:
    """One command to measure repeatedly."""

    key: str
    label: str
    cmd: list[str]
    group: str  # "corpus" or "latency"
    runs: int
    megabytes: float | None = None
    files: int = 1
    sample_tree: bool = False
    before: Callable[[], None] | None = None  # run before every timed run (not timed)
    prepare: Callable[[], None] | None = None  # run once, before the first run (not timed)
    env: dict[str, str] | None = None  # the environment of its runs, when not this one's
    ok: tuple[int, ...] = (0, 1)
    results: list[Run] = field(default_factory=list)
    error: str | None = None


def summary(spec: Spec) -> dict:
    walls = [r.wall for r in spec.results]
    out: dict = {
        "label": spec.label, "group": spec.group, "files": spec.files, "megabytes": spec.megabytes,
        "command": " ".join(spec.cmd[:12]) + (f" ... ({len(spec.cmd) - 12} more)" if len(spec.cmd) > 12 else ""),
        "runs": len(walls),
    }
    if spec.error:
        out["error"] = spec.error
    if not walls:
        return out
    med = statistics.median(walls)
    out.update(median_s=med, min_s=min(walls), max_s=max(walls), walls_s=[round(w, 4) for w in walls])
    if spec.megabytes:
        out.update(mb_per_s=spec.megabytes / med, mb_per_s_min=spec.megabytes / max(walls),
                   mb_per_s_max=spec.megabytes / min(walls))
    out["cpu_s_median"] = statistics.median(r.cpu for r in spec.results)
    out["maxrss_mb_median"] = statistics.median(r.maxrss_mb for r in spec.results)
    out["maxrss_mb_max"] = max(r.maxrss_mb for r in spec.results)
    trees = [r.tree_mb for r in spec.results if r.tree_mb]
    if trees:
        out["tree_pss_mb_max"] = max(trees)
    out["others_cores_median"] = statistics.median(r.others for r in spec.results)
    out["others_cores_max"] = max(r.others for r in spec.results)
    out["steal_cores_max"] = max(r.steal for r in spec.results)
    out["runs_detail"] = [asdict(r) for r in spec.results]
    return out


def run_rounds(specs: list[Spec], cwd: Path, quiet_wait: float, log: Callable[[str], None]) -> None:
    """Run the specs round-robin: round r runs every spec that wants more than r runs."""
    specs = [s for s in specs if s.runs > 0]
    rounds = max((s.runs for s in specs), default=0)
    for r in range(rounds):
        if quiet_wait:
            load = wait_for_quiet(quiet_wait)
            log(f"  round {r + 1}/{rounds}: others busy {load:.2f} cores at start")
        todo = [s for s in specs if len(s.results) < s.runs and not s.error]
        shift = r % len(todo) if todo else 0
        for spec in todo[shift:] + todo[:shift]:  # rotate, so no command always goes first
            try:
                if spec.before:
                    spec.before()
                result = run_process(spec.cmd, cwd, spec.ok, spec.sample_tree)
            except (CommandFailed, OSError) as exc:
                spec.error = str(exc)
                log(f"  {spec.label}: FAILED: {exc}")
                continue
            spec.results.append(result)
            rate = f", {spec.megabytes / result.wall:.2f} MB/s" if spec.megabytes else ""
            log(f"  round {r + 1}/{rounds} {spec.label}: {result.wall:.2f} s{rate}, "
                f"RSS {result.maxrss_mb:.0f} MB, others {result.others:.2f} cores")


def run_latency(specs: list[Spec], cwd: Path, warmup: int, log: Callable[[str], None]) -> None:
    """Interleave single-file runs: warm-ups first, then one run of each spec per iteration."""
    specs = [s for s in specs if s.runs > 0]
    for spec in specs:
        if spec.prepare:
            try:
                spec.prepare()
            except (CommandFailed, OSError) as exc:
                spec.error = str(exc)
                log(f"  {spec.label}: FAILED: {exc}")
    for _ in range(warmup):
        for spec in specs:
            if spec.error:
                continue
            try:
                if spec.before:
                    spec.before()
                run_process(spec.cmd, cwd, spec.ok, env=spec.env)
            except (CommandFailed, OSError) as exc:
                spec.error = str(exc)
    rounds = max((s.runs for s in specs), default=0)
    for r in range(rounds):
        for spec in specs:
            if spec.error or len(spec.results) >= spec.runs:
                continue
            try:
                if spec.before:
                    spec.before()
                spec.results.append(run_process(spec.cmd, cwd, spec.ok, env=spec.env))
            except (CommandFailed, OSError) as exc:
                spec.error = str(exc)
                log(f"  {spec.label}: FAILED: {exc}")
    for spec in specs:
        if spec.results:
            walls = [x.wall * 1000 for x in spec.results]
            log(f"  {spec.label}: median {statistics.median(walls):.0f} ms "
                f"(min {min(walls):.0f}, max {max(walls):.0f}, {len(walls)} runs)")


# ------------------------------------------------------------------------ tools


def healthlint_command(explicit: str | None) -> list[str]:
    if explicit:
        return explicit.split()
    beside = Path(sys.executable).with_name("healthlint")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("healthlint")
    return [found] if found else [sys.executable, "-m", "healthlint"]


def tool_output(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"<{exc}>"
    return (proc.stdout + proc.stderr).strip()


def ensure_proselint(log: Callable[[str], None], version: str) -> Path | None:
    """proselint in its own venv under the cache folder; None if it cannot be installed."""
    venv = CACHE / "proselint-venv"
    exe = venv / "bin" / "proselint"
    marker = venv / "installed-version"
    if exe.is_file() and marker.is_file() and marker.read_text().strip() == version:
        return exe
    log(f"Installing proselint {version} into {venv.relative_to(HERE.parent)} ...")
    try:
        if not (venv / "bin" / "python").is_file():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"proselint=={version}"],
                       check=True, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        log(f"  proselint could not be installed ({exc}); skipping the comparison")
        return None
    marker.write_text(version)
    return exe


def builtin_rule_count() -> int:
    from healthlint.lexicons import builtin_rules_dir

    root = builtin_rules_dir()
    return sum(1 for p in root.rglob("*.y*ml") if "lexicons" not in p.relative_to(root).parts)


def machine_info(hl: list[str]) -> dict:
    info = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_model": "",
        "memory_gb": round(os.sysconf("SC_PHYS_PAGES") * PAGE / 2**30, 1),
        "platform": platform.platform(),
        "python": tool_output([sys.executable, "-c", "import sys; print(sys.version.split()[0])"]),
        "healthlint_command": " ".join(hl),
        "healthlint_version": tool_output([*hl, "--version"]),
        "loadavg_start": os.getloadavg(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu_model"] = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    repo = HERE.parent
    commit = tool_output(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"])
    dirty = tool_output(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no", "--", "healthlint", "rules"])
    info["git_commit"] = commit
    info["git_dirty_files"] = len([ln for ln in dirty.splitlines() if ln.strip()])
    return info


def findings_fingerprint(hl: list[str], specs: list[Spec]) -> dict:
    """Findings per rule over the first 125 Markdown files (``--statistics --format json``)."""
    md_j1 = next(s for s in specs if s.key == "md_j1")
    files = [a for a in md_j1.cmd if a.endswith(".md")][:125]
    flags = ["--no-cache"] if "--no-cache" in md_j1.cmd else []
    proc = subprocess.run([*hl, "check", "--no-config", *flags, "--statistics", "--format", "json", *files],
                          cwd=CACHE, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode not in (0, 1):
        raise CommandFailed(f"exit code {proc.returncode}\n{proc.stderr[-2000:]}")
    counts = {row["rule"]: row["count"] for row in json.loads(proc.stdout)}
    return {"files": len(files), "total": sum(counts.values()), "by_rule": dict(sorted(counts.items()))}


# ------------------------------------------------------------------------ the suite


@dataclass
class Plan:
    md_files: int
    html_files: int
    txt_files: int
    rounds: int
    proselint_rounds: int
    latency_runs: int
    latency_warmup: int
    rule_factor: int


FULL = Plan(md_files=2000, html_files=300, txt_files=300, rounds=3, proselint_rounds=3,
            latency_runs=20, latency_warmup=3, rule_factor=10)
QUICK = Plan(md_files=160, html_files=30, txt_files=30, rounds=2, proselint_rounds=1,
             latency_runs=6, latency_warmup=1, rule_factor=10)


def build(args: argparse.Namespace, plan: Plan, log: Callable[[str], None]) -> tuple[list[Spec], list[Spec], dict]:
    hl = healthlint_command(args.healthlint)
    help_text = tool_output([*hl, "check", "--help"])
    if "usage" not in help_text:
        raise SystemExit(f"cannot run healthlint: {help_text}")
    has_cache = "--no-cache" in help_text
    has_cache_dir = "--cache-dir" in help_text
    skip = set(args.skip)
    seed = args.seed
    notes: dict = {"skipped": sorted(skip)}

    log(f"Generating the corpus in {CACHE.relative_to(HERE.parent)}/ (seed {seed}; reused when present) ...")
    md = corpus.ensure_corpus(CACHE / "corpus" / f"md-{seed}", "md", plan.md_files, seed)
    html = corpus.ensure_corpus(CACHE / "corpus" / f"html-{seed}", "html", plan.html_files, seed)
    txt = corpus.ensure_corpus(CACHE / "corpus" / f"txt-{seed}", "txt", plan.txt_files, seed)
    single = CACHE / "corpus" / f"single-5k-{seed}.md"
    single.write_text(corpus.single_file(seed), encoding="utf-8")
    rel = lambda paths: [str(p.relative_to(CACHE)) for p in paths]
    mb = lambda paths: sum(p.stat().st_size for p in paths) / 1e6
    notes["corpus"] = {
        "seed": seed, "generator_version": corpus.GENERATOR_VERSION,
        "markdown": corpus.describe(md), "html": corpus.describe(html), "text": corpus.describe(txt),
        "single_file": {"path": str(single.relative_to(HERE.parent)), "bytes": single.stat().st_size},
    }
    log(f"  Markdown {len(md)} files {mb(md):.2f} MB, HTML {len(html)} files {mb(html):.2f} MB, "
        f"text {len(txt)} files {mb(txt):.2f} MB, single file {single.stat().st_size} B")

    base = [*hl, "check", "--no-config", "--format", "json", "--output", os.devnull]
    # healthlint's own cache (compiled rules, unchanged files' results) goes here, never
    # into the working folder: $HEALTHLINT_CACHE_DIR for every child, or --cache-dir.
    cache_dir = CACHE / "healthlint-cache"
    os.environ["HEALTHLINT_CACHE_DIR"] = str(cache_dir)
    if has_cache:
        nocache = [*base, "--no-cache"]
    else:
        nocache = base
    notes["cache"] = {"available": has_cache, "cache_dir_option": has_cache_dir}

    builtin = builtin_rule_count()
    extra = builtin * (plan.rule_factor - 1)
    rules_dir = CACHE / f"rules-x{plan.rule_factor}"
    if "rules" not in skip:
        corpus.write_rules(rules_dir, extra)
    notes["rules"] = {"builtin": builtin, "extra_phrase_rules": extra, "total": builtin + extra,
                      "folder": str(rules_dir.relative_to(HERE.parent))}

    R, mdmb = plan.rounds, mb(md)
    specs = [
        Spec("md_j1", f"healthlint md --jobs 1 ({len(md)} files)", [*nocache, "--jobs", "1", *rel(md)],
             "corpus", R, mdmb, len(md)),
        Spec("md_j2", f"healthlint md --jobs 2 ({len(md)} files)", [*nocache, "--jobs", "2", *rel(md)],
             "corpus", 0 if "jobs2" in skip else R, mdmb, len(md), sample_tree=True),
        Spec("md_j1_rules", f"healthlint md --jobs 1, {plan.rule_factor}x rules",
             [*nocache, "--jobs", "1", "--rules", str(rules_dir.relative_to(CACHE)), *rel(md)],
             "corpus", 0 if "rules" in skip else R, mdmb, len(md)),
    ]
    if "scaling" not in skip:
        unit = max(1, len(md) // 16)
        for factor in (1, 4):
            part = md[: unit * factor]
            specs.append(Spec(f"md_j1_x{factor}", f"healthlint md --jobs 1, {factor}x slice ({len(part)} files)",
                              [*nocache, "--jobs", "1", *rel(part)], "corpus", R, mb(part), len(part)))
        notes["scaling_unit_files"] = unit
    if "formats" not in skip:
        specs.append(Spec("html_j1", f"healthlint html --jobs 1 ({len(html)} files)",
                          [*nocache, "--jobs", "1", *rel(html)], "corpus", R, mb(html), len(html)))
        specs.append(Spec("txt_j1", f"healthlint text --jobs 1 ({len(txt)} files)",
                          [*nocache, "--jobs", "1", *rel(txt)], "corpus", R, mb(txt), len(txt)))

    def clear_cache() -> None:
        for folder in (cache_dir, CACHE / ".healthlint_cache"):
            shutil.rmtree(folder, ignore_errors=True)

    cached = [*base] + (["--cache-dir", str(cache_dir.relative_to(CACHE))] if has_cache_dir else [])
    if has_cache and "cache" not in skip:
        primed: list[bool] = []

        def prime() -> None:
            if not primed:
                clear_cache()
                run_process([*cached, "--jobs", "1", *rel(md)], CACHE)
                primed.append(True)

        specs.append(Spec("md_j1_cache_cold", "healthlint md --jobs 1, empty cache (writes it)",
                          [*cached, "--jobs", "1", *rel(md)], "corpus", R, mdmb, len(md), before=clear_cache))
        specs.append(Spec("md_j1_cache_warm", "healthlint md --jobs 1, second run (cache warm)",
                          [*cached, "--jobs", "1", *rel(md)], "corpus", R, mdmb, len(md), before=prime))
    proselint = None if "proselint" in skip else ensure_proselint(log, args.proselint_version)
    if proselint:
        notes["proselint_version"] = tool_output([str(proselint), "version"])
        specs.append(Spec("proselint_md", f"proselint check ({len(md)} files)",
                          [str(proselint), "check", "--output-format", "json", *rel(md)],
                          "corpus", plan.proselint_rounds, mdmb, len(md)))

    one = str(single.relative_to(CACHE))
    one_mb = single.stat().st_size / 1e6
    latency = [
        Spec("lat_python", "python -c pass", [sys.executable, "-c", "pass"], "latency", plan.latency_runs, ok=(0,)),
        Spec("lat_version", "healthlint --version", [*hl, "--version"], "latency", plan.latency_runs, ok=(0,)),
        Spec("lat_check", "healthlint check, 5 KB .md", [*nocache, one], "latency", plan.latency_runs, one_mb),
    ]
    if has_cache and "cache" not in skip:
        # The pre-commit case with a warm cache: compiled rules come from the cache, but the
        # file was just edited, so its result does not (a new line is appended before each run).
        edited = CACHE / "corpus" / "single-5k-edited.md"
        text = single.read_text(encoding="utf-8")
        counter = [0]

        def edit() -> None:
            counter[0] += 1
            edited.write_text(f"{text}\n<!-- edit {counter[0]} -->\n", encoding="utf-8")

        edit()
        latency.append(Spec("lat_check_cached_rules", "healthlint check, 5 KB .md just edited, cache warm",
                            [*cached, str(edited.relative_to(CACHE))], "latency", plan.latency_runs, one_mb,
                            before=edit))
        latency.append(Spec("lat_check_cached", "healthlint check, 5 KB .md unchanged, cache warm",
                            [*cached, one], "latency", plan.latency_runs, one_mb))
        # A pre-commit run on a commit of three edited articles, with the default --jobs.
        commit = [CACHE / "corpus" / f"commit-{n}.md" for n in range(3)]

        def edit_commit() -> None:
            counter[0] += 1
            for path in commit:
                path.write_text(f"{text}\n<!-- {path.stem} edit {counter[0]} -->\n", encoding="utf-8")

        edit_commit()
        latency.append(Spec("lat_commit", "healthlint check, three 5 KB .md just edited, default jobs",
                            [*cached, *(str(p.relative_to(CACHE)) for p in commit)], "latency",
                            plan.latency_runs, 3 * one_mb, before=edit_commit))
        if "server" not in skip and "server" in tool_output([*hl, "--help"]):
            latency.append(served_spec(hl, cached, text, plan, one_mb, notes))
    if "rules" not in skip:
        latency.append(Spec("lat_check_rules", f"healthlint check, 5 KB .md, {plan.rule_factor}x rules",
                            [*nocache, "--rules", str(rules_dir.relative_to(CACHE)), one], "latency",
                            plan.latency_runs, one_mb))
    if proselint:
        latency.append(Spec("lat_proselint", "proselint check, 5 KB .md",
                            [str(proselint), "check", "--output-format", "json", one], "latency",
                            plan.latency_runs, one_mb))
    if "latency" in skip:
        latency = []
    return specs, latency, notes


def served_spec(hl: list[str], cached: list[str], text: str, plan: Plan, one_mb: float, notes: dict) -> Spec:
    """The pre-commit case with ``HEALTHLINT_SERVER=1``: a just-edited file, run by the
    resident server. The server gets a folder of its own (a socket's path must be short),
    is started before the warm-up runs, and is stopped by ``stop_servers``."""
    folder = tempfile.mkdtemp(prefix="hlbench-", dir="/tmp")
    env = {**os.environ, "HEALTHLINT_SERVER": "1", "HEALTHLINT_SERVER_DIR": folder}
    edited = CACHE / "corpus" / "single-5k-served.md"
    counter = [0]

    def edit() -> None:
        counter[0] += 1
        edited.write_text(f"{text}\n<!-- served edit {counter[0]} -->\n", encoding="utf-8")

    def start() -> None:
        edit()
        run_process([*cached, str(edited.relative_to(CACHE))], CACHE, env=env)  # finds none: starts one
        deadline = time.monotonic() + 120
        while subprocess.run([*hl, "server", "status"], env=env, capture_output=True, check=False).returncode:
            if time.monotonic() > deadline:
                raise CommandFailed("the resident server did not start within 120 s")
            time.sleep(0.2)

    SERVERS.append(env)
    notes["server"] = {"folder": folder}
    return Spec("lat_served", "healthlint check, 5 KB .md just edited, HEALTHLINT_SERVER=1",
                [*cached, str(edited.relative_to(CACHE))], "latency", plan.latency_runs, one_mb,
                before=edit, prepare=start, env=env)


SERVERS: list[dict[str, str]] = []
"""The environments of the resident servers started, for ``stop_servers``."""


def stop_servers(hl: list[str]) -> None:
    for env in SERVERS:
        subprocess.run([*hl, "server", "stop"], env=env, capture_output=True, check=False)
        shutil.rmtree(env["HEALTHLINT_SERVER_DIR"], ignore_errors=True)


def ratio(a: dict, b: dict, key: str = "median_s") -> float | None:
    if a.get(key) and b.get(key):
        return a[key] / b[key]
    return None


def paired(a: Spec | None, b: Spec | None) -> tuple[float, float] | None:
    """min and max of per-round ratios a/b (runs of the same round)."""
    if not a or not b or not a.results or not b.results:
        return None
    values = [x.wall / y.wall for x, y in zip(a.results, b.results)]
    return min(values), max(values)


RATIOS = (
    # name, numerator, denominator, with the per-round range, meaning
    ("jobs2_speedup", "md_j1", "md_j2", True, "--jobs 1 time / --jobs 2 time (2 cores: ideal 2.0)"),
    ("rules_slowdown", "md_j1_rules", "md_j1", True,
     "time with 10x rules / time with the built-in rules (corpus, --jobs 1)"),
    ("rules_latency_slowdown", "lat_check_rules", "lat_check", False,
     "5 KB latency with 10x rules / with the built-in rules"),
    ("throughput_vs_proselint_j1", "proselint_md", "md_j1", True,
     "healthlint MB/s (--jobs 1) / proselint MB/s (>1: healthlint faster)"),
    ("throughput_vs_proselint_j2", "proselint_md", "md_j2", True,
     "healthlint MB/s (--jobs 2) / proselint MB/s (one process)"),
    ("latency_vs_proselint", "lat_check", "lat_proselint", False,
     "healthlint 5 KB latency / proselint 5 KB latency (<1: healthlint faster)"),
    ("cache_speedup", "md_j1_cache_cold", "md_j1_cache_warm", True,
     "first run (writes the cache) / second run over the unchanged corpus"),
    ("cache_speedup_vs_nocache", "md_j1", "md_j1_cache_warm", False, "--no-cache run / second run with the cache warm"),
    ("latency_cache_speedup", "lat_check", "lat_check_cached_rules", False,
     "5 KB latency with --no-cache / just-edited file with the cache warm"),
    ("latency_cached_vs_proselint", "lat_check_cached_rules", "lat_proselint", False,
     "healthlint 5 KB latency, cache warm / proselint latency"),
    ("commit_over_one_file", "lat_commit", "lat_check_cached_rules", False,
     "three just-edited files, default jobs / one just-edited file (one file's start-up shared)"),
    ("latency_served_vs_proselint", "lat_served", "lat_proselint", False,
     "healthlint 5 KB latency, HEALTHLINT_SERVER=1 / proselint latency"),
    ("latency_served_speedup", "lat_check_cached_rules", "lat_served", False,
     "just-edited 5 KB latency without the server / with it"),
    ("startup_share", "lat_version", "lat_check", False,
     "healthlint --version latency / check latency on 5 KB (share of fixed cost)"),
)
"""The ratios reported, each of two measurements' medians."""


def ratios(specs: dict[str, Spec], res: dict[str, dict]) -> dict:
    out: dict = {}

    def add(name: str, text: str, value: float | None, rng: tuple[float, float] | None = None) -> None:
        if value is not None:
            out[name] = {"value": round(value, 3), "meaning": text}
            if rng:
                out[name]["round_min"], out[name]["round_max"] = round(rng[0], 3), round(rng[1], 3)

    for name, top, bottom, per_round, text in RATIOS:
        if res.get(top) and res.get(bottom):
            add(name, text, ratio(res[top], res[bottom]),
                paired(specs.get(top), specs.get(bottom)) if per_round else None)
    scale = [res.get(k) for k in ("md_j1_x1", "md_j1_x4", "md_j1")]
    if all(s and s.get("median_s") for s in scale):
        add("scaling_time_16x_over_1x", "time for the 16x corpus / time for the 1x slice (linear: 16)",
            scale[2]["median_s"] / scale[0]["median_s"])
        add("scaling_time_4x_over_1x", "time for the 4x slice / time for the 1x slice (linear: 4)",
            scale[1]["median_s"] / scale[0]["median_s"])
    return out


# ------------------------------------------------------------------------ output


def fmt_table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    left = {i for i, h in enumerate(header) if h in ("measurement", "ratio", "meaning")}
    lines = ["  ".join(str(c).ljust(w) if i in left else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(results: dict, compare: dict | None) -> str:
    meas, out = results["measurements"], []
    old = (compare or {}).get("measurements", {})
    corpus_rows, latency_rows = [], []
    for key, m in meas.items():
        if not m.get("runs"):
            if m.get("error"):
                width = 9 if m["group"] == "corpus" else 6
                row = [m["label"], "FAILED"] + [""] * (width - 2) + (["-"] if compare is not None else [])
                (corpus_rows if m["group"] == "corpus" else latency_rows).append(row)
            continue
        extra = []
        if compare is not None:
            o = old.get(key, {})
            same_input = o.get("megabytes") == m.get("megabytes") and o.get("files") == m.get("files")
            extra = [f"{m['median_s'] / o['median_s']:.2f}x" if o.get("median_s") and same_input else "-"]
        if m["group"] == "corpus":
            corpus_rows.append([
                m["label"], f"{m['megabytes']:.2f}", str(m["runs"]),
                f"{m['median_s']:.2f}", f"{m['min_s']:.2f}–{m['max_s']:.2f}",
                f"{m['mb_per_s']:.2f}", f"{m['mb_per_s_min']:.2f}–{m['mb_per_s_max']:.2f}",
                f"{m['maxrss_mb_median']:.0f}" + (f" (tree {m['tree_pss_mb_max']:.0f})" if m.get("tree_pss_mb_max") else ""),
                f"{m['others_cores_median']:.2f}/{m['others_cores_max']:.2f}", *extra,
            ])
        else:
            latency_rows.append([
                m["label"], str(m["runs"]), f"{m['median_s'] * 1000:.0f}",
                f"{m['min_s'] * 1000:.0f}–{m['max_s'] * 1000:.0f}", f"{m['maxrss_mb_median']:.0f}",
                f"{m['others_cores_median']:.2f}/{m['others_cores_max']:.2f}", *extra,
            ])
    cmp_head = ["new/old"] if compare is not None else []
    if corpus_rows:
        out.append("Throughput (whole process, medians of round-robin runs)")
        out.append(fmt_table(corpus_rows, ["measurement", "MB", "runs", "median s", "min–max s", "MB/s",
                                           "MB/s min–max", "peak RSS MB", "others", *cmp_head]))
    if latency_rows:
        out.append("\nSingle-file latency (whole process, interleaved runs)")
        out.append(fmt_table(latency_rows, ["measurement", "runs", "median ms", "min–max ms", "peak RSS MB",
                                            "others", *cmp_head]))
    if results["ratios"]:
        out.append("\nRatios (of medians; per-round range where runs were paired)")
        rows = []
        for name, r in results["ratios"].items():
            rng = f"{r['round_min']:.2f}–{r['round_max']:.2f}" if "round_min" in r else ""
            rows.append([name, f"{r['value']:.2f}", rng, r["meaning"]])
        out.append(fmt_table(rows, ["ratio", "value", "rounds", "meaning"]))
    fp_new = results["notes"].get("findings_first_125_md")
    fp_old = (compare or {}).get("notes", {}).get("findings_first_125_md")
    if fp_new and fp_old and fp_new.get("by_rule") != fp_old.get("by_rule"):
        out.append(f"\nWARNING: the findings differ from the compared run ({fp_old.get('total')} then, "
                   f"{fp_new.get('total')} now, on the first 125 Markdown files): the two versions do not do the same work.")
    out.append("\n'others': cores busy with other processes during the runs (median/max); above ~0.3 the "
               "machine was not quiet and timings are inflated. Peak RSS: largest single process; "
               "'tree' adds up the PSS of --jobs 2's parent and workers.")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--quick", action="store_true", help="small corpus, fewer runs: a smoke run of a minute or two")
    ap.add_argument("--rounds", type=int, help="runs of each corpus command (full 3, quick 2)")
    ap.add_argument("--proselint-rounds", type=int, help="runs of proselint over the corpus (full 3, quick 1)")
    ap.add_argument("--latency-runs", type=int, help="timed single-file runs (full 20, quick 6)")
    ap.add_argument("--files", type=int, help="Markdown corpus size in files (full 2000, quick 160)")
    ap.add_argument("--skip", action="append", default=[],
                    choices=["proselint", "rules", "scaling", "formats", "cache", "latency", "jobs2", "server"],
                    help="leave out a part (repeatable)")
    ap.add_argument("--healthlint", help="command to benchmark instead of the healthlint beside this Python")
    ap.add_argument("--proselint-version", default=PROSELINT_VERSION)
    ap.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    ap.add_argument("--quiet-wait", type=float, default=0.0,
                    help="before each round, wait up to this many seconds for other processes to go idle")
    ap.add_argument("--out", type=Path, help="JSON results file (default results/latest.json, quick: results/quick.json)")
    ap.add_argument("--compare", type=Path, help="an earlier results JSON to compare medians with")
    args = ap.parse_args()

    plan = QUICK if args.quick else FULL
    plan = Plan(**{**asdict(plan), **{k: v for k, v in {
        "rounds": args.rounds, "proselint_rounds": args.proselint_rounds, "latency_runs": args.latency_runs,
        "md_files": args.files}.items() if v is not None}})
    out_path = args.out or RESULTS / ("quick.json" if args.quick else "latest.json")
    compare = json.loads(args.compare.read_text()) if args.compare else None
    started = time.monotonic()

    def log(msg: str) -> None:
        print(f"[{time.monotonic() - started:6.0f}s] {msg}", flush=True)

    CACHE.mkdir(parents=True, exist_ok=True)
    info = machine_info(healthlint_command(args.healthlint))
    log(f"{info['healthlint_version']} at {info['git_commit']} ({info['git_dirty_files']} modified files), "
        f"Python {info['python']}, {info['cpu_count']} CPUs")
    specs, latency, notes = build(args, plan, log)
    # One untimed run, so bytecode and the page cache are warm for the first timed one. It
    # also counts the findings per rule on the first 125 files: a speed comparison between
    # two versions means little if they do not find the same things.
    try:
        notes["findings_first_125_md"] = findings_fingerprint(healthlint_command(args.healthlint), specs)
    except (CommandFailed, OSError, ValueError) as exc:
        log(f"healthlint failed on the corpus:\n{exc}")
        return 2
    log(f"  findings on the first 125 Markdown files: {notes['findings_first_125_md']['total']}")
    log(f"Throughput: {max(s.runs for s in specs)} rounds of {len([s for s in specs if s.runs])} commands, round-robin")
    run_rounds(specs, CACHE, args.quiet_wait, log)
    if latency:
        log(f"Latency: {plan.latency_warmup} warm-up and {plan.latency_runs} timed runs of each, interleaved")
        try:
            run_latency(latency, CACHE, plan.latency_warmup, log)
        finally:
            stop_servers(healthlint_command(args.healthlint))
    info["loadavg_end"] = os.getloadavg()
    info["duration_s"] = round(time.monotonic() - started, 1)
    all_specs = {s.key: s for s in [*specs, *latency]}
    measurements = {s.key: summary(s) for s in all_specs.values() if s.runs > 0}
    results = {
        "schema": 1, "mode": "quick" if args.quick else "full", "machine": info, "plan": asdict(plan),
        "notes": notes, "measurements": measurements, "ratios": ratios(all_specs, measurements),
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print()
    print(report(results, compare))
    print(f"\nWritten to {out_path} ({info['duration_s']:.0f} s).")
    failed = [s.label for s in all_specs.values() if s.error]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
