"""Which time-limit rule applies to an order: request type × category (inherited) × urgency.

A rule names a request type (or ``any``), a category (or every category: ``None``) and an urgency
(or ``any``), and sets some of the six limits and the warning fraction; a limit it leaves unset
is inherited. For one order, every rule whose scope covers it is ranked, most specific first:

1. a rule for the order's urgency beats one for any urgency (特急 2 h stays 2 h whatever the
   category's ordinary limit);
2. then the deeper category beats its ancestors (the rule for 物业管理 beats the one for 住房,
   which beats one for every category);
3. then the order's request type beats ``any``;
4. then a rule stored in the database beats the built-in default of the same scope.

Each limit comes from the first rule in that order that sets it. The built-in defaults
(:data:`hotline_tui.domain.limits.DEFAULT_LIMITS`) take part as rules: one per request type (any
urgency) and one per raised urgency (any type), so every limit is always found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from hotline_tui.domain.limits import LIMIT_FIELDS, Limit, TimeLimits, default_limits
from hotline_tui.domain.states import RequestType, Urgency

__all__ = [
    "ANY",
    "RAISED_URGENCIES",
    "Inversion",
    "RuleSpec",
    "builtin_rules",
    "nominal_seconds",
    "raised_longer",
    "resolve_limits",
]

ANY = "any"


@dataclass(frozen=True)
class RuleSpec:
    """A rule's scope and the limits it sets (a missing field is inherited)."""

    request_type: str
    category_id: int | None
    urgency: str
    limits: Mapping[str, Limit] = field(default_factory=dict)
    warn_fraction: float | None = None
    builtin: bool = False


def builtin_rules() -> list[RuleSpec]:
    """The defaults of DESIGN.md §4 as rules (see :mod:`hotline_tui.domain.limits`)."""
    rules = []
    for request_type in RequestType:
        limits = default_limits(request_type.value, Urgency.NORMAL.value)
        rules.append(_spec(request_type.value, ANY, limits))
    for urgency in (Urgency.URGENT, Urgency.CRITICAL):
        limits = default_limits(RequestType.OTHER.value, urgency.value)
        rules.append(_spec(ANY, urgency.value, limits))
    return rules


def _spec(request_type: str, urgency: str, limits: TimeLimits) -> RuleSpec:
    values = {name: getattr(limits, name) for name in LIMIT_FIELDS}
    return RuleSpec(request_type, None, urgency, values, None, builtin=True)


_BUILTIN = builtin_rules()


def resolve_limits(
    rules: Iterable[RuleSpec],
    request_type: str,
    categories: Sequence[int],
    urgency: str,
    *,
    warn_fraction: float = 0.2,
) -> TimeLimits:
    """The limits of an order; ``categories`` is its category followed by its ancestors."""
    depth = {category: len(categories) - i for i, category in enumerate(categories)}
    ranked: list[tuple[tuple[int, int, int, int], RuleSpec]] = []
    for rule in [*rules, *_BUILTIN]:
        if rule.request_type not in (request_type, ANY) or rule.urgency not in (urgency, ANY):
            continue
        if rule.category_id is not None and rule.category_id not in depth:
            continue
        key = (
            rule.urgency != ANY,
            depth.get(rule.category_id, 0) if rule.category_id is not None else 0,
            rule.request_type != ANY,
            not rule.builtin,
        )
        ranked.append(((int(key[0]), key[1], int(key[2]), int(key[3])), rule))
    ranked.sort(key=lambda item: item[0], reverse=True)
    fallback = default_limits(request_type, urgency)  # only for a type no rule names
    chosen: dict[str, Limit] = {
        name: next((r.limits[name] for _, r in ranked if name in r.limits), getattr(fallback, name))
        for name in LIMIT_FIELDS
    }
    warn = next((r.warn_fraction for _, r in ranked if r.warn_fraction is not None), None)
    return TimeLimits(
        dispatch=chosen["dispatch"],
        sign=chosen["sign"],
        return_window=chosen["return_window"],
        complete=chosen["complete"],
        extension_max=chosen["extension_max"],
        visit=chosen["visit"],
        warn_fraction=warn_fraction if warn is None else warn,
    )


# ------------------------------------------------------------------------- raised urgencies


@dataclass(frozen=True)
class Inversion:
    """A raised urgency that gives more time than the normal one, for one scope and limit."""

    request_type: str
    category_id: int | None
    urgency: str
    limit: str  # which of LIMIT_FIELDS
    raised: Limit
    normal: Limit


RAISED_URGENCIES = (Urgency.URGENT.value, Urgency.CRITICAL.value)


def nominal_seconds(limit: Limit, day_hours: float) -> float:
    """A limit's length in natural time, to compare limits of different units: a working day
    about a calendar day (24 h), a working hour that day's share (with 8 working hours a day,
    3 h); 1wd = 8wh = 24h = 1d."""
    per_unit = {"wd": 86400.0, "wh": 86400.0 / day_hours, "h": 3600.0, "d": 86400.0}
    return limit.amount * per_unit[limit.unit.value]


def raised_longer(
    rules: Sequence[RuleSpec],
    chains: Mapping[int | None, Sequence[int]],
    *,
    day_hours: float,
) -> list[Inversion]:
    """Where an urgent (紧急) or critical (特急) order would get longer than a normal one of
    the same request type and category, limit by limit, with the rules as they stand (stored
    and built-in, inherited as for real orders).

    Every scope a stored rule names is checked (a rule for any type: each type), with
    ``chains`` giving each category its ancestors, so a normal limit set shorter than the
    built-in urgent one is found too, not only an urgent limit set long.
    """
    scopes: set[tuple[str, int | None]] = set()
    for rule in rules:
        types = [t.value for t in RequestType] if rule.request_type == ANY else [rule.request_type]
        scopes.update((request_type, rule.category_id) for request_type in types)
    found: list[Inversion] = []
    for request_type, category_id in sorted(scopes, key=lambda s: (s[0], s[1] or 0)):
        chain = list(chains.get(category_id, ()))
        normal = resolve_limits(rules, request_type, chain, Urgency.NORMAL.value)
        for urgency in RAISED_URGENCIES:
            raised = resolve_limits(rules, request_type, chain, urgency)
            for name in LIMIT_FIELDS:
                mine, usual = getattr(raised, name), getattr(normal, name)
                if nominal_seconds(mine, day_hours) > nominal_seconds(usual, day_hours):
                    found.append(Inversion(request_type, category_id, urgency, name, mine, usual))
    return found
