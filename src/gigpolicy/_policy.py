"""Policies: a marketplace's rules as typed parameters plus plain rule functions, by version."""

from __future__ import annotations

import re
import threading
import types
import typing
import warnings
from bisect import bisect_right
from collections.abc import Callable, Mapping
from datetime import MINYEAR, UTC, date, datetime, time, timedelta
from decimal import Decimal
from email.parser import HeaderParser
from importlib.metadata import Distribution, EntryPoint, distributions
from pathlib import Path
from typing import Any, ClassVar, Final, TypeAlias

import attrs

from gigpolicy._contract import Party, is_a
from gigpolicy._decision import Question, Reason, Verdict
from gigpolicy._events import PUBLIC
from gigpolicy._fees import FeeSchedule, FlatFee
from gigpolicy._judge import settled
from gigpolicy._money import Money, describe
from gigpolicy._record import ContractRecord
from gigpolicy._state import ContractState, Feedback, Payment, ReplayRules
from gigpolicy._time import utc_offset
from gigpolicy._trusted import BoundedCache
from gigpolicy.errors import GigPolicyError, InvalidPolicy, InvalidRecord, UnknownPolicy

__all__ = [
    "Context",
    "Policy",
    "PolicyClock",
    "Window",
    "available_policies",
    "get_policy",
    "policy_versions",
    "register_policy",
    "resolve_policy",
]


@attrs.frozen(kw_only=True)
class Context:
    """What a rule function judges: one record's state at one instant, for one party."""

    record: ContractRecord
    state: ContractState
    at: datetime
    party: Party


@attrs.frozen(kw_only=True)
class Window:
    """A period the policy opens: for feedback, an automatic release, a dispute, a refund.

    Windows are what a timeline draws; decisions already account for them.
    """

    code: str
    """A stable UPPER_SNAKE name: ``FEEDBACK``, ``RESPONSE``, ``AUTO_RELEASE``, ``ESCROW_RETURN``,
    ``DISPUTE``, ``REFUND``, ``HOURS_REVIEW``, ...."""
    label: str
    """A few words for a person."""
    opens: datetime
    closes: datetime
    party: Party | None = None
    """The party the window is for, if only one."""
    source: str | None = None


@attrs.frozen(kw_only=True)
class Policy:
    """One version of a marketplace's rules.

    A policy is data: its parameters are typed fields, so a user changes one with
    :func:`attrs.evolve` and passes the result anywhere a policy is taken. Its rules are
    plain functions that read those parameters; a subclass maps questions to them in
    :meth:`decide`.

    Parameters are checked when a policy is built, a subclass's too: each against its annotated
    type (a ``float`` is no ``Decimal``, a ``bool`` no ``int``), and durations, counts and amounts
    (``timedelta``, ``int``, ``Decimal``) are never negative, as windows, thresholds and rates are
    not. A policy's parameter that needs a negative number declares it with a type of its own.
    """

    name: str
    """The marketplace's name, as :func:`get_policy` finds it (``"upwork"``)."""
    effective_from: date
    """The first day (UTC) this version is in force."""
    title: str = ""
    """A short description of what this version changed."""
    source: str | None = None
    """The main public source of this version's change."""
    replay_rules: ReplayRules = ReplayRules()
    """The automatic steps replay takes under this policy."""
    fees: FeeSchedule = FlatFee(rate=Decimal("0.10"))
    """The freelancer's service fee on each payment."""
    display_threshold: Decimal = Decimal("1.00")
    """Net paid needed before public feedback and the work-history entry show."""
    positive_rating: Decimal = Decimal(4)
    """The lowest public rating (of 1-5 stars) that :meth:`is_positive` takes as positive."""
    prohibited_work_source: str | None = None
    """Where the marketplace says which work it prohibits (cited when an option warns about it)."""

    UNANSWERED: ClassVar[str] = "NO_SUCH_RULE"

    def __attrs_post_init__(self) -> None:
        """Check every parameter against its type, so that a policy its rules cannot use never exists.

        Raises:
            InvalidPolicy: naming the first parameter of the wrong type, negative, or not finite.
        """
        for name, hint in _parameter_types(type(self)):
            problem = _parameter_problem(getattr(self, name), hint, name)
            if problem is not None:
                raise problem

    def decide(self, question: Question, context: Context) -> Verdict:
        """Answer *question* for ``context.party``; a question without a rule answers no."""
        del context
        key = (self.UNANSWERED, self.name, question)
        verdict = _UNANSWERED.get(key)
        if verdict is None:  # the same few for every contract: made once each
            message = f"{self.name} has no rule for {question.value.replace('_', ' ')}."
            verdict = _UNANSWERED.remember(
                key, Verdict(answer=False, reasons=(Reason(code=self.UNANSWERED, message=message),))
            )
        # no time changes it: evaluation looks for its `until` only at a new version ahead
        return settled(verdict)

    def windows(self, context: Context) -> tuple[Window, ...]:
        """The windows this policy has open or scheduled for ``context.state`` (none by default)."""
        del context
        return ()

    def is_positive(self, feedback: tuple[Feedback, ...]) -> bool:
        """Whether a party's end-of-contract *feedback* (all of it, oldest first) is positive.

        The success score and what-if planning read this judgement, never reason codes. By
        default the latest public rating is positive from :attr:`positive_rating` up; a
        marketplace that also weighs a private rating overrides it.
        """
        public = [item.rating for item in feedback if item.kind is PUBLIC]
        return not public or public[-1] >= self.positive_rating

    def refundable(self, state: ContractState) -> Money:
        """What the freelancer may still refund at ``state.at`` (all of net paid by default).

        A policy that limits refunds (to recent payments, say) overrides it; what-if planning
        refunds this much in ``refund_and_end``.
        """
        return state.net_paid

    @property
    def label(self) -> str:
        """``name@effective_from``, as ``upwork@2023-12-05``."""
        return f"{self.name}@{self.effective_from.isoformat()}"


