"""Benchmark the tally rules on the shared Pabulib instances, against pabutools 1.2.3.

    python bench/tally.py [--data DIR] [--repeat N] [--cap SECONDS] [--no-pabutools]
                          [--only TEXT] [--rules a,b,c]

For each instance: our parse_pb seconds (best of N), then for each rule: our best-of-N
seconds (parsing excluded, per-election caches cleared before every call), pabutools'
seconds in a subprocess capped at --cap (">cap" when cut), the ratio, and whether the
winners agree (with pabutools, or with the reference outcomes file when pabutools was cut
or skipped). Exits 1 if any of ours takes over 1 s or
disagrees.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from participation.budgeting.results.pabulib import parse_pb  # noqa: E402
from participation.budgeting.results.rules import RULES, RuleNotApplicable, tally  # noqa: E402

LIMIT_SECONDS = 1.0
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
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "pabulib")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cap", type=float, default=60.0)
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--only", default="", help="only instances whose name contains this")
    parser.add_argument("--rules", default="", help="comma-separated rule keys")
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
    if not paths:
        print(f"no .pb files in {args.data}", file=sys.stderr)
        return 2
    print(f"machine: reference loop {machine_speed():.3f} s (0.09-0.25 s on the dev VMs so far)")
    header = f"{'instance':<44} {'rule':<40} {'ours s':>8} {'pabutools s':>12} {'ratio':>8}  agree"
    print(header)
    print("-" * len(header))
    failures = 0
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
        for rule, (ours, selected) in timed.items():
            slowest = max(slowest, (ours, path.name, rule))
            theirs = run_pabutools(path, rule, args.cap) if use_pabutools else {"status": "skip"}
            shown, ratio, agree = "-", "-", "-"
            if theirs["status"] == "ok":
                shown = f"{theirs['seconds']:.3f}"
                ratio = f"{theirs['seconds'] / max(ours, 1e-6):.0f}x"
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
            too_slow = ours > LIMIT_SECONDS
            failures += too_slow or agree.startswith("NO")
            flag = "  SLOW" if too_slow else ""
            name = path.name[:44]
            print(f"{name:<44} {rule:<40} {ours:8.3f} {shown:>12} {ratio:>8}  {agree}{flag}")
            sys.stdout.flush()
    print(f"\nslowest of ours: {slowest[0]:.3f} s ({slowest[2]} on {slowest[1]})")
    print(f"slowest parse: {slowest_parse[0]:.3f} s ({slowest_parse[1]})")
    print(f"machine: reference loop {machine_speed():.3f} s at the end")
    print(f"{failures} problem(s): over {LIMIT_SECONDS:g} s or disagreeing")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--pabutools-worker":
        print(json.dumps(pabutools_call(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    sys.exit(main())
