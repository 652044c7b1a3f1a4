"""Which option combinations the matrix tier tries: a pairwise covering set plus a
fixed-seed random sample, over every choice and bool option of the table and
representative values for the int, text and list ones."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

from rustdock.wizard.options import OPTIONS
from rustdock.wizard.project import Project

Combo = dict[str, str]

#: Representative values (as `--set` spells them) for options without a value list.
#: Each is chosen to reach a different branch of the render: a distroless uid and
#: another, no port / a port / a privileged one / TCP and UDP, arguments with a space, env and files.
REPRESENTATIVE: Mapping[str, tuple[str, ...]] = {
    "rust_version": ("1.95", "1.88.0"),
    "uid": ("10001", "65532", "1000"),
    "health_args": ("--health", "health --quick"),
    "health_path": ("/health", "/api/v1/ready?deep=1"),
    "ports": ("8080", "", "80", "8080,9000,9001/udp"),
    "args": ("", "--listen 0.0.0.0:8080 --log-level info"),
    "env": ("", "RUST_LOG=info,APP_GREETING=hello world"),
    "registry_name": ("private", "my-corp"),
    # none, a data folder, the working directory itself (the binary moves out), and a
    # nested plus an absolute one
    "writable": ("", "data", ".", "var/cache,/srv/state"),
}


def domains(project: Project) -> dict[str, tuple[str, ...]]:
    """Every option's values to combine, as `--set` strings, in table order."""
    result: dict[str, tuple[str, ...]] = {}
    for opt in OPTIONS:
        if opt.kind == "choice":
            result[opt.key] = tuple(v.value for v in opt.allowed(project))
        elif opt.kind == "bool":
            result[opt.key] = ("true", "false")
        elif opt.key == "features":
            # None, or one of the project's own (the matrix fixtures have none: a name of
            # ours would be an unknown-feature error, which the rules tests cover).
            result[opt.key] = ("", *(v.value for v in opt.allowed(project)[:1]))
        elif opt.key == "extra_files":
            # None, or what the project reads at run time; when its code reads nothing,
            # a folder it has anyway (single-crate's static/), shipped by the user's choice.
            shipped = project.runtime_dirs or project.extra_dirs[:1]
            result[opt.key] = ("", ",".join(shipped)) if shipped else ("",)
        elif opt.key in REPRESENTATIVE:
            result[opt.key] = REPRESENTATIVE[opt.key]
        else:
            raise KeyError(f"the matrix has no representative values for option {opt.key!r}")
    return result


def _pairs_of(row: Sequence[int]) -> set[tuple[int, int, int, int]]:
    return {(i, row[i], j, row[j]) for i, j in itertools.combinations(range(len(row)), 2)}


def all_pairs(domain: Mapping[str, Sequence[str]], seed: int = 0) -> list[Combo]:
    """A greedy covering set: every value of every option meets every value of every
    other option in at least one combination."""
    keys = list(domain)
    sizes = [len(domain[k]) for k in keys]
    uncovered = {
        (i, a, j, b)
        for i, j in itertools.combinations(range(len(keys)), 2)
        for a in range(sizes[i])
        for b in range(sizes[j])
    }
    rng = random.Random(seed)
    rows: list[list[int]] = []
    while uncovered:
        # Start from one uncovered pair, then give each other option the value that
        # covers most new pairs with what is fixed so far (ties broken at random).
        i, a, j, b = min(uncovered)
        row = [-1] * len(keys)
        row[i], row[j] = a, b
        order = [k for k in range(len(keys)) if k not in (i, j)]
        rng.shuffle(order)
        for k in order:
            best, best_gain = 0, -1
            for value in rng.sample(range(sizes[k]), sizes[k]):
                gain = sum(
                    ((min(k, m), value if k < m else row[m], max(k, m), row[m] if k < m else value) in uncovered)
                    for m in range(len(keys))
                    if row[m] >= 0
                )
                if gain > best_gain:
                    best, best_gain = value, gain
            row[k] = best
        uncovered -= _pairs_of(row)
        rows.append(row)
    return [{keys[k]: domain[keys[k]][v] for k, v in enumerate(row)} for row in rows]


def random_sample(domain: Mapping[str, Sequence[str]], count: int, seed: int) -> list[Combo]:
    rng = random.Random(seed)
    return [{key: rng.choice(list(values)) for key, values in domain.items()} for _ in range(count)]


def combinations(project: Project, *, sample: int, seed: int) -> list[Combo]:
    """The pairwise set, then the random sample, without repeats."""
    domain = domains(project)
    seen: set[tuple[tuple[str, str], ...]] = set()
    result = []
    for combo in all_pairs(domain, seed) + random_sample(domain, sample, seed):
        key = tuple(sorted(combo.items()))
        if key not in seen:
            seen.add(key)
            result.append(combo)
    return result


def as_sets(combo: Mapping[str, str]) -> list[str]:
    """The combination as `--set KEY=VALUE` arguments."""
    args = []
    for key, value in combo.items():
        args += ["--set", f"{key}={value}"]
    return args


def covered_pairs(combos: Sequence[Mapping[str, str]]) -> set[tuple[str, str, str, str]]:
    pairs = set()
    for combo in combos:
        items = list(combo.items())
        for (k1, v1), (k2, v2) in itertools.combinations(items, 2):
            pairs.add((k1, v1, k2, v2))
    return pairs