_REGISTRY: dict[str, tuple[Policy, ...]] = {}


def register_policy(*versions: Policy) -> None:
    """Make *versions* of one or more marketplaces findable by name.

    A version with the same name and ``effective_from`` as a registered one replaces it.

    Raises:
        GigPolicyError: if an argument is not a :class:`Policy`.
    """
    for version in versions:
        if not is_a(version, Policy):
            raise GigPolicyError(f"only Policy values can be registered, not {type(version).__name__}")
        kept = [v for v in _REGISTRY.get(version.name, ()) if v.effective_from != version.effective_from]
        _REGISTRY[version.name] = tuple(sorted([*kept, version], key=lambda v: v.effective_from))


def available_policies() -> tuple[str, ...]:
    """The names of every registered policy, sorted.

    >>> available_policies()
    ('fiverr', 'freelancer', 'upwork')
    """
    load_plugins()
    return tuple(sorted(_REGISTRY))


def policy_versions(name: str) -> tuple[Policy, ...]:
    """Every version of the policy *name*, oldest first.

    Raises:
        UnknownPolicy: if no policy has that name.
    """
    load_plugins()
    versions = _REGISTRY.get(name) if is_a(name, str) else None
    if not versions:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownPolicy(f"unknown policy {describe(name)} (known: {known})")
    return versions


def _day(on: date | datetime) -> date:
    if isinstance(on, datetime):
        if on.tzinfo is UTC:  # most instants given: their day is their own
            return on.date()
        try:
            offset = utc_offset(on, "on")
        except InvalidRecord as error:
            raise UnknownPolicy(f"a policy date given as a datetime {error.problem}") from None
        if offset is None:
            raise UnknownPolicy("a policy date given as a datetime must be timezone-aware")
        try:
            return on.astimezone(UTC).date()
        except OverflowError:  # within a day of the ends of datetime: its UTC day is before or after them
            return date.min if on.year == MINYEAR else date.max
    if isinstance(on, date):
        return on
    raise UnknownPolicy(f"a policy date must be a date or a datetime, not {type(on).__name__}")


