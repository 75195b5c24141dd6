"""Build benchmark: the real graph and a synthetic one N times larger (default 100), grown by one of
the models of ``bench/synthetic.py`` (more entities, more claims per fact, or both).

Prints mapping, inference, validation and load times, CPU time and peak memory for each, each
measured in a fresh subprocess so CPU time and peak RSS belong to that build alone. CPU time is what
all the build's threads and its children used (the memory sampler's own left out): it leaves out
time spent waiting for a CPU, so it shows how the work grows even on a machine whose speed drifts.
Peak RSS is the build's own peak, or if higher the highest sum, sampled every 50 ms, of its memory
and its children's (the processes that write the TriG and JSON-LD dumps), and the step it peaked
in. The real graph is built three times and the median build is the one compared;
``--synthetic-runs`` does the same for the synthetic one (``make bench`` builds the 20-claims model
three times), each synthetic build right after a real one (``interleaved``).

    python bench/build_bench.py [--factor 100] [--model mixed|entities|claims] [--synthetic-runs 1]
                                [--skip-synthetic-validation]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, resource, sys, threading, time
from pathlib import Path
from graph.progress import Progress
from graph.settings import Settings
import graph.build as b
tables, data, skip = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
p = Progress(quiet=True)
if skip:
    b.validate_checked = lambda store, origins: (True, "skipped")

def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0

def converters():
    # the build's child processes (graph/convert.py writes the TriG and JSON-LD dumps); one not yet
    # past its exec still shares the build's memory, and is not counted
    found = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/children") as fh:
                found += fh.read().split()
        except OSError:
            pass
    out = []
    for pid in found:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if b"convert.py" in fh.read():
                    out.append(pid)
        except OSError:
            pass
    return out

# the highest sum of the build's and its children's memory, sampled every 50 ms, and how many steps
# had ended then (the step under way is the next one): one tuple, replaced whole, so that it is never
# read half updated while the sampler still runs
together = [(0, 0)]
sampler_cpu = [0.0]  # the sampler's own CPU time, not the build's
def sample():
    while True:
        now = rss_kib("self") + sum(map(rss_kib, converters()))
        if now > together[0][0]:
            together[0] = (now, len(p.steps))
        sampler_cpu[0] = time.thread_time()
        time.sleep(0.05)

def cpu_seconds():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

threading.Thread(target=sample, daemon=True).start()
cpu_before = cpu_seconds()
res = b.build(Settings.from_env(data_dir=data), tables_dir=tables, progress=p)
cpu = cpu_seconds() - cpu_before - sampler_cpu[0]
steps = {name: round(dt, 2) for name, dt, _ in p.steps}
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sampled, ended = together[0]
peak = max(own, sampled)
during = p.steps[ended][0] if ended < len(p.steps) else "after the last step"
if own > sampled * 1.05:  # a peak no sample saw: short, between two samples
    during = f"between two samples (the highest sample: {during}, {sampled // 1024} MiB)"
print(json.dumps({"steps": steps, "quads": res.quads, "wall": time.perf_counter() - p.started, "cpu": cpu,
                  "peak_rss_mb": peak / 1024, "peak_during": during}))
"""


