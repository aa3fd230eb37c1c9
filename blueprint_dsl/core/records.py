"""What the hand-written record classes of the check path share, in place of dataclasses.

`bpc check` defines no dataclass: the `dataclasses` module costs a check about 9 ms to
import (it brings `inspect`, `ast`, `dis` and `tokenize`), and each class about half a
millisecond more to define, as its methods are generated and exec'd. The classes on that
path are plain slotted classes instead, each with its `__slots__`, its `__match_args__`
(its fields, in order) and an `__init__` written out; `Record` gives them what a dataclass
gave: equality with an instance of the same class by those fields in that order, and the
same repr text.
"""

from __future__ import annotations


class Record:
    """A dataclass-like record over the fields `__match_args__` names: equal to a record
    of the same class with equal fields, unhashable (it can change), repr
    `Name(field=value, …)`. A class may leave fields out by overriding `_key` and
    `__repr__`."""

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return fields_repr(self, self.__match_args__)


class Frozen(Record):
    """A record that never changes, as a frozen dataclass: hashed by its fields, and
    assigning or deleting an attribute raises AttributeError (its `__init__` sets its
    slots with `object.__setattr__`, and its `__reduce__` rebuilds it for pickle and
    copy)."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]  # a Record has none
        return hash(self._key())

    def __reduce__(self) -> tuple[type[Frozen], tuple[object, ...]]:
        return (type(self), tuple(getattr(self, name) for name in self.__match_args__))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")


def fields_repr(record: object, names: tuple[str, ...]) -> str:
    """`Name(field=value, …)` over the fields `names`: a dataclass's repr text."""
    shown = ", ".join(f"{name}={getattr(record, name)!r}" for name in names)
    return f"{type(record).__qualname__}({shown})"