def get_policy(name: str, *, on: date | datetime | None = None) -> Policy:
    """The version of policy *name* in force on *on* (the latest if ``None``).

    *name* may carry its own date, as ``upwork@2019-01-01``, meaning the version in force
    that day.

    Raises:
        UnknownPolicy: for an unknown name, or a date before the policy's first version.

    >>> get_policy("upwork", on=date(2020, 1, 1)).effective_from
    datetime.date(2016, 6, 21)
    """
    if is_a(name, str) and "@" in name:
        name, _, pinned = name.partition("@")
        try:
            on = date.fromisoformat(pinned)
        except ValueError:
            raise UnknownPolicy(f"{pinned!r} after '@' is not a date in the form YYYY-MM-DD") from None
    versions = policy_versions(name)
    if on is None:
        return versions[-1]
    day = _day(on)
    for version in reversed(versions):  # the newest first: most records are judged under it
        if version.effective_from <= day:
            return version
    raise UnknownPolicy(f"no version of {name!r} was in force on {day} (the first is {versions[0].effective_from})")


class PolicyClock:
    """The policy version in force at each instant, its fee schedule, and when the next one starts.

    A policy given by name follows time through its registered versions; a :class:`Policy`
    object given is in force at every instant. Evaluation, looking ahead and the fees of each
    payment all ask this one value.
    """

    __slots__ = ("_after", "_starts", "_versions", "by_name", "policy")

    def __init__(self, policy: Policy, *, by_name: bool) -> None:
        self.policy = policy
        self.by_name = by_name
        self._versions = _REGISTRY.get(policy.name, (policy,)) if by_name else (policy,)
        # only versions that follow time are looked up by instant: one policy object needs no instants
        self._starts = _starts(self._versions) if by_name else []
        self._after = self._next_start(policy) if by_name else None
        """When the version after ``policy`` comes into force: every evaluation asks."""

    def at(self, instant: datetime) -> Policy:
        """The version in force at *instant* (the first one for an instant before it)."""
        if not self.by_name:
            return self.policy
        return self._versions[max(bisect_right(self._starts, instant) - 1, 0)]

    def next_change_after(self, policy: Policy) -> datetime | None:
        """When the version after *policy* comes into force (00:00 UTC), if versions follow time."""
        if not self.by_name:
            return None
        return self._after if policy is self.policy else self._next_start(policy)

    def _next_start(self, policy: Policy) -> datetime | None:
        versions = zip(self._versions, self._starts, strict=True)
        return next((starts for version, starts in versions if version.effective_from > policy.effective_from), None)

    @property
    def fees_key(self) -> tuple[object, ...]:
        """What decides the schedule of every payment: the versions by name, else the one policy.

        Two clocks with the same objects here charge every payment alike, whichever version
        each was asked about (``earnings`` carries charges from one to the other).
        """
        return (self._versions,) if self.by_name else (self.policy,)

    def fees_for(self, payment: Payment) -> FeeSchedule:
        """The fee schedule that charges *payment*: the version's in force on the payment's day."""
        return self.at(payment.at).fees


def clock_of(policy: Policy, *, by_name: bool) -> PolicyClock:
    """``PolicyClock(policy, by_name=by_name)``, made once per policy and registry of its versions.

    A clock never changes once made; every evaluation asks for one. A clock by name is made again
    once its policy's versions are registered anew (a new tuple in the registry).
    """
    key = (id(policy), by_name)  # the policy is kept beside its clock: no other takes its id meanwhile
    versions = _REGISTRY.get(policy.name) if by_name else None
    kept = _CLOCKS.get(key)
    if kept is None or kept[0] is not versions:
        kept = _CLOCKS.remember(key, (versions, policy, PolicyClock(policy, by_name=by_name)))
    return kept[2]


_CLOCKS: Final[BoundedCache[tuple[int, bool], tuple[tuple[Policy, ...] | None, Policy, PolicyClock]]] = BoundedCache(
    256
)
"""Each clock made, by its policy's identity and whether it follows time, with the versions it was made of."""

_STARTS: Final[BoundedCache[int, tuple[tuple[Policy, ...], list[datetime]]]] = BoundedCache(256)
"""The first instants of each registry's versions, by the identity of its tuple (kept alive here)."""


