"""The header section of `bpc diff`: title, id, version, owner, persona, description,
locale, currency and the customer-time target, each compared as written (the target by
its seconds, so `10m` and `600s` are the same target).
"""

from __future__ import annotations

from .differ import Differ, duration_text, same_duration


def diff_header(differ: Differ) -> None:
    old, new = differ.old.header, differ.new.header
    fields: list[tuple[str, str | None, str | None]] = [
        ("title", old.title, new.title),
        ("id", old.id, new.id),
        ("version", old.version, new.version),
        ("owner", old.owner, new.owner),
        ("persona", old.persona, new.persona),
        ("description", old.description, new.description),
        ("locale", old.locale, new.locale),
        ("currency", old.currency, new.currency),
        ("scope", old.scope, new.scope),
    ]
    for name, a, b in fields:
        if a != b:
            differ.add("header", "changed", "header", field=name, old=a, new=b)
    if not same_duration(old.target, new.target):
        differ.add(
            "header",
            "changed",
            "header",
            field="target",
            old=duration_text(old.target),
            new=duration_text(new.target),
        )
