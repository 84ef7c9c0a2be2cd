"""Sources: the public pages a policy's rules cite, each listed once with its kind and dates.

A policy module lists the pages its rules cite as :class:`Source` values and registers them
with :func:`register_sources`, next to its versions. The list says what kind of page each one
is, when it was last checked against the page, and whether it states the day its rule took
effect; :func:`date_confirmed` reads it to tell whether a version's date rests on such a page.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Final

import attrs

from gigpolicy._contract import is_a
from gigpolicy._money import describe
from gigpolicy._policy import Policy, load_plugins
from gigpolicy.errors import GigPolicyError, InvalidRecord

__all__ = ["Source", "SourceKind", "date_confirmed", "policies_citing", "register_sources", "source_for", "sources"]


class SourceKind(enum.StrEnum):
    """What kind of page a source is, from the marketplace's own word to someone else's."""

    HELP_CENTER = "help_center"
    """A page of the marketplace's help center or support FAQ."""
    RELEASE_NOTE = "release_note"
    """A release note or announcement by the marketplace's staff."""
    MODERATOR = "moderator"
    """A moderator's or staff member's answer in the marketplace's forum."""
    THIRD_PARTY = "third_party"
    """Anyone else: a forum member, a mirror, a blog."""


def _check_url(instance: Source, attribute: attrs.Attribute[str], value: object) -> None:
    del instance, attribute
    if not (isinstance(value, str) and value.startswith(("https://", "http://")) and value.isprintable()):
        raise InvalidRecord("url", f"must be an http(s) URL, not {describe(value)}")


def _check_kind(instance: Source, attribute: attrs.Attribute[SourceKind], value: object) -> None:
    del instance, attribute
    if not isinstance(value, SourceKind):
        raise InvalidRecord("kind", f"must be a SourceKind, not {describe(value)}")


def _check_title(instance: Source, attribute: attrs.Attribute[str], value: object) -> None:
    del instance, attribute
    if not (isinstance(value, str) and value.strip()):
        raise InvalidRecord("title", f"must be a non-empty string, not {describe(value)}")


def _check_checked(instance: Source, attribute: attrs.Attribute[date], value: object) -> None:
    del instance, attribute
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidRecord("checked", f"must be a date, not {describe(value)}")


def _check_flag(instance: Source, attribute: attrs.Attribute[bool], value: object) -> None:
    del instance, attribute
    if not isinstance(value, bool):
        raise InvalidRecord("date_confirmed", f"must be True or False, not {describe(value)}")


def _check_note(instance: Source, attribute: attrs.Attribute[str], value: object) -> None:
    del instance, attribute
    if not isinstance(value, str):
        raise InvalidRecord("note", f"must be a string, not {describe(value)}")


def _is_label(value: object) -> bool:
    if not isinstance(value, str):
        return False
    name, at, day = value.partition("@")
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return bool(name and at) and len(day) == len("YYYY-MM-DD")