def run(tables: Path, data: Path, skip_validation: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(tables), str(data), "1" if skip_validation else "0"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def interleaved(real: Callable[[int], dict], synthetic: Callable[[int], dict], real_runs: int,
                synthetic_runs: int) -> tuple[list[dict], list[dict]]:
    """The builds of each graph (at least one), in the order they ran: the i-th synthetic build right
    after the i-th real one. The speed of a shared machine drifts (a fixed CPU-bound loop took
    2.9 to 5.2 s within half a minute): built in turn, both medians see the same stretches of it,
    where three real builds first and the synthetic ones minutes later might not."""
    reals: list[dict] = []
    bigs: list[dict] = []
    n_real, n_synthetic = max(1, real_runs), max(1, synthetic_runs)
    for i in range(max(n_real, n_synthetic)):
        if i < n_real:
            reals.append(real(i))
        if i < n_synthetic:
            bigs.append(synthetic(i))
    return reals, bigs


def median(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--factor", type=int, default=100)
    ap.add_argument("--model", default="mixed", choices=("mixed", "entities", "claims"),
                    help="how the synthetic tables grow (bench/synthetic.py)")
    ap.add_argument("--real-runs", type=int, default=3,
                    help="build the real graph this many times and compare with the median run: a "
                         "3-second build varies by a third from run to run on a shared machine")
    ap.add_argument("--synthetic-runs", type=int, default=1,
                    help="build the synthetic graph this many times and compare its median run (peak "
                         "memory: the highest of all runs): a 15-second build varies by a second")
    ap.add_argument("--skip-synthetic-validation", action="store_true",
                    help="skip SHACL on the synthetic graph (pyshacl time grows fast with size)")
    args = ap.parse_args()
    from bench.synthetic import generate
    from mappings import TABLES_DIR

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        synthetic_tables = generate(tmpdir / "synthetic-tables", args.factor, model=args.model)
        reals, bigs = interleaved(
            lambda i: run(TABLES_DIR, tmpdir / f"real-{i}", False),
            lambda i: run(synthetic_tables, tmpdir / f"synthetic-{i}", args.skip_synthetic_validation),
            args.real_runs, args.synthetic_runs)
    real, big = median(reals), dict(median(bigs))
    big["peak_rss_mb"] = max(b["peak_rss_mb"] for b in bigs)
    for name, runs in (("real graph", reals), (f"{args.model} x{args.factor}", bigs)):
        if len(runs) > 1:
            walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
            print(f"{name}: the median of {len(runs)} builds, in the order they ran ({walls} s)")
    if len(bigs) > 1:  # each synthetic build against the real one built just before it
        for what, key in (("", "wall"), (" in CPU time", "cpu")):
            ratios = sorted(b[key] / r[key] for r, b in zip(reals, bigs, strict=False))
            print(f"each synthetic build against the real one before it{what}: "
                  f"{', '.join(f'{x:.1f}' for x in ratios)} (median {ratios[len(ratios) // 2]:.1f})")
    print(f"{'phase':<40}{'real':>12}{args.model + ' x' + str(args.factor):>18}{'ratio':>10}")
    for phase in real["steps"]:
        a, b = real["steps"][phase], big["steps"].get(phase, float("nan"))
        print(f"{phase:<40}{a:>11.2f}s{b:>17.2f}s{(b / a if a else float('nan')):>10.1f}")
    total_a, total_b = sum(real["steps"].values()), sum(big["steps"].values())
    print(f"{'total of the steps':<40}{total_a:>11.2f}s{total_b:>17.2f}s{total_b / total_a:>10.1f}")
    # The whole build, work between the steps included: this is the figure the goals are about.
    print(f"{'total (wall clock)':<40}{real['wall']:>11.2f}s{big['wall']:>17.2f}s{big['wall'] / real['wall']:>10.1f}")
    # What the build's threads and its children used, less the memory sampler's: a steadier figure of
    # how the work grows, as it does not count the time spent waiting for a CPU on a busy machine.
    print(f"{'CPU time (all threads, children)':<40}{real['cpu']:>11.2f}s{big['cpu']:>17.2f}s"
          f"{big['cpu'] / real['cpu']:>10.1f}")
    print(f"{'quads':<40}{real['quads']:>12}{big['quads']:>18}{big['quads'] / real['quads']:>10.1f}")
    print(f"{'peak RSS (MiB)':<40}{real['peak_rss_mb']:>12.0f}{big['peak_rss_mb']:>18.0f}"
          f"{big['peak_rss_mb'] / real['peak_rss_mb']:>10.1f}")
    # where each synthetic build peaked: the peak is the highest run's, and it varies from run to run
    for i, b in enumerate(bigs, 1):
        print(f"peak RSS of {args.model} x{args.factor} build {i}: {b['peak_rss_mb']:.0f} MiB, "
              f"during: {b['peak_during']}")


if __name__ == "__main__":
    main()
