"""hypothesis-jsonschema 0.23.1 (schemathesis 3.39's generator) drives hypothesis' private
``many`` helper with ``more()``, which the pinned hypothesis 6.170 replaced by a context manager
and an iterator: every object with optional properties (query strings, JSON bodies) then fails
with « 'many' object has no attribute 'more' ». This gives that one caller a ``many`` with the
old interface, built on the new one; hypothesis itself keeps its own."""

import types

from hypothesis.internal.conjecture import utils as conjecture_utils
from hypothesis_jsonschema import _from_schema


class LegacyMany(conjecture_utils.many):
    def __init__(self, data, min_size, max_size, average_size, **kwargs):
        # No spans: the old interface has no place to close them (draws are still recorded).
        super().__init__(data, min_size, max_size, average_size, observe=False, **kwargs)
        self._depth = data.depth

    def more(self) -> bool:
        """The old ``many.more()``: one recorded continue-or-stop draw per element."""
        if self.min_size == self.max_size:
            should_continue = self.count < self.min_size
        else:
            forced = None
            if self.force_stop:
                forced = False
            elif self.count < self.min_size:
                forced = True
            elif self.count >= self.max_size:
                forced = False
            should_continue = self.data.draw_boolean(self.p_continue, forced=forced)
        if should_continue:
            self.count += 1
            self._in_element = True
            self._rejected = False
        return should_continue


def install() -> None:
    if hasattr(conjecture_utils.many, "more"):
        return  # a hypothesis that still has it
    module = types.ModuleType("conjecture_utils_compat")
    module.__dict__.update(conjecture_utils.__dict__)
    module.many = LegacyMany
    _from_schema.cu = module