def _check_versions(instance: Source, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    del instance, attribute
    if not (isinstance(value, tuple) and all(_is_label(label) for label in value)):
        raise InvalidRecord("versions", f"must be a tuple of labels as 'name@YYYY-MM-DD', not {describe(value)}")


@attrs.frozen(kw_only=True)
class Source:
    """One public page a policy cites, with what kind of page it is and how far it is trusted.

    >>> from datetime import date
    >>> page = Source(
    ...     url="https://help.example/fees",
    ...     kind=SourceKind.HELP_CENTER,
    ...     title="Fees",
    ...     checked=date(2026, 12, 5),
    ...     date_confirmed=False,
    ...     note="The page gives no date.",
    ... )
    >>> page.kind.value
    'help_center'
    """

    url: str = attrs.field(validator=_check_url)
    """The page's address, exactly as the policy cites it."""
    kind: SourceKind = attrs.field(validator=_check_kind)
    title: str = attrs.field(validator=_check_title)
    """The page's title, as the page gives it."""
    checked: date = attrs.field(validator=_check_checked)
    """The day the page (or a stored copy of it) was last read against the rules citing it."""
    date_confirmed: bool = attrs.field(validator=_check_flag)
    """Whether the page itself states the day its rule took effect."""
    note: str = attrs.field(default="", validator=_check_note)
    """What the page supports, and why its date is unconfirmed or where its copy differs."""
    versions: tuple[str, ...] = attrs.field(default=(), validator=_check_versions)
    """The labels (``name@YYYY-MM-DD``) of the versions whose effective date this page gives.

    Empty for a page that only describes a rule. A version named here rests on this page for
    its date even if the version's own ``source`` is another page (see :func:`date_confirmed`).
    """


_SOURCES: dict[str, Source] = {}
_CITED_BY: dict[str, set[str]] = {}

_FIELDS: Final = tuple(field.name for field in attrs.fields(Source))


def register_sources(*sources: Source, cited_by: str) -> None:
    """List *sources* as pages the policy named *cited_by* cites.

    A page is listed once: registering the same URL again with the same data only adds the
    citing policy, so two policies may cite one page.

    Raises:
        GigPolicyError: if an argument is not a :class:`Source`, *cited_by* is not a name, or
            a URL is already listed (or given twice) with different data; nothing is
            registered then.
    """
    if not (is_a(cited_by, str) and cited_by):
        raise GigPolicyError(f"cited_by must be the name of a policy, not {describe(cited_by)}")
    seen: dict[str, Source] = {}
    for source in sources:
        if not is_a(source, Source):
            raise GigPolicyError(f"only Source values can be registered, not {type(source).__name__}")
        known = seen.get(source.url) or _SOURCES.get(source.url)
        if known is not None and known != source:
            differ = ", ".join(name for name in _FIELDS if getattr(known, name) != getattr(source, name))
            raise GigPolicyError(f"the source {source.url} is already listed with a different {differ}")
        seen[source.url] = source
    for url, source in seen.items():
        _SOURCES[url] = source
        _CITED_BY.setdefault(url, set()).add(cited_by)


def sources(*, cited_by: str | None = None) -> tuple[Source, ...]:
    """Every listed source (only those the policy *cited_by* cites, if given), sorted by URL.

    One flat list sorted by URL, rather than groups per marketplace, because a page may be
    cited by several policies and is still one source; ``sources(cited_by=name)`` gives one
    policy's pages, and ``gigpolicy policies --sources`` prints the list per marketplace.

    >>> urls = [source.url for source in sources()]
    >>> urls == sorted(set(urls))
    True
    """
    load_plugins()
    return tuple(_SOURCES[url] for url in sorted(_SOURCES) if cited_by is None or cited_by in _CITED_BY[url])


def source_for(url: str) -> Source | None:
    """The listed source of *url*, or ``None`` if no policy lists it.

    >>> source_for("https://nowhere.example/") is None
    True
    """
    load_plugins()
    return _SOURCES.get(url) if is_a(url, str) else None


def policies_citing(url: str) -> tuple[str, ...]:
    """The names of the policies that list *url* among their sources, sorted."""
    load_plugins()
    return tuple(sorted(_CITED_BY.get(url, ()))) if is_a(url, str) else ()


def date_confirmed(policy: Policy) -> bool | None:
    """Whether a source states the day *policy* (one version) took effect.

    A version's date rests on the listed sources that name it in :attr:`Source.versions`, or,
    when none does, on its own ``source``. It is confirmed when each of them states the day
    (``True``), unconfirmed when one does not (``False``), and unknown (``None``) when it rests
    on no listed source: a policy of your own may cite pages nobody listed. Every source a
    built-in policy cites is listed (a test checks it), so a built-in version is never unknown.

    Raises:
        GigPolicyError: if *policy* is not a :class:`~gigpolicy.Policy`.

    >>> from gigpolicy import get_policy
    >>> date_confirmed(get_policy("upwork@2020-11-08"))
    True
    """
    if not is_a(policy, Policy):
        raise GigPolicyError(f"date_confirmed takes one version of a Policy, not {type(policy).__name__}")
    load_plugins()
    label = policy.label
    dating = [source for source in _SOURCES.values() if label in source.versions]
    if not dating and policy.source in _SOURCES:
        dating = [_SOURCES[policy.source]]
    if not dating:
        return None
    return all(source.date_confirmed for source in dating)
