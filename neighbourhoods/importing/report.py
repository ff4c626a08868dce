"""What an import found: every problem as ``FILE:LINE: column: reason``, counts, progress."""

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from neighbourhoods.importing.readers import Table


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
    # Where progress lines go: the command's stderr, so that call_command(stderr=…) catches it.
    stream: TextIO | None = None

    def problem(self, line: int | str, column: str, reason: str) -> None:
        self.problems.append(Problem(self.file, line, column, reason))

    def require_columns(self, present: list[str], required: tuple[str, ...]) -> bool:
        """Reports each missing column on line 1; True when all are there."""
        missing = [column for column in required if column not in present]
        for column in missing:
            self.problem(1, column, "colonne manquante.")
        return not missing

    def check_table(self, table: "Table", required: tuple[str, ...]) -> bool:
        """Reports what is wrong with a table as a whole; True when its rows can be mapped.

        Missing and repeated columns stop the import before its rows are read; rows with too
        many or too few fields and a table without rows are problems too, but the rows are still
        mapped so that all their problems come out in one run.
        """
        complete = self.require_columns(table.columns, required)
        seen: set[str] = set()
        for column in table.columns:
            if column in seen:
                self.problem(1, column, "colonne en double.")
                complete = False
            seen.add(column)
        for line, count in table.ragged:
            self.problem(line, "-", f"{count} champ(s) au lieu de {len(table.columns)} (en-tête).")
        if not table.rows:
            self.problem(2, "-", "aucune ligne de données après l'en-tête.")
        return complete

    def progress(self, every: int = 10_000) -> "Progress":
        return Progress(self.file, every=every, stream=self.stream)

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
