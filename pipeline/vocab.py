"""Vocabularies, loaded from the TOML files in ``pipeline/vocab/``.

Document types, signing prefixes, positions, body names and layout phrases live there as data so that
an archivist can add a missing position or body without touching code. Loading is cached.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _load(name: str) -> dict:
    with resources.files("pipeline").joinpath("vocab").joinpath(f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def alternation(phrases: list[str]) -> str:
    """A regex alternation of literal phrases, longest first so the longest wins."""
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


@dataclass(frozen=True)
class DocTypes:
    default: str
    by_title: dict[str, str]  # "KẾ HOẠCH" -> "Kế hoạch"
    by_code: dict[str, str]  # "KH" -> "Kế hoạch"


@cache
def doc_types() -> DocTypes:
    data = _load("doc_types")
    by_title: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for entry in data["type"]:
        recorded = entry.get("record_as", entry["name"])
        by_title[entry["name"].upper()] = recorded
        if entry.get("code"):
            by_code.setdefault(entry["code"].upper(), recorded)
    return DocTypes(default=data["default"], by_title=by_title, by_code=by_code)


@dataclass(frozen=True)
class Signing:
    authorities: tuple[str, ...]
    positions: dict[str, str]  # printed upper-case form -> recorded form


@cache
def signing() -> Signing:
    data = _load("signing")
    positions = {p.upper(): p for p in data["positions"]}
    positions.update(data.get("abbreviated", {}))
    return Signing(authorities=tuple(data["authorities"]), positions=positions)


@dataclass(frozen=True)
class Bodies:
    heads: tuple[str, ...]
    levels: tuple[str, ...]
    names: dict[str, str]  # lower case -> recorded spelling
    abbreviations: dict[str, str]
    stamp: tuple[re.Pattern[str], ...]


@cache
def bodies() -> Bodies:
    data = _load("bodies")
    return Bodies(
        heads=tuple(data["heads"]),
        levels=tuple(data["levels"]),
        # a department (Sở) bears its ministry's field ("Sở/Bộ Lao động - Thương binh và Xã hội"): each
        # spelling of a Sở's name also spells the Bộ of the same field
        names={n.lower(): n for n in data["names"]}
        | {f"bộ {n[3:]}".lower(): f"Bộ {n[3:]}" for n in data["names"] if n.startswith("Sở ")},
        abbreviations=dict(data["abbreviations"]),
        stamp=tuple(re.compile(p) for p in data["stamp"]["patterns"]),
    )


@dataclass(frozen=True)
class Layout:
    national_motto: re.Pattern[str]
    rule_line: re.Pattern[str]
    body_openings: tuple[str, ...]
    addressee_label: re.Pattern[str]
    distribution_label: re.Pattern[str]
    subject_label: re.Pattern[str]
    attached_heading: re.Pattern[str]
    ocr_fixes: dict[str, str]


@cache
def layout() -> Layout:
    data = _load("layout")
    return Layout(
        national_motto=re.compile("|".join(f"(?:{p})" for p in data["national_motto"]), re.IGNORECASE),
        rule_line=re.compile(data["rule_line"]),
        body_openings=tuple(data["body_openings"]),
        addressee_label=re.compile(data["addressee_label"], re.IGNORECASE),
        distribution_label=re.compile(data["distribution_label"], re.IGNORECASE),
        subject_label=re.compile(data["subject_label"]),
        attached_heading=re.compile(data["attached_heading"], re.IGNORECASE | re.MULTILINE | re.DOTALL),
        ocr_fixes=dict(data.get("ocr_fixes", {})),
    )


@dataclass(frozen=True)
class Agencies:
    heads: tuple[str, ...]
    heads_before_capital: tuple[str, ...]
    honorifics: tuple[str, ...]
    not_after_concerning: tuple[str, ...]
    group_nouns: tuple[str, ...]
    predicates: tuple[str, ...]
    prefixes: dict[str, str]
    not_directive: tuple[str, ...]
    abbreviations: dict[str, str]
    closing: tuple[re.Pattern[str], ...]


@cache
def agencies() -> Agencies:
    data = _load("agencies")
    return Agencies(
        heads=tuple(data["heads"]),
        heads_before_capital=tuple(data["heads_before_capital"]),
        honorifics=tuple(data.get("honorifics", ())),
        not_after_concerning=tuple(data["not_after_concerning"]),
        group_nouns=tuple(data["group_nouns"]),
        predicates=tuple(data["predicates"]),
        prefixes=dict(data["prefixes"]),
        not_directive=tuple(data["not_directive"]["words"]),
        abbreviations=dict(data["abbreviations"]),
        closing=tuple(re.compile(p) for p in data["closing"]["patterns"]),
    )


@dataclass(frozen=True)
class Deadlines:
    before: tuple[str, ...]
    within: tuple[str, ...]
    recurrence: tuple[str, ...]
    quarters: dict[str, int]


@cache
def deadlines() -> Deadlines:
    data = _load("deadlines")
    return Deadlines(
        before=tuple(data["before"]),
        within=tuple(data["within"]),
        recurrence=tuple(data["recurrence"]),
        quarters=dict(data["quarters"]),
    )


@dataclass(frozen=True)
class Targets:
    units: tuple[str, ...]
    goal_before: tuple[str, ...]
    goal_after: tuple[str, ...]
    past: tuple[str, ...]
    budget: tuple[str, ...]
    list_units: tuple[str, ...]
    not_after: tuple[str, ...]
    penalty: tuple[str, ...]


@cache
def targets() -> Targets:
    data = _load("targets")
    return Targets(**{k: tuple(v) for k, v in data.items()})
