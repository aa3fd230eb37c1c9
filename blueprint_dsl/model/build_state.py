"""What the model pass keeps while it builds one blueprint (`builder._Builder` reads the
tree into it): the diagnostics so far, the ids claimed, the elements read."""

from __future__ import annotations

from ..core.diagnostics import Diagnostic
from ..core.records import Record
from ..core.spans import Span
from .blueprint import Action, Evidence, Header, Lane, ParallelGroup, Phase, Step
from .flows import PendingFlow


class BuildState(Record):
    """The state of building one blueprint from its syntax tree (a record, as the
    dataclass it was: each list or dict not given is a new empty one)."""

    __slots__ = (
        "actions", "declared", "default_locale", "diagnostics", "evidence", "groups", "header",
        "ids", "library", "path", "pending", "phases", "shared", "steps",
    )  # fmt: skip
    __match_args__ = (
        "path", "default_locale", "diagnostics", "header", "declared", "ids", "steps",
        "phases", "actions", "evidence", "pending", "shared", "groups", "library",
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        default_locale: str = "en",
        diagnostics: list[Diagnostic] | None = None,
        header: Header | None = None,
        declared: dict[str, Lane] | None = None,
        ids: dict[str, tuple[str, Span]] | None = None,
        steps: list[Step] | None = None,
        phases: list[Phase] | None = None,
        actions: list[Action] | None = None,
        evidence: list[Evidence] | None = None,
        pending: list[PendingFlow] | None = None,
        shared: list[Action] | None = None,
        groups: list[ParallelGroup] | None = None,
        library: bool = False,
    ) -> None:
        self.path = path
        self.default_locale = default_locale
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.header = header
        self.declared: dict[str, Lane] = {} if declared is None else declared
        self.ids: dict[str, tuple[str, Span]] = {} if ids is None else ids
        self.steps: list[Step] = [] if steps is None else steps
        self.phases: list[Phase] = [] if phases is None else phases
        self.actions: list[Action] = [] if actions is None else actions
        self.evidence: list[Evidence] = [] if evidence is None else evidence
        self.pending: list[PendingFlow] = [] if pending is None else pending
        self.shared: list[Action] = [] if shared is None else shared  # support outside steps
        self.groups: list[ParallelGroup] = [] if groups is None else groups
        self.library = library
