"""Write seeded, real-shaped Pabulib approval instances for the tally benchmark.

    python bench/generate_pb.py [--out DIR] [--seed N] [--voters N] [--projects N]
                                [--budget N] [--name NAME]
    python bench/generate_pb.py --standard [--out DIR]

The shape follows a large city-wide PB vote: project costs skewed like real ones (many small
projects, a long tail of expensive ones: log-normal, rounded to hundreds, 5,000 to 2,000,000),
popularity skewed too (Zipf-like weights over a random order, lightly tilted towards cheap
projects), and each voter approving 1 to 3 projects drawn without replacement by popularity.
With 183 projects, a budget of 8,000,000 and 7,260 voters the per-voter budget is about 1,100,
far below most projects' cost per supporter, so the add1 outcome changes at almost every
increment and no skipping can help: the loop has to run MES hundreds of times.

`--standard` writes the two instances `bench/tally.py --generated` times (into --out,
default a `generated` folder next to this script; git-ignored):

- `generated_city_7260.pb`: 183 projects, 7,260 voters, budget 8,000,000 (seed 15);
- `generated_warsaw_61668.pb`: the same projects' shape with Warsaw's 61,668 voters (seed 61).

The files are deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "generated"
MEDIAN_COST = 120_000

# (name, seed, voters, projects, budget)
STANDARD = (
    ("generated_city_7260", 15, 7260, 183, 8_000_000),
    ("generated_warsaw_61668", 61, 61668, 183, 8_000_000),
)


def project_costs(rng: random.Random, projects: int, median: int = MEDIAN_COST) -> list[int]:
    """Log-normal costs around `median`, from median / 24 to median * 50 / 3 (5,000 to
    2,000,000 for the default 120,000), rounded to hundreds when the median is 10,000+."""
    costs = []
    for _ in range(projects):
        cost = math.exp(rng.gauss(math.log(median), 1.1))
        cost = min(median * 50 / 3, max(median / 24, cost))
        costs.append(max(1, int(round(cost, -2) if median >= 10_000 else round(cost))))
    return costs


def popularity(rng: random.Random, costs: list[int], median: int = MEDIAN_COST) -> list[float]:
    """Zipf-like weights (1 / rank^1.1 over a shuffled order), tilted towards cheap projects."""
    order = list(range(len(costs)))
    rng.shuffle(order)
    weights = [0.0] * len(costs)
    for rank, q in enumerate(order, start=1):
        tilt = (median / costs[q]) ** 0.25
        weights[q] = tilt / rank**1.1
    return weights


def ballots(rng: random.Random, voters: int, weights: list[float]) -> list[list[int]]:
    """Each voter approves 1-3 distinct projects (30/30/40 %), drawn by popularity."""
    projects = list(range(len(weights)))
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    out = []
    for _ in range(voters):
        size = rng.choices((1, 2, 3), weights=(30, 30, 40))[0]
        chosen: list[int] = []
        while len(chosen) < size:
            q = rng.choices(projects, cum_weights=cumulative)[0]
            if q not in chosen:
                chosen.append(q)
        out.append(chosen)
    return out


def instance_text(
    seed: int,
    voters: int,
    projects: int,
    budget: int,
    name: str = "generated",
    median_cost: int = MEDIAN_COST,
) -> str:
    """The .pb text of one instance (deterministic in its arguments)."""
    rng = random.Random(seed)
    costs = project_costs(rng, projects, median_cost)
    weights = popularity(rng, costs, median_cost)
    votes = ballots(rng, voters, weights)
    ids = [str(100 + q) for q in range(projects)]
    counts = [0] * projects
    for chosen in votes:
        for q in chosen:
            counts[q] += 1
    lines = [
        "META",
        "key;value",
        f"description;Generated approval instance {name} (bench/generate_pb.py, seed {seed})",
        "country;Generated",
        f"unit;{name}",
        f"instance;seed {seed}",
        f"num_projects;{projects}",
        f"num_votes;{voters}",
        f"budget;{budget}",
        "vote_type;approval",
        "rule;equalshares/add1",
        "min_length;1",
        "max_length;3",
        "PROJECTS",
        "project_id;cost;votes;name",
    ]
    for q in range(projects):
        lines.append(f"{ids[q]};{costs[q]};{counts[q]};Project {ids[q]}")
    lines += ["VOTES", "voter_id;vote"]
    for v, chosen in enumerate(votes, start=1):
        lines.append(f"{v};{','.join(ids[q] for q in chosen)}")
    return "\n".join(lines) + "\n"


def write(
    out: Path,
    name: str,
    seed: int,
    voters: int,
    projects: int,
    budget: int,
    median_cost: int = MEDIAN_COST,
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.pb"
    text = instance_text(seed, voters, projects, budget, name, median_cost)
    path.write_text(text, encoding="utf-8")
    return path


def standard(out: Path = DEFAULT_OUT) -> list[Path]:
    """The benchmark's instances, written only when missing (they are deterministic)."""
    paths = []
    for name, seed, voters, projects, budget in STANDARD:
        path = out / f"{name}.pb"
        if not path.exists():
            write(out, name, seed, voters, projects, budget)
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--standard", action="store_true", help="write the benchmark's files")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--voters", type=int, default=7260)
    parser.add_argument("--projects", type=int, default=183)
    parser.add_argument("--budget", type=int, default=8_000_000)
    parser.add_argument("--median-cost", type=int, default=MEDIAN_COST)
    parser.add_argument("--name", default="")
    args = parser.parse_args()
    if args.standard:
        for path in standard(args.out):
            print(path)
        return 0
    name = args.name or f"generated_{args.projects}p_{args.voters}v_seed{args.seed}"
    print(
        write(args.out, name, args.seed, args.voters, args.projects, args.budget, args.median_cost)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