def _starts(versions: tuple[Policy, ...]) -> list[datetime]:
    """When each of *versions* comes into force (00:00 UTC of its first day), found once per tuple."""
    found = _STARTS.get(id(versions))  # the tuple kept beside its instants: no other can take its id
    if found is None:
        starts = [datetime.combine(v.effective_from, time(0), tzinfo=UTC) for v in versions]
        found = _STARTS.remember(id(versions), (versions, starts))
    return found[1]


def resolve_policy(policy: Policy | str | None, record: ContractRecord, at: datetime) -> tuple[Policy, bool]:
    """The policy to apply, and whether it was given by name (so versions follow time).

    Raises:
        UnknownPolicy: for an unknown name or a date before its first version.
    """
    if isinstance(policy, Policy):
        return policy, False
    if policy is None:
        policy = record.contract.marketplace or default_policy_name()
    if not isinstance(policy, str):
        raise UnknownPolicy(f"a policy must be a Policy, a name or None, not {type(policy).__name__}")
    return get_policy(policy, on=at), "@" not in policy


_UNANSWERED: Final[BoundedCache[tuple[str, str, Question], Verdict]] = BoundedCache(1024)
"""The verdicts of questions without a rule, by code, policy name and question (verdicts never change)."""

PolicyRule: TypeAlias = Callable[["Context", Any], Verdict]
"""A built-in rule function: the verdict on one question for ``context.party``, under the policy
given (unlike a :data:`gigpolicy.typing.Rule`, which reads the context alone)."""

RULES: Final[dict[type[Policy], dict[Question, PolicyRule]]] = {}
"""The rule of every question, for each built-in policy class whose ``decide`` only looks its rule
up (:func:`add_rules`): evaluation calls them directly, one call fewer per decision. A subclass
is not in it: it may override ``decide``, so evaluation asks that."""


def add_rules(cls: type[Policy], rules: Mapping[Question, PolicyRule]) -> None:
    """Register *rules* as what ``cls.decide`` does: each question's rule, else :meth:`Policy.decide`."""
    RULES[cls] = {question: rules.get(question) or _unanswered(question) for question in Question}
    rules_changed()


MADE_OF_RULES: Final[list[Callable[[], None]]] = []
"""What forgets what was made of :data:`RULES` (evaluation's plans, which hold the rules they call)."""


def rules_changed() -> None:
    """Forget everything made of :data:`RULES`: for whoever changes a table there (``add_rules`` does)."""
    for forget in MADE_OF_RULES:
        forget()


def _unanswered(question: Question) -> PolicyRule:
    """The rule of a question that a built-in class leaves to :meth:`Policy.decide`.

    It keeps the verdict of the last policy it answered for, and gives it again to that policy
    while its ``UNANSWERED`` code stays the same: a batch asks it of one policy on every line, and
    :meth:`Policy.decide` makes the key of its cache anew each time.
    """
    last: list[tuple[Policy, str, Verdict] | None] = [None]  # replaced whole: a thread reads one or the other

    def rule(context: Context, policy: Policy) -> Verdict:
        kept = last[0]
        if kept is not None and kept[0] is policy and kept[1] is policy.UNANSWERED:
            return settled(kept[2])
        verdict = Policy.decide(policy, question, context)
        last[0] = (policy, policy.UNANSWERED, verdict)
        return verdict

    return rule


TIMED_POLICIES: Final[set[type[Policy]]] = set()
"""The policy classes whose rules read time only through their judges' conditions
(:meth:`~gigpolicy.authoring.Judge.window`, ``before``, ``since``): evaluation takes a verdict's
``until`` from its judge instead of asking the rule again at each boundary. The built-in
classes add themselves; a subclass is not in it (it may override ``decide`` or a method the
rules call, and read ``context.at`` there), so its rules are asked at every boundary as any
user's rules are. A built-in policy with other parameters (``attrs.evolve``) is its class."""

_DEFAULT: list[str] = []
"""The name of the policy used when none is given and a record names no marketplace."""


