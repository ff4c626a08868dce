import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | str
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


@dataclass
class ImportReport:
    """Everything an import found: problems (all of them), notes and counts per outcome."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def problem(self, line: int | str, column: str, reason: str) -> None:
        self.problems.append(Problem(self.file, line, column, reason))

    def require_columns(self, present: list[str], required: tuple[str, ...]) -> bool:
        """Reports each missing column on line 1; True when all are there."""
        missing = [column for column in required if column not in present]
        for column in missing:
            self.problem(1, column, "colonne manquante.")
        return not missing

    def count(self, outcome: str, number: int = 1) -> None:
        self.counts[outcome] += number

    def summary(self, *, dry_run: bool = False) -> str:
        prefix = "Simulation, rien n'a été écrit – " if dry_run else ""
        return (
            f"{prefix}{self.file} : {self.counts['created']} créé(s), "
            f"{self.counts['updated']} mis à jour, {self.counts['unchanged']} inchangé(s), "
            f"{self.counts['rejected']} rejeté(s)."
        )


class Progress:
    """Writes a line every ``every`` rows on long files, so that a person sees it move."""

    def __init__(self, label: str, every: int = 10_000, stream: TextIO | None = None):
        self.label = label
        self.every = every
        self.stream = stream or sys.stderr
        self.seen = 0

    def step(self) -> None:
        self.seen += 1
        if self.seen % self.every == 0:
            self.stream.write(f"{self.label} : {self.seen} lignes lues…\n")
            self.stream.flush()
