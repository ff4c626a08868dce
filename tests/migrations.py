"""Data-migration tests on a merged migration graph: go back to just before one migration, then
forward again.

Going back unapplies the migration, what depends on it and every later migration of its app in
the linear order Django applies them in: SQLite rebuilds a table from the state before the
migration in that order, so a column a parallel branch added later would be lost otherwise."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class MigrationStepper:
    @property
    def executor(self) -> MigrationExecutor:
        # A new one each time: an executor remembers which migrations were applied.
        return MigrationExecutor(connection)

    def before(self, node: tuple[str, str]):
        """Unapplies ``node`` and its descendants; the apps as the database now stands."""
        executor = self.executor
        graph = executor.loader.graph
        order = [
            (m.app_label, m.name)
            for m, _ in executor.migration_plan(graph.leaf_nodes(), clean_start=True)
        ]
        descendants = set(graph.backwards_plan(node))
        applied = executor.loader.applied_migrations
        undo = [
            n
            for n in order[order.index(node) :]
            if n in applied and (n[0] == node[0] or n in descendants)
        ]
        executor.migrate([], plan=[(graph.nodes[n], True) for n in reversed(undo)])
        self._applied = [n for n in order if n in applied and n not in undo]
        return self._state()

    def after(self, node: tuple[str, str]):
        """Applies ``node`` (and what it needs); the apps as the database now stands."""
        executor = self.executor
        graph = executor.loader.graph
        todo = [n for n in graph.forwards_plan(node) if n not in self._applied]
        executor.migrate([], plan=[(graph.nodes[n], False) for n in todo])
        self._applied += todo
        return self._state()

    def latest(self) -> None:
        executor = self.executor
        executor.migrate(executor.loader.graph.leaf_nodes())

    def _state(self):
        return self.executor.loader.project_state(self._applied, at_end=True).apps
