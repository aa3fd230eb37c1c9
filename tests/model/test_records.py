"""The check path's record classes are written by hand (core/records.py), not dataclasses:
each still behaves as the dataclass it was. Each is compared with a dataclass made here
from the same fields: the same signature, repr, equality, hash and `__match_args__`."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import weakref
from ast import literal_eval
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from blueprint_dsl.checks.config import Config
from blueprint_dsl.checks.rules import all_rules
from blueprint_dsl.checks.rules.base import Context, cleandoc
from blueprint_dsl.checks.validate import Ignores
from blueprint_dsl.compiler import CompileResult, compile_text
from blueprint_dsl.core.diagnostics import Diagnostic, Severity, Wording
from blueprint_dsl.core.messages import Message, msg
from blueprint_dsl.core.spans import Span
from blueprint_dsl.language import ast
from blueprint_dsl.language.includes import IncludeReader
from blueprint_dsl.model.blueprint import (
    Action,
    Blueprint,
    Duration,
    Evidence,
    FailPoint,
    Flow,
    FlowKind,
    Header,
    Lane,
    Line,
    Metric,
    ParallelGroup,
    Phase,
    Quantity,
    Step,
    Zone,
)
from blueprint_dsl.model.build_state import BuildState
from blueprint_dsl.model.builder import _Builder
from blueprint_dsl.model.flows import PendingFlow

S1, S2 = Span("a.bp", 1, 1, 1, 5), Span("b.bp", 2, 3, 4, 5)
D1 = Duration(60, 120, "1m..2m")
WORDS = Wording(msg("ignore.unused", code="BP301"), msg("ignore.unused.help"), ())
DIAGNOSTIC = Diagnostic("BP106", Severity.WARNING, "m", S1, "h", (("n", S2),), WORDS)
HEADER_ARGS = ("T", "id", "1", "o", "p", "d", "zh", D1, "EUR", S1, "internal")
HEADER_A = Header(*HEADER_ARGS)
LANE_A = Lane("desk", "Desk", Zone.ONSTAGE, True, S1)
PHASE_A = Phase("P", S1, 1, 2)
STEP_A = Step(1, "s", "S", "P", S1)
EVIDENCE_A = Evidence("e", "E", 1, S1)
ACTION_ARGS = (
    "a", "a", "A", Zone.CUSTOMER, "customer", 1, S1, "role", D1, D1, D1,
    [FailPoint("w", "r", S1)], True, True, "why", 2, 1.5,
    [Metric("m", Quantity("percent", 62.0, "62%"), None, S1)], ["note"], "x.bp", "", 1,
    {"role": S1},
)  # fmt: skip
ACTION_B_ARGS = (
    "#2", None, "B", Zone.SUPPORT, "support", 2, S2, None, None, None, None, [],
    False, False, None, None, None, [], [], None, None, None, {},
)  # fmt: skip
ACTION_A = Action(*ACTION_ARGS)
FLOW_ARGS = ("a", "b", FlowKind.FLOW, "l", False, (Line.INTERACTION,), S1, 0.5)
FLOW_A = Flow(*FLOW_ARGS)
GROUP_ARGS = (1, 1, ("a",), S1)
GROUP_A = ParallelGroup(*GROUP_ARGS)
BLUEPRINT_ARGS = (
    "a.bp", HEADER_A, [LANE_A], [PHASE_A], [STEP_A], [ACTION_A], [EVIDENCE_A], [FLOW_A], [GROUP_A]
)  # fmt: skip
BLUEPRINT_B_ARGS = ("b.bp", Header("U"), [], [], [], [], [], [], [])
BLUEPRINT_A, BLUEPRINT_B = Blueprint(*BLUEPRINT_ARGS), Blueprint(*BLUEPRINT_B_ARGS)
NAME_A, NAME_B = ast.Name("a", S1), ast.Name("b", S2)
PENDING_ARGS = (NAME_A, NAME_B, FlowKind.FLOW, "l", S1, 0.5)
PENDING_A = PendingFlow(*PENDING_ARGS)
BUILDER_ARGS = (
    "a.bp", "zh", [DIAGNOSTIC], HEADER_A, {"desk": LANE_A}, {"a": ("action", S1)},
    [STEP_A], [PHASE_A], [ACTION_A], [EVIDENCE_A], [PENDING_A], [ACTION_A], [GROUP_A], True,
)  # fmt: skip


def load_a(path: Path) -> tuple[ast.Document | None, list[Diagnostic]]:
    return None, []


def load_b(path: Path) -> tuple[ast.Document | None, list[Diagnostic]]:
    return None, [DIAGNOSTIC]


class Case:
    """A record class, the fields of the dataclass it was (name, or name=default; a
    default `[]`, `{}` or `set()` stands for a new one each time), and two sets of
    arguments that differ in every field."""

    def __init__(
        self,
        cls: type,
        frozen: bool,
        fields: str,
        a: tuple[Any, ...],
        b: tuple[Any, ...],
        hidden: str = "",  # fields with compare=False and repr=False
    ) -> None:
        self.cls, self.frozen, self.a, self.b = cls, frozen, a, b
        self.names: list[str] = []
        self.defaults: dict[str, str] = {}
        for item in fields.split():
            name, _, default = item.partition("=")
            self.names.append(name)
            if default:
                self.defaults[name] = default
        self.hidden = set(hidden.split())

    def reference(self) -> type:
        """The dataclass this class was."""
        specs: list[tuple[str, type, Any]] = []
        for name in self.names:
            default = self.defaults.get(name)
            shown = name not in self.hidden
            if default is None:
                specs.append((name, object, dataclasses.field(compare=shown, repr=shown)))
            elif default in ("[]", "{}", "set()"):
                factory = {"[]": list, "{}": dict, "set()": set}[default]
                specs.append((name, object, dataclasses.field(default_factory=factory)))
            else:
                value = literal_eval(default)  # None, 'en', (), False
                field = dataclasses.field(default=value, compare=shown, repr=shown)
                specs.append((name, object, field))
        return dataclasses.make_dataclass(self.cls.__qualname__, specs, frozen=self.frozen)

    def __repr__(self) -> str:
        return self.cls.__qualname__


CASES = [
    Case(Message, True, "id args=()", ("a.id", (("x", 1),)), ("b.id", ())),
    Case(
        Diagnostic,
        True,
        "code severity message span help=None notes=() source=None",
        ("BP100", Severity.ERROR, "m", S1, "h", (("n", S1),), WORDS),
        ("BP200", Severity.WARNING, "n", S2, None, (), None),
        hidden="source",
    ),
    Case(ParallelGroup, True, "index step_index keys span", GROUP_ARGS, (2, 3, ("b",), S2)),
    Case(
        Lane,
        False,
        "id label zone declared span=None",
        ("a", "A", Zone.CUSTOMER, True, S1),
        ("b", "B", Zone.SUPPORT, False, None),
    ),
    Case(Phase, False, "label span first_step last_step", ("P", S1, 1, 2), ("Q", S2, 3, 4)),
    Case(
        Step, False, "index id label phase span", (1, "s", "S", "P", S1), (2, None, "T", None, S2)
    ),
    Case(Evidence, False, "id label step_index span", ("e", "E", 1, S1), (None, "F", 2, S2)),
    Case(
        Action,
        False,
        "key id label zone lane step_index span role=None duration=None standard=None"
        " wait=None fails=[] decision=False moment=False moment_note=None emotion=None"
        " cost=None metrics=[] notes=[] detail=None trigger=None parallel_group=None"
        " attribute_spans={}",
        ACTION_ARGS,
        ACTION_B_ARGS,
    ),
    Case(
        Flow,
        False,
        "source target kind label implicit crosses span share=None",
        FLOW_ARGS,
        ("b", "a", FlowKind.INFO, None, True, (), S2, None),
    ),
    Case(
        Header,
        False,
        "title id=None version=None owner=None persona=None description=None locale='en'"
        " target=None currency=None span=None scope='customer'",
        HEADER_ARGS,
        ("U", None, None, None, None, None, "en", None, None, None, "customer"),
    ),
    Case(
        Blueprint,
        False,
        "path header lanes phases steps actions evidence flows parallel_groups=[]",
        BLUEPRINT_ARGS,
        BLUEPRINT_B_ARGS,
    ),
    Case(
        Config,
        True,
        "severities={} locale='en' theme='default' output=None source=None exclude=None"
        " extend_exclude=()",
        ({"BP301": None}, "zh", "print", "out", Path("p.toml"), ("a",), ("b",)),
        ({}, "en", "default", None, None, None, ()),
    ),
    Case(
        CompileResult,
        False,
        "path source blueprint diagnostics=[] locale='en' document=None",
        ("a.bp", "text", BLUEPRINT_A, [DIAGNOSTIC], "zh", ast.Document("a.bp")),
        ("b.bp", "", None, [], "en", None),
    ),
    Case(Context, False, "blueprint", (BLUEPRINT_A,), (BLUEPRINT_B,)),
    Case(
        Ignores,
        False,
        "path by_line={} used=set()",
        ("a.bp", {1: {"BP301": S1}}, {(1, "BP301")}),
        ("b.bp", {}, set()),
    ),
    Case(
        IncludeReader,
        False,
        "top load diagnostics=[]",
        (Path("/a/a.bp"), load_a, [DIAGNOSTIC]),
        (Path("/b/b.bp"), load_b, []),
    ),
    Case(
        PendingFlow,
        False,
        "source target kind label span share=None",
        PENDING_ARGS,
        (NAME_B, NAME_A, FlowKind.INFO, None, S2, None),
    ),
    Case(
        _Builder,
        False,
        "path default_locale='en' diagnostics=[] header=None declared={} ids={} steps=[]"
        " phases=[] actions=[] evidence=[] pending=[] shared=[] groups=[] library=False",
        BUILDER_ARGS,
        ("b.bp", "en", [], None, {}, {}, [], [], [], [], [], [], [], False),
    ),
]


@pytest.fixture(params=CASES, ids=repr)
def case(request: pytest.FixtureRequest) -> Case:
    value: Case = request.param
    return value


def test_the_cases_name_every_field(case: Case) -> None:
    assert len(case.a) == len(case.b) == len(case.names)
    assert case.cls.__match_args__ == tuple(case.names)  # type: ignore[attr-defined]


def test_the_signature_is_the_dataclass_one(case: Case) -> None:
    ours = inspect.signature(case.cls).parameters
    theirs = inspect.signature(case.reference()).parameters
    assert list(ours) == list(theirs)
    for name, parameter in ours.items():
        assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        default = theirs[name].default
        if default is not inspect.Parameter.empty and repr(default) == "<factory>":
            assert parameter.default is None  # stands for a new list, dict or set
        else:
            assert parameter.default == default, name


def test_the_repr_is_the_dataclass_one(case: Case) -> None:
    reference = case.reference()
    for args in (case.a, case.b):
        assert repr(case.cls(*args)) == repr(reference(*args))


def test_equality_is_the_dataclass_one(case: Case) -> None:
    reference = case.reference()
    ours, theirs = case.cls(*case.a), reference(*case.a)
    assert ours == case.cls(*case.a)
    assert not ours != case.cls(*case.a)  # noqa: SIM202  # __ne__ too
    for index, name in enumerate(case.names):
        mixed = (*case.a[:index], case.b[index], *case.a[index + 1 :])
        expected = theirs == reference(*mixed)
        assert (ours == case.cls(*mixed)) is expected, name
        assert expected is (name in case.hidden), name  # only `source` is not compared
    assert ours.__eq__(theirs) is NotImplemented  # another class, even of the same fields
    assert ours != object() and ours != case.a


def _hash(value: object) -> int | type[Exception]:
    try:
        return hash(value)
    except TypeError as error:
        return type(error)


def test_the_frozen_ones_hash_as_the_dataclass_and_the_others_do_not(case: Case) -> None:
    reference = case.reference()
    assert (case.cls.__hash__ is None) is (not case.frozen)
    for args in (case.a, case.b):
        assert _hash(case.cls(*args)) == _hash(reference(*args))
    if case.frozen and case.cls is not Config:  # a Config holds a dict, as it did
        assert isinstance(_hash(case.cls(*case.a)), int)


def test_the_defaults_are_new_for_each_record(case: Case) -> None:
    required = [a for name, a in zip(case.names, case.a, strict=True) if name not in case.defaults]
    one, two = case.cls(*required), case.cls(*required)
    reference = case.reference()(*required)
    new = [name for name, default in case.defaults.items() if default in ("[]", "{}", "set()")]
    for name in case.defaults:
        assert getattr(one, name) == getattr(reference, name), name
    for name in new:
        assert getattr(one, name) is not getattr(two, name), name
    assert len({id(getattr(one, name)) for name in new}) == len(new)  # nor within one


def test_the_fields_are_slots(case: Case) -> None:
    record = case.cls(*case.a)
    slots = {name for cls in case.cls.__mro__ for name in getattr(cls, "__slots__", ())}
    assert set(case.names) <= slots
    # Only the two with cached views keep a __dict__, for functools.cached_property.
    assert hasattr(record, "__dict__") is (case.cls in (CompileResult, Context))
    if not hasattr(record, "__dict__"):
        with pytest.raises(AttributeError):
            record.not_a_field = 1


def test_the_frozen_ones_take_no_assignment(case: Case) -> None:
    if not case.frozen:
        record = case.cls(*case.a)
        setattr(record, case.names[0], case.b[0])
        assert getattr(record, case.names[0]) == case.b[0]
        return
    record = case.cls(*case.a)
    with pytest.raises(AttributeError, match=f"cannot assign to field '{case.names[0]}'"):
        setattr(record, case.names[0], case.b[0])
    with pytest.raises(AttributeError, match=f"cannot delete field '{case.names[-1]}'"):
        delattr(record, case.names[-1])
    with pytest.raises(AttributeError):
        record.other = 1
    assert getattr(record, case.names[0]) == case.a[0]


def test_the_frozen_ones_pickle_and_copy(case: Case) -> None:
    if not case.frozen:
        return
    record = case.cls(*case.a)
    for again in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):
        assert type(again) is case.cls and again == record
        assert [getattr(again, n) for n in case.names] == [getattr(record, n) for n in case.names]


def test_a_blueprint_copies_and_indexes_its_actions_and_lanes() -> None:
    twin = copy.deepcopy(BLUEPRINT_A)
    assert twin == BLUEPRINT_A and twin.action("a") == ACTION_A and twin.lane("desk") == LANE_A
    assert twin.action("a") is twin.actions[0] and twin.parallel_groups == [GROUP_A]
    assert weakref.ref(twin)() is twin  # analysis/paths keeps graphs by weak reference
    assert pickle.loads(pickle.dumps(BLUEPRINT_A)) == BLUEPRINT_A


def test_two_actions_share_no_list() -> None:
    one = Action("a", "a", "A", Zone.CUSTOMER, "customer", 1, S1)
    two = Action("b", "b", "B", Zone.CUSTOMER, "customer", 1, S1)
    one.fails.append(FailPoint("w", None, S1))
    one.metrics.append(Metric("m", Quantity("number", 1.0, "1"), None, S1))
    one.notes.append("n")
    one.attribute_spans["fail"] = S1
    assert (two.fails, two.metrics, two.notes, two.attribute_spans) == ([], [], [], {})


def _fields(record: object) -> dict[str, Any]:
    return {name: getattr(record, name) for name in type(record).__match_args__}  # type: ignore[attr-defined]


def test_with_severity_changes_only_the_severity() -> None:
    changed = DIAGNOSTIC.with_severity(Severity.ERROR)
    assert _fields(changed) == {**_fields(DIAGNOSTIC), "severity": Severity.ERROR}
    assert changed.source is DIAGNOSTIC.source


def test_localised_words_the_diagnostic_again() -> None:
    found = Diagnostic.of(
        "BP106", Severity.WARNING, msg("ignore.unused", code="BP301"), S1,
        msg("ignore.unused.help"), ((msg("note.included-from"), S2),),
    )  # fmt: skip
    assert found.localised("en") is found
    chinese = found.localised("zh")
    assert _fields(chinese) == {
        **_fields(found),
        "message": msg("ignore.unused", code="BP301").render("zh"),
        "help": msg("ignore.unused.help").render("zh"),
        "notes": ((msg("note.included-from").render("zh"), S2),),
    }
    assert chinese.source is found.source


def test_with_notes_adds_notes_and_their_ids() -> None:
    found = Diagnostic.of("BP106", Severity.WARNING, msg("ignore.unused", code="X"), S1)
    note = (msg("note.included-from"), S2)
    noted = found.with_notes((note,))
    assert found.source is not None
    assert _fields(noted) == {
        **_fields(found),
        "notes": (("included from", S2),),
        "source": Wording(found.source.message, None, (note[0],)),
    }
    assert noted.localised("zh").notes == ((note[0].render("zh"), S2),)
    # Notes not worded by id (a hand-made diagnostic's) are kept as they are, source too.
    hand_made = DIAGNOSTIC.with_notes((note,))
    notes = (("n", S2), ("included from", S2))
    assert _fields(hand_made) == {**_fields(DIAGNOSTIC), "notes": notes}


def test_with_diagnostics_keeps_the_rest_and_works_the_analysis_out_again() -> None:
    result = compile_text('blueprint "T" { }\nstep "s" {\n  customer a "A"\n}\n', "t.bp")
    assert result.analysis is not None and "analysis" in result.__dict__
    other = result.with_diagnostics([DIAGNOSTIC])
    assert _fields(other) == {**_fields(result), "diagnostics": [DIAGNOSTIC]}
    assert "analysis" not in other.__dict__ and other.analysis == result.analysis


def test_a_context_works_each_view_out_once() -> None:
    text = 'blueprint "T" { }\nstep "s" {\n  customer a "A" -> b\n  onstage b "B"\n}\n'
    blueprint = compile_text(text, "t.bp").blueprint
    assert blueprint is not None
    context = Context(blueprint)
    assert context.successors is context.successors and "successors" in context.__dict__
    assert [(f.source, f.target) for f in context.explicit_flows] == [("a", "b")]
    assert context.neighbours == {"a": {"b"}, "b": {"a"}}


def test_a_message_renders_as_before() -> None:
    message = Message("ignore.unused", (("code", "BP301"),))
    assert message == msg("ignore.unused", code="BP301") and str(message).startswith("`# bpc")
    assert {message: 1}[msg("ignore.unused", code="BP301")] == 1


def test_the_builder_state_is_its_base() -> None:
    assert _Builder.__mro__[1] is BuildState and not hasattr(_Builder("p"), "__dict__")


DOCS = [
    "",
    "one line",
    "  first\n    second\n      third\n\n",
    "\n\n    After blanks.\n\tTabbed\n    \n  End.  \n\n",
    "\u3000ideographic space\n\u3000\u3000indented\n",
    "x\n   \n\n",
]


@pytest.mark.parametrize("doc", DOCS)
def test_cleandoc_is_inspects(doc: str) -> None:
    assert cleandoc(doc) == inspect.cleandoc(doc)


def test_every_rule_is_explained_as_inspect_would() -> None:
    checks: list[Callable[..., Any]] = [r.check for r in all_rules().values() if r.check]
    assert checks
    for check in checks:
        assert cleandoc(check.__doc__ or "") == inspect.cleandoc(check.__doc__ or "")