def set_default_policy(name: str) -> None:
    """Make *name* the policy used when none is given and a record names no marketplace.

    The built-ins set ``"upwork"``, as the SPEC says; the core itself names no marketplace.
    """
    _DEFAULT[:] = [name]


_PARAMETER_TYPES: Final[dict[type[Policy], tuple[tuple[str, object], ...]]] = {}
"""Each policy class's parameters with their resolved types, found the first time one is built."""


def _parameter_types(cls: type[Policy]) -> tuple[tuple[str, object], ...]:
    """The fields of *cls* with their annotated types, resolved; none if the annotations cannot be resolved."""
    found = _PARAMETER_TYPES.get(cls)
    if found is None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # noqa: BLE001 - a plugin's annotation may name what only a type checker imports
            hints = {}
        found = tuple((field.name, hints[field.name]) for field in attrs.fields(cls) if field.name in hints)
        _PARAMETER_TYPES[cls] = found
    return found


def _parameter_problem(value: object, hint: object, path: str) -> InvalidPolicy | None:
    """What is wrong with *value* as a parameter of type *hint* at *path*, or ``None``.

    Checked: classes (``isinstance``), ``X | None``, and tuples of them; a protocol or any other
    typing construct is taken as it comes.
    """
    origin = typing.get_origin(hint)
    if origin in {types.UnionType, typing.Union}:
        options = [option for option in typing.get_args(hint) if option is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return None
        problems = [_parameter_problem(value, option, path) for option in options]
        return None if None in problems else problems[0]
    if origin is tuple:
        return _tuple_problem(value, typing.get_args(hint), path)
    if not isinstance(hint, type) or getattr(hint, "_is_protocol", False):
        return None
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        article = "an" if hint.__name__[:1].lower() in "aeiou" else "a"
        return InvalidPolicy(path, f"must be {article} {hint.__name__}, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        return InvalidPolicy(path, f"must be a finite number, not {value}")
    if isinstance(value, timedelta) and value < timedelta(0):
        return InvalidPolicy(path, f"must not be negative, not {value}")
    if isinstance(value, int | Decimal) and value < 0:
        return InvalidPolicy(path, f"must not be negative, not {describe(value)}")
    return None


def _tuple_problem(value: object, items: tuple[object, ...], path: str) -> InvalidPolicy | None:
    """What is wrong with *value* as a tuple of *items* (``(T, ...)`` or one type per place), or ``None``."""
    if not isinstance(value, tuple):
        return InvalidPolicy(path, f"must be a tuple, not {type(value).__name__}")
    each = [items[0]] * len(value) if len(items) == 2 and items[1] is Ellipsis else list(items)  # noqa: PLR2004 - (T, ...)
    if len(each) != len(value):
        return InvalidPolicy(path, f"must hold {len(each)} items, not {len(value)}")
    for index, (item, hint) in enumerate(zip(value, each, strict=True)):
        problem = _parameter_problem(item, hint, f"{path}[{index}]")
        if problem is not None:
            return problem
    return None


def default_policy_name() -> str:
    """The name of the policy used when none is given and a record names no marketplace.

    Raises:
        UnknownPolicy: if no default was set (the built-ins set one when imported).
    """
    if not _DEFAULT:
        raise UnknownPolicy("no default policy is set: give a policy, or a record with a marketplace")
    return _DEFAULT[0]


ENTRY_POINT_GROUP: Final = "gigpolicy.policies"
"""The entry-point group a separate package uses to ship policies (a Policy or an iterable of them)."""


class PluginWarning(UserWarning):
    """A policy plugin that could not be loaded: the warning names it, and it is skipped alone.

    Issued each time the registry is looked up, for as long as the process runs; Python's default
    filter shows a repeated warning once per place, ``"always"`` shows every one.
    """


_plugin_failures: tuple[str, ...] | None = None
"""Why each skipped plugin was skipped, one message each; ``None`` until the plugins are loaded."""

_plugins_lock: Final = threading.RLock()
"""Held while the plugins load, so that no thread sees half of them (re-entrant: a plugin may look policies up)."""


def _working_directory() -> Path | None:
    try:
        return Path.cwd().resolve()
    except OSError:  # deleted or unreadable: no sys.path entry can then lead into it
        return None


def _dist_name(dist: Distribution) -> str:
    """The distribution's name as ``importlib.metadata`` compares them (PEP 503), or ``""`` if it has none.

    Read from the metadata's headers directly: ``Distribution.name`` warns or raises for a
    distribution without metadata, differently across Python versions and the backport.
    """
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    return re.sub(r"[-_.]+", "-", HeaderParser().parsestr(text).get("Name", "")).lower()


def _declared(dist: Distribution, group: str) -> list[EntryPoint]:
    """The entry points of *group* that *dist* declares; none if its ``entry_points.txt`` cannot be parsed."""
    try:
        return list(dist.entry_points.select(group=group))
    except Exception:  # noqa: BLE001 - whatever a malformed file raises, it declares no plugin
        return []


def installed_entry_points(*, group: str) -> tuple[EntryPoint, ...]:
    """The entry points of *group* that installed distributions declare, in ``sys.path`` order.

    ``importlib.metadata.entry_points`` reads the ``*.dist-info`` folders of every ``sys.path``
    entry, and ``sys.path`` starts with the working directory under ``python -m``, ``python -c``,
    the interactive prompt, and a script run from its own folder. Here a distribution counts as
    installed only when it was found through an absolute ``sys.path`` directory that is not the
    working directory (site-packages, a ``PYTHONPATH`` directory, the folder of a script run
    from elsewhere): one in the working directory, or under a relative entry such as ``""``, is
    left out, so that running gigpolicy in a folder of downloaded files runs no code from it.
    Of several installed distributions with the same name, the first on ``sys.path`` is read,
    as Python imports from it; one whose ``entry_points.txt`` cannot be parsed declares nothing.
    """
    cwd = _working_directory()
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for dist in distributions():
        location = Path(str(dist.locate_file("")))
        if not location.is_absolute() or location.resolve() == cwd:
            continue
        declared = _declared(dist, group)
        name = _dist_name(dist) if declared else ""
        if declared and (not name or name not in seen):
            seen.add(name)
            found.extend(declared)
    return tuple(found)


def _load_plugin(entry: EntryPoint) -> str | None:
    """Register the policies *entry* names; or say why it cannot, registering none of them."""
    try:
        loaded = entry.load()
    except Exception as error:  # noqa: BLE001 - a plugin's import may raise anything; it is reported
        return f"failed to load: {type(error).__name__}: {error}"
    versions = (loaded,) if isinstance(loaded, Policy) else tuple(loaded) if isinstance(loaded, list | tuple) else ()
    if not versions:
        return f"must name a Policy or a list of them, not {type(loaded).__name__}"
    stranger = next((version for version in versions if not is_a(version, Policy)), None)
    if stranger is not None:
        return f"holds a {type(stranger).__name__}: only Policy values can be registered"
    register_policy(*versions)
    return None


def load_plugins() -> None:
    """Register the policies that installed packages ship (once), and warn of each plugin skipped (each time).

    The built-ins register themselves when :mod:`gigpolicy.policies` is imported (the package
    does that), so this module never imports a marketplace. Plugins come from the distributions
    :func:`installed_entry_points` finds. A plugin that fails to import, names something that is
    not a policy, or a list holding one, is skipped alone: the built-ins and the other plugins
    are registered, and every later call warns of it again.

    Warns:
        PluginWarning: for each plugin skipped, naming it and saying why.
    """
    global _plugin_failures  # noqa: PLW0603 - the plugins are loaded once per process
    with _plugins_lock:
        if _plugin_failures is None:
            _plugin_failures = ()  # a plugin that looks policies up while loading sees those loaded so far
            failures = []
            for entry in installed_entry_points(group=ENTRY_POINT_GROUP):
                problem = _load_plugin(entry)
                if problem is not None:
                    failures.append(f"the policy plugin {entry.name!r} ({entry.value}) {problem}; skipped")
            _plugin_failures = tuple(failures)
        skipped = _plugin_failures
    for failure in skipped:
        warnings.warn(failure, PluginWarning, stacklevel=3)
