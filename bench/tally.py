"""Benchmark the tally rules on the shared Pabulib instances, against pabutools 1.2.3.

    python bench/tally.py [--data DIR] [--repeat N] [--cap SECONDS] [--no-pabutools]
                          [--only TEXT] [--rules a,b,c] [--generated] [--check]

For each instance: our parse_pb seconds (best of N), then for each rule: our best-of-N
seconds (parsing excluded, per-election caches cleared before every call), pabutools'
seconds in a subprocess capped at --cap (">cap" when cut), the ratio, and whether the
winners agree (with pabutools, or with the reference outcomes file when pabutools was cut
or skipped). Exits 1 if any of ours takes over 1 s or
disagrees. `--generated` adds bench/generate_pb.py's two standard instances (183 projects,
7,260 and 61,668 voters; limit 2 s, pabutools skipped: it needs minutes), `--check` compares
every add1 rule with the plain one-by-one loop (slow: a run per increment).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from participation.budgeting.results.pabulib import parse_pb  # noqa: E402
from participation.budgeting.results.rules import RULES, RuleNotApplicable, tally  # noqa: E402
from participation.budgeting.results.rules.equal_shares import add1_one_by_one  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
# ../shared/pabulib next to the checkout (or next to a folder above it, for git worktrees)
DATA = next(
    (p / "shared" / "pabulib" for p in ROOT.parents if (p / "shared" / "pabulib").is_dir()),
    ROOT.parent / "shared" / "pabulib",
)
LIMIT_SECONDS = 1.0
GENERATED_LIMIT_SECONDS = 2.0  # the target for instances up to Warsaw's size
RULE_KEYS = [key for key in RULES if key != "official"] + ["official"]


def pabutools_call(path: str, rule: str) -> dict:
    """Run one rule with pabutools (in the worker process); seconds exclude parsing."""
    from pabutools.election import Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat
    from pabutools.election.pabulib import parse_pabulib
    from pabutools.rules import (
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib(path)
    sats = {"cost": Cost_Sat, "cardinality": Cardinality_Sat, "cardinal": Additive_Cardinal_Sat}

    def greedy(sat, start=None):
        return greedy_utilitarian_welfare(
            instance, profile, sat_class=sats[sat], initial_budget_allocation=start
        )

    def mes(sat, **extra):
        return method_of_equal_shares(instance, profile, sat_class=sats[sat], **extra)

    def then_greedy(sat, **extra):
        return greedy(sat, mes(sat, **extra))

    def over_budget(sat="cost"):
        return exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            {"sat_class": sats[sat]},
            budget_step=profile.num_ballots(),
            exhaustive_stop=False,
        )

    calls = {
        "greedy_cost": lambda: greedy("cost"),
        "greedy_cardinality": lambda: greedy("cardinality"),
        "greedy_cardinal": lambda: greedy("cardinal"),
        "mes_cost": lambda: mes("cost"),
        "mes_cardinality": lambda: mes("cardinality"),
        "mes_cardinal": lambda: mes("cardinal"),
        "mes_cost_greedy": lambda: then_greedy("cost"),
        "mes_cardinal_greedy": lambda: then_greedy("cardinal"),
        "mes_cost_add1": lambda: mes("cost", voter_budget_increment=1),
        "mes_cost_add1_greedy": lambda: then_greedy("cost", voter_budget_increment=1),
        "mes_cardinal_add1": lambda: mes("cardinal", voter_budget_increment=1),
        "mes_cardinal_add1_greedy": lambda: then_greedy("cardinal", voter_budget_increment=1),
        "mes_cost_add1_until_over_budget": over_budget,
        "mes_cost_add1_until_over_budget_greedy": lambda: greedy("cost", over_budget()),
        "mes_cardinal_add1_until_over_budget": lambda: over_budget("cardinal"),
        "mes_cardinal_add1_until_over_budget_greedy": lambda: greedy(
            "cardinal", over_budget("cardinal")
        ),
    }
    if rule not in calls:
        return {"status": "n/a"}
    start = time.perf_counter()
    chosen = calls[rule]()
    seconds = time.perf_counter() - start
    return {"status": "ok", "seconds": seconds, "selected": sorted(p.name for p in chosen)}


def run_pabutools(path: Path, rule: str, cap: float) -> dict:
    command = [sys.executable, __file__, "--pabutools-worker", str(path), rule]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "cut"}
    if done.returncode != 0:
        return {"status": "error", "message": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout)


def time_ours(election, rule: str, repeat: int) -> tuple[float, list[str]]:
    best, selected = float("inf"), []
    for _ in range(repeat):
        election._cache.clear()  # count the per-election setup in every call
        start = time.perf_counter()
        outcome = tally(election, rule)
        best = min(best, time.perf_counter() - start)
        selected = sorted(outcome.selected)
    return best, selected


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop (best of three), printed with the figures: on
    a shared VM they can move by a third from one run to the next."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(3_000_000):
            total += i * i
        best = min(best, time.perf_counter() - start)
    return best


ONE_BY_ONE: dict[tuple, tuple | None] = {}


def one_by_one_agrees(election, rule: str, selected: list[str]) -> str:
    """For an add1 rule: 'yes (loop)' / 'NO (loop)' against the plain one-by-one loop
    (the rule's MES run, before any greedy completion); '-' for other rules."""
    if "add1" not in rule:
        return "-"
    satisfaction = "cardinal" if "cardinal" in rule else "cost"
    outcome = tally(election, rule)
    key = (id(election), satisfaction, "until_over_budget" not in rule)
    if key not in ONE_BY_ONE:  # X and X_greedy share the loop
        ONE_BY_ONE.clear()
        # the election is kept with it, so its id cannot be reused meanwhile
        ONE_BY_ONE[key] = (election, add1_one_by_one(election, satisfaction, key[2]))
    proven = ONE_BY_ONE[key][1]
    order = tuple(election.project_ids[q] for q in proven[1].order) if proven else ()
    same = outcome.selection_order[: len(order)] == order and set(order) <= set(selected)
    if proven is not None:  # the greedy completions keep the MES stage's per-voter budget
        same = same and outcome.per_voter_budget == proven[1].t
    return "yes (loop)" if same else "NO (loop)"


def reference_selection(path: Path, rule: str) -> list[str] | None:
    reference = path.with_name(path.name + ".outcomes.json")
    if not reference.exists():
        return None
    data = json.loads(reference.read_text(encoding="utf-8"))
    if rule == "official":
        return sorted(data["file_selected_project_ids"] or []) or None
    for outcome in data["outcomes"]:
        if outcome["rule"] == rule and outcome["status"] == "ok":
            return sorted(outcome["selected_project_ids"])
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cap", type=float, default=60.0)
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--only", default="", help="only instances whose name contains this")
    parser.add_argument("--rules", default="", help="comma-separated rule keys")
    parser.add_argument("--generated", action="store_true", help="add generated instances")
    parser.add_argument("--check", action="store_true", help="add1 rules vs one-by-one loop")
    parser.add_argument("--no-write", action="store_true", help="do not touch results.json")
    args = parser.parse_args()
    rules = [r for r in args.rules.split(",") if r] or RULE_KEYS
    use_pabutools = not args.no_pabutools
    if use_pabutools:
        try:
            import pabutools  # noqa: F401
        except ImportError:
            print("pabutools is not installed: timing ours only", file=sys.stderr)
            use_pabutools = False
    paths = sorted(p for p in args.data.glob("*.pb") if args.only in p.name)
    generated: set[Path] = set()
    if args.generated:
        from generate_pb import standard

        generated = {p for p in standard() if args.only in p.name}
        paths += sorted(generated)
    if not paths:
        print(f"no .pb files in {args.data}", file=sys.stderr)
        return 2
    print(f"machine: reference loop {machine_speed():.3f} s (0.09-0.25 s on the dev VMs so far)")
    header = f"{'instance':<44} {'rule':<40} {'ours s':>8} {'pabutools s':>12} {'ratio':>8}  agree"
    print(header)
    print("-" * len(header))
    failures = 0
    speedups: list[float] = []  # pabutools / ours where pabutools finished
    slowest_generated = 0.0
    slowest = (0.0, "", "")
    slowest_parse = (0.0, "")
    for path in paths:
        parse_seconds = float("inf")
        for _ in range(args.repeat):  # parsing is timed separately, best of --repeat
            start = time.perf_counter()
            election = parse_pb(path)
            parse_seconds = min(parse_seconds, time.perf_counter() - start)
        slowest_parse = max(slowest_parse, (parse_seconds, path.name))
        print(f"{path.name[:44]:<44} {'(parsing, ours)':<40} {parse_seconds:8.3f}")
        # all of ours first: a pabutools worker killed at the cap must not share the CPU
        # with our timings (its teardown did, slowing the next rule by up to a quarter)
        timed = {}
        for rule in rules:
            try:
                timed[rule] = time_ours(election, rule, args.repeat)
            except RuleNotApplicable:
                continue
        limit = GENERATED_LIMIT_SECONDS if path in generated else LIMIT_SECONDS
        for rule, (ours, selected) in timed.items():
            slowest = max(slowest, (ours, path.name, rule))
            if use_pabutools and path not in generated:
                theirs = run_pabutools(path, rule, args.cap)
            else:
                theirs = {"status": "skip"}
            shown, ratio, agree = "-", "-", "-"
            if theirs["status"] == "ok":
                shown = f"{theirs['seconds']:.3f}"
                ratio = f"{theirs['seconds'] / max(ours, 1e-6):.0f}x"
                speedups.append(theirs["seconds"] / max(ours, 1e-6))
                agree = "yes" if theirs["selected"] == selected else "NO"
            else:
                shown = {"cut": f">{args.cap:g}", "n/a": "n/a", "skip": "-"}.get(
                    theirs["status"], "error"
                )
                if theirs["status"] == "cut":
                    ratio = f">{args.cap / max(ours, 1e-6):.0f}x"
                expected = reference_selection(path, rule)
                if expected is not None:
                    agree = "yes (ref)" if expected == selected else "NO (ref)"
            if args.check and "add1" in rule and agree in ("-", "yes", "yes (ref)"):
                checked = one_by_one_agrees(election, rule, selected)
                agree = checked if agree == "-" else f"{agree}, {checked}"
            too_slow = ours > limit
            if path in generated:
                slowest_generated = max(slowest_generated, ours)
            failures += too_slow or "NO" in agree
            flag = "  SLOW" if too_slow else ""
            name = path.name[:44]
            print(f"{name:<44} {rule:<40} {ours:8.3f} {shown:>12} {ratio:>8}  {agree}{flag}")
            sys.stdout.flush()
    print(f"\nslowest of ours: {slowest[0]:.3f} s ({slowest[2]} on {slowest[1]})")
    print(f"slowest parse: {slowest_parse[0]:.3f} s ({slowest_parse[1]})")
    print(f"machine: reference loop {machine_speed():.3f} s at the end")
    limits = f"{LIMIT_SECONDS:g} s" + (
        f" ({GENERATED_LIMIT_SECONDS:g} s on generated instances)" if generated else ""
    )
    print(f"{failures} problem(s): over {limits} or disagreeing")
    # ru_maxrss (KiB): the peak of this process, i.e. of parsing and tallying the largest
    # instance (pabutools runs in child processes, not counted)
    peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak resident memory of the tallies: {peak_mb} MB (target < 500 MB)")
    if not args.no_write:
        figures = {
            "tally_max_seconds": round(slowest[0], 3),
            "tally_slowest": f"{slowest[2]} on {slowest[1]}",
            "tally_min_speedup_vs_pabutools": round(min(speedups), 2) if speedups else None,
            "tally_peak_mb": peak_mb,
            "tally_load_average": round(os.getloadavg()[0], 2),
            "cores": len(os.sched_getaffinity(0)),
        }
        if generated:
            figures["tally_generated_max_seconds"] = round(slowest_generated, 3)
        write_results(figures)
    return 1 if failures else 0


def write_results(figures: dict) -> None:
    """Merge these keys into bench/results.json (the other benches' keys are kept)."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update(figures)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"wrote {', '.join(figures)} to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--pabutools-worker":
        print(json.dumps(pabutools_call(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    sys.exit(main())
