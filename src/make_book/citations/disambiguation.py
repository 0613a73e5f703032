"""Telling apart cites that print alike, as Pandoc's citeproc does (CSL "Disambiguation").

citeproc-py has no disambiguation, so :mod:`processor` renders the book's citations
once more as probes, as Pandoc's citeproc does: without locators, prefixes and suffixes,
an author-in-text cite as a normal one, then every reference in the bibliography that
no citation names ("ghost" cites). Cite items of different references that print the
same text (an "ibid." and a suppressed author do not count) are ambiguous; each step
below is tried on what is still ambiguous after the one before, rendering the probes
again:

0. ``disambiguate-add-givenname`` with the rules ``primary-name`` and
   ``primary-name-with-initials`` (Pandoc does it first, for the whole book, not only for
   ambiguous cites): a first author whose family name another first author shares gets
   initials ("J. Smith"), or the given name when the initials are shared too;
1. ``disambiguate-add-names``: more names before "et al.", as many as tell the
   references apart;
2. ``disambiguate-add-year-suffix``: the references of a group, in bibliography order,
   get "a", "b", ... after their first year, in cites and bibliography;
3. the ``<if disambiguate="true">`` test passes for what is left.

The other given-name rules (``all-names``, ``all-names-with-initials``, ``by-cite``) are
not done (see :mod:`processor`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ItemState:
    """What rendering one cite item needs to know, and what a probe notes of it."""

    suffix: str = ""  # year suffix: "a", "b"...
    explicit_suffix: bool = False  # the style prints year-suffix itself
    names: int = 0  # names shown before et al. (0: the style's own)
    condition: bool = False  # <if disambiguate="true"> passes
    record: list[str] | None = None  # probing: the text of its names, then the item
    names_seen: list[tuple[Any, ...]] = field(default_factory=list)
    ibid: bool = False  # probing: it printed the "ibid" term
    given: dict[tuple[str, str], str] = field(default_factory=dict)  # see Decisions
    expanding: str = ""  # while its first name is rendered long: "full" or "initials"
    suffix_used: bool = False


@dataclass(frozen=True)
class Probe:
    """One cite item as a probe printed it."""

    key: str
    text: str
    names: tuple[str, ...]  # family names, all name groups in order
    primaries: tuple[tuple[str, str], ...] = ()  # (family, given) of each group's first


@dataclass
class Decisions:
    """Per reference key (lower case): its year suffix, names shown and condition;
    while ``probing``, each rendered item's state is kept to be read afterwards."""

    explicit_suffix: bool = False
    suffix: dict[str, str] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    condition: set[str] = field(default_factory=set)
    # (family, given) of a first author -> "full" (given name) or "initials"
    given: dict[tuple[str, str], str] = field(default_factory=dict)
    probing: bool = False
    probes: list[tuple[int, str, ItemState]] = field(default_factory=list)  # id(item)

    def state(self, item) -> ItemState:
        key = item.key.lower()
        state = ItemState(self.suffix.get(key, ""), self.explicit_suffix,
                          self.names.get(key, 0), key in self.condition,
                          [] if self.probing else None, given=self.given)
        if self.probing:
            self.probes.append((id(item), key, state))
        return state

    def probe(self) -> Decisions:
        """The same decisions, for a probe rendering."""
        return Decisions(self.explicit_suffix, self.suffix, self.names, self.condition,
                         self.given, probing=True)


def letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: CSL's year suffixes."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def family_names(groups: list[tuple[Any, ...]]) -> tuple[str, ...]:
    return tuple(str(getattr(n, "family", None) or getattr(n, "literal", None) or n)
                 for group in groups for n in group)


def name_of(name: Any) -> tuple[str, str]:
    return (str(getattr(name, "family", None) or getattr(name, "literal", None) or name),
            str(getattr(name, "given", None) or ""))


def primaries(groups: list[tuple[Any, ...]]) -> tuple[tuple[str, str], ...]:
    return tuple(name_of(group[0]) for group in groups if group)


def _initials(given: str) -> str:
    return "".join(part[0] for part in given.replace("-", " ").replace(".", " ").split())


def _given_names(rule: str, probes: list[Probe]) -> dict[tuple[str, str], str]:
    """Pandoc's book-wide given-name step for the primary-name rules."""
    names = list(dict.fromkeys(n for p in probes for n in p.primaries))
    hints: dict[tuple[str, str], str] = {}
    for name in names:
        others = [n for n in names if n != name and n[0] == name[0]]
        if not others:
            continue
        if any(name[1] and o[1] and _initials(o[1]) == _initials(name[1]) for o in others):
            if rule == "primary-name":
                hints[name] = "full"
        else:
            hints[name] = "initials"
    return hints


def ambiguities(probes: list[Probe]) -> list[list[Probe]]:
    """Groups of two or more references whose cite items printed the same text."""
    by_text: dict[str, dict[str, Probe]] = {}
    for probe in probes:
        if probe.text:
            by_text.setdefault(probe.text, {}).setdefault(probe.key, probe)
    return [list(group.values()) for group in by_text.values() if len(group) > 1]


def _add_names(group: list[Probe], decisions: Decisions) -> None:
    """Pandoc's ``tryAddNames``: for n = 1, 2, ... names, the references told apart by
    their first n names leave the group; while any remain, all get n names shown."""
    remaining = list(group)
    most = max(len(p.names) for p in group)
    for n in range(1, most + 1):
        told = [p for p in remaining if all(q is p or q.names[:n] != p.names[:n]
                                            for q in remaining)]
        if told:
            for probe in remaining:
                decisions.names[probe.key] = n
            remaining = [p for p in remaining if p not in told]


def _add_year_suffixes(groups: list[list[Probe]], order: list[str],
                       decisions: Decisions) -> None:
    """Each reference with the references it is confused with, in bibliography order:
    "a", "b", ..."""
    position = {k: i for i, k in enumerate(order)}
    keys = sorted({p.key for g in groups for p in g},
                  key=lambda k: position.get(k, len(position)))
    for key in keys:
        companions = sorted({p.key for g in groups if any(q.key == key for q in g) for p in g},
                            key=lambda k: position.get(k, len(position)))
        for n, other in enumerate(companions, start=1):
            decisions.suffix[other] = letters(n)


def decide(options: dict[str, Any], probe: Callable[[Decisions], list[Probe]],
           order: list[str], explicit_suffix: bool) -> Decisions:
    """What the real rendering changes; ``probe`` renders the probes under given
    decisions, ``order`` is the bibliography's keys."""
    decisions = Decisions(explicit_suffix=explicit_suffix)
    probes = probe(decisions)
    rule = options.get("givenname-disambiguation-rule") or "by-cite"
    if options.get("disambiguate-add-givenname") and rule in ("primary-name",
                                                               "primary-name-with-initials"):
        decisions.given = _given_names(rule, probes)
        if decisions.given:
            probes = probe(decisions)
    groups = ambiguities(probes)
    if groups and options.get("disambiguate-add-names"):
        for group in groups:
            _add_names(group, decisions)
        groups = ambiguities(probe(decisions))
    if groups and options.get("disambiguate-add-year-suffix"):
        _add_year_suffixes(groups, order, decisions)
        groups = ambiguities(probe(decisions))
    decisions.condition = {p.key for g in groups for p in g}
    return decisions
