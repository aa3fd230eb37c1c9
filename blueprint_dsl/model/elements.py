"""The elements of a blueprint: lanes, phases, steps, evidence, actions, flows, the header
and parallel groups (re-exported by `model/blueprint.py`).

Plain slotted classes that behave as the dataclasses they were (core/records.py):
positional or keyword arguments in field order, fresh lists and dicts for the defaults,
equality by every field (unhashable, as they change, but for the frozen `ParallelGroup`).
"""

from __future__ import annotations

from ..core.records import Frozen, Record
from ..core.spans import Span
from .kinds import Duration, FailPoint, FlowKind, Line, Metric, Zone


class ParallelGroup(Frozen):  # not a NamedTuple: its `index` would hide tuple.index
    """`parallel { … }`: actions of one step that happen at the same time (0.2)."""

    __slots__ = ("index", "keys", "span", "step_index")
    __match_args__ = ("index", "step_index", "keys", "span")

    index: int  # 1-based, in file order
    step_index: int
    keys: tuple[str, ...]
    span: Span

    def __init__(self, index: int, step_index: int, keys: tuple[str, ...], span: Span) -> None:
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "step_index", step_index)
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "span", span)


class Lane(Record):
    """A lane of one zone, declared with `lane` or the zone's own."""

    __slots__ = ("declared", "id", "label", "span", "zone")
    __match_args__ = ("id", "label", "zone", "declared", "span")

    def __init__(
        self, id: str, label: str, zone: Zone, declared: bool, span: Span | None = None
    ) -> None:
        self.id = id
        self.label = label
        self.zone = zone
        self.declared = declared  # False for the zone's own lane (customer, onstage, ...)
        self.span = span


class Phase(Record):
    """A `phase`: a label over a run of consecutive steps."""

    __slots__ = ("first_step", "label", "last_step", "span")
    __match_args__ = ("label", "span", "first_step", "last_step")

    def __init__(self, label: str, span: Span, first_step: int, last_step: int) -> None:
        self.label = label
        self.span = span
        self.first_step = first_step  # 1-based step indexes, inclusive
        self.last_step = last_step


class Step(Record):
    """A `step`: one column of the blueprint."""

    __slots__ = ("id", "index", "label", "phase", "span")
    __match_args__ = ("index", "id", "label", "phase", "span")

    def __init__(
        self, index: int, id: str | None, label: str, phase: str | None, span: Span
    ) -> None:
        self.index = index  # 1-based, in written order
        self.id = id
        self.label = label
        self.phase = phase
        self.span = span


class Evidence(Record):
    """A piece of physical evidence, in the step it is shown in."""

    __slots__ = ("id", "label", "span", "step_index")
    __match_args__ = ("id", "label", "step_index", "span")

    def __init__(self, id: str | None, label: str, step_index: int, span: Span) -> None:
        self.id = id
        self.label = label
        self.step_index = step_index
        self.span = span


class Action(Record):
    """An action in one lane of one step, with its attributes resolved."""

    __slots__ = (
        "attribute_spans", "cost", "decision", "detail", "duration", "emotion", "fails",
        "id", "key", "label", "lane", "metrics", "moment", "moment_note", "notes",
        "parallel_group", "role", "span", "standard", "step_index", "trigger", "wait", "zone",
    )  # fmt: skip
    __match_args__ = (
        "key", "id", "label", "zone", "lane", "step_index", "span", "role", "duration",
        "standard", "wait", "fails", "decision", "moment", "moment_note", "emotion", "cost",
        "metrics", "notes", "detail", "trigger", "parallel_group", "attribute_spans",
    )  # fmt: skip

    def __init__(
        self,
        key: str,
        id: str | None,
        label: str,
        zone: Zone,
        lane: str,
        step_index: int,
        span: Span,
        role: str | None = None,
        duration: Duration | None = None,
        standard: Duration | None = None,
        wait: Duration | None = None,
        fails: list[FailPoint] | None = None,  # None: a new empty list
        decision: bool = False,
        moment: bool = False,
        moment_note: str | None = None,
        emotion: int | None = None,
        cost: float | None = None,
        metrics: list[Metric] | None = None,
        notes: list[str] | None = None,
        detail: str | None = None,
        trigger: str | None = None,
        parallel_group: int | None = None,
        attribute_spans: dict[str, Span] | None = None,
    ) -> None:
        self.key = key  # the id, or a generated "#<n>" for actions without one
        self.id = id
        self.label = label
        self.zone = zone
        self.lane = lane
        self.step_index = step_index
        self.span = span
        self.role = role
        self.duration = duration
        self.standard = standard
        self.wait = wait
        self.fails: list[FailPoint] = [] if fails is None else fails
        self.decision = decision
        self.moment = moment
        self.moment_note = moment_note
        self.emotion = emotion
        self.cost = cost
        self.metrics: list[Metric] = [] if metrics is None else metrics
        self.notes: list[str] = [] if notes is None else notes
        self.detail = detail
        self.trigger = trigger  # 0.2: starts by itself ("" when no reason is written)
        self.parallel_group = parallel_group  # 0.2: the `parallel` group it belongs to
        self.attribute_spans: dict[str, Span] = {} if attribute_spans is None else attribute_spans


class Flow(Record):
    """A flow between two actions, by key; `crosses` lists the lines it passes."""

    __slots__ = ("crosses", "implicit", "kind", "label", "share", "source", "span", "target")
    __match_args__ = ("source", "target", "kind", "label", "implicit", "crosses", "span", "share")

    def __init__(
        self,
        source: str,
        target: str,
        kind: FlowKind,
        label: str | None,
        implicit: bool,
        crosses: tuple[Line, ...],
        span: Span,
        share: float | None = None,
    ) -> None:
        self.source = source  # action keys
        self.target = target
        self.kind = kind
        self.label = label
        self.implicit = implicit  # the generated customer journey
        self.crosses = crosses
        self.span = span
        self.share = share  # 0.2: a decision branch's share of cases, 0…1


class Header(Record):
    """The `blueprint` block: title and header fields."""

    __slots__ = (
        "currency", "description", "id", "locale", "owner", "persona", "scope", "span",
        "target", "title", "version",
    )  # fmt: skip
    __match_args__ = (
        "title", "id", "version", "owner", "persona", "description", "locale", "target",
        "currency", "span", "scope",
    )  # fmt: skip

    def __init__(
        self,
        title: str,
        id: str | None = None,
        version: str | None = None,
        owner: str | None = None,
        persona: str | None = None,
        description: str | None = None,
        locale: str = "en",
        target: Duration | None = None,
        currency: str | None = None,
        span: Span | None = None,
        scope: str = "customer",
    ) -> None:
        self.title = title
        self.id = id
        self.version = version
        self.owner = owner
        self.persona = persona
        self.description = description
        self.locale = locale
        self.target = target
        self.currency = currency
        self.span = span
        self.scope = scope  # 0.2: "internal" for a blueprint with no customer in it
