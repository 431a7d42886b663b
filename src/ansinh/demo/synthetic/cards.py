"""Step 4 of a synthetic province: BHYT cards, one "track" per person by what entitles them on `as_of`;
everybody else buys household cards, whose take-up per commune is solved so the commune reaches its level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ansinh.demo.synthetic.arrays import ranks_within
from ansinh.demo.synthetic.calibration import BHYT_RISE_PER_MONTH, GROUP_6_SHARE, UNEMPLOYED
from ansinh.demo.synthetic.days import add_months, birthday, day_in, january_first, month_of, month_start, year_of

if TYPE_CHECKING:
    from ansinh.demo.synthetic.days import ExtractCalendar
    from ansinh.demo.synthetic.households import People
    from ansinh.demo.synthetic.province import Province
    from ansinh.demo.synthetic.spans import Spans, Status


@dataclass
class Cards:
    """BHYT cards of a chunk, person = row of the chunk's persons."""

    person: np.ndarray
    group: np.ndarray
    start: np.ndarray  # days
    end: np.ndarray

    @classmethod
    def join(cls, parts: Sequence[Cards]) -> Cards:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("person", "group", "start", "end")))

    @classmethod
    def of(cls, person, group, start, end) -> Cards:
        return cls(np.asarray(person, np.int64), np.full(len(person), group, np.int8),
                   np.asarray(start, np.int64), np.asarray(end, np.int64))


def _employer_only(rng: np.random.Generator, cards: Cards, persons: int, cal: ExtractCalendar) -> Cards:
    """A few workers' cards of this year are paid by their employer alone (group 6 of the amended law,
    e.g. on long unpaid sick leave); drawn from a generator of their own so nothing else moves."""
    chosen = rng.random(persons) < GROUP_6_SHARE
    six = chosen[cards.person] & (year_of(cards.start) == cal.year)
    return Cards(cards.person, np.where(six, 6, cards.group).astype(np.int8), cards.start, cards.end)


def _yearly_cards(person: np.ndarray, group: int, start: np.ndarray, end: np.ndarray, cal: ExtractCalendar) -> Cards:
    """One card per calendar year from `start` to `end` (days, inclusive), clipped to both.

    Cards paid by an employer, the BHXH agency or the state budget follow the calendar year; only the
    part from the history start on is kept.
    """
    start = np.maximum(np.asarray(start, np.int64), cal.history)
    end = np.asarray(end, np.int64)
    first_year, last_year = year_of(start), year_of(end)
    count = np.where((end >= start) & (start <= cal.as_of), last_year - first_year + 1, 0)
    owner = np.repeat(np.arange(len(start)), count)
    year = first_year[owner] + ranks_within(owner)
    return Cards.of(
        person[owner], group,
        np.maximum(start[owner], january_first(year)),
        np.minimum(end[owner], january_first(year + 1) - 1),
    )


def _chain_cards(person: np.ndarray, group, last_start: np.ndarray, first_start: np.ndarray, cal: ExtractCalendar) -> Cards:
    """12-month cards renewed back to back, the latest starting on `last_start`, none before `first_start`.

    Household cards (and the state-supported ones bought like them) run twelve months from the day paid;
    cards ending before the history start are left out.
    """
    parts = []
    groups = np.broadcast_to(np.asarray(group, np.int8), person.shape)
    for back in range(4):  # at most 3 cards of 12 months reach into a history of up to 23 months
        start = add_months(last_start, -12 * back)
        end = add_months(last_start, -12 * (back - 1)) - 1
        keep = (start >= first_start) & (end >= cal.history) & (start <= cal.as_of)
        parts.append(Cards(person[keep], groups[keep], start[keep], end[keep]))
    return Cards.join(parts)


def _latest_anniversary(first_start: np.ndarray, cal: ExtractCalendar) -> np.ndarray:
    """The last day, not after as_of, on which a card that started on `first_start` was renewed."""
    years = (month_of(np.int64(cal.as_of)) - month_of(first_start)) // 12
    candidate = add_months(first_start, 12 * years)
    return np.where(candidate > cal.as_of, add_months(first_start, 12 * (years - 1)), candidate)


def bhyt_cards(
    rng: np.random.Generator, province: Province, people: People, birth: np.ndarray, status: Status,
    spans: Spans, paying: np.ndarray, entrant_from: np.ndarray,
) -> Cards:
    """Every person's cards from the history start to as_of, by what entitles them to one on as_of.

    Tracks, first match wins: a child under 6 (group 3, from birth to the day before the 6th birthday),
    a worker whose employer pays (group 1), a pensioner (group 2), the poor, social-protection
    beneficiaries and people of 80 and more (group 3), students and the near-poor (group 4). Everybody
    else buys household cards (group 5, or group 4 for farming households), and how many of them do is
    solved per commune so that the commune reaches its level on as_of.
    """
    cal = province.calendar
    n = len(birth)
    age = people.age
    parts: list[Cards] = []
    covered_elsewhere = np.zeros(n)  # expected share of each tracked person with a card on as_of

    # Children under 6: a card from birth (newborns of the last three weeks may not have it yet).
    sixth = birthday(birth, 6)
    child = sixth > cal.as_of
    registered = child & ~((birth > cal.as_of - 21) & (rng.random(n) < 0.7))
    rows = np.flatnonzero(registered | (~child & (sixth > cal.history)))
    parts.append(Cards.of(rows, 3, birth[rows], sixth[rows] - 1))
    covered_elsewhere[child] = registered[child]

    # Group 1 from every compulsory span, whoever holds it now (yearly cards, cut where the span ends).
    first_day = month_start(spans.first[spans.scheme == 0])
    last_day = np.where(spans.last < 0, cal.year_end, month_start(spans.last + 1) - 1)[spans.scheme == 0]
    group_1 = _yearly_cards(spans.person[spans.scheme == 0], 1, first_day, last_day, cal)
    parts.append(_employer_only(rng.spawn(1)[0], group_1, n, cal))
    worker = ~child & paying
    covered_elsewhere[worker] = 1.0

    pensioner = ~child & ~worker & (status.pension_from > 0)
    rows = np.flatnonzero(pensioner)
    parts.append(_yearly_cards(rows, 2, status.pension_from[rows], np.full(len(rows), cal.year_end), cal))
    covered_elsewhere[pensioner] = 1.0

    # The state pays from the month after the 80th birthday.
    eighty = month_start(month_of(birthday(birth, 80)) + 1)
    tracked = child | worker | pensioner
    budget = ~tracked & (status.poor | status.social | (eighty <= cal.as_of))
    tracked |= budget
    supported = ~tracked & (status.student | status.near_poor)
    tracked |= supported
    take_up = np.select(
        [budget & (status.poor | status.social), budget, supported & status.near_poor, supported & (age >= 18)],
        [0.995, 0.985, 0.97, 0.93],
        0.995,
    )
    # A state-paid track starts at the 6th or 80th birthday, else before the history.
    turned_6 = supported & status.student & (sixth > cal.history)
    turned_80 = budget & ~status.poor & ~status.social & (eighty > cal.history)
    track_start = np.select([turned_6, turned_80], [sixth, eighty], cal.history)
    for mask, group in ((budget, 3), (supported, 4)):
        keeps = mask & (rng.random(n) < take_up)
        rows = np.flatnonzero(keeps)
        parts.append(_yearly_cards(rows, group, track_start[rows], np.full(len(rows), cal.year_end), cal))
        lapsed = np.flatnonzero(mask & ~keeps & (rng.random(n) < 0.5))  # had last year's card only
        parts.append(_yearly_cards(lapsed, group, track_start[lapsed], np.full(len(lapsed), cal.year_start - 1), cal))
        covered_elsewhere[mask] = take_up[mask]

    # The unemployed on benefit: group 2 for three months after the job ended (when they had BHTN).
    benefit = (spans.scheme == 0) & spans.bhtn & (spans.last >= 0) & (status.labour[spans.person] == UNEMPLOYED)
    benefit &= month_of(np.int64(cal.month)) - spans.last <= 6
    start = month_start(spans.last[benefit] + 2)
    shown = start <= cal.as_of
    parts.append(Cards.of(spans.person[benefit][shown], 2, start[shown], add_months(start[shown], 3) - 1))

    # Who left a job (or a benefit) during the history holds household cards only from then on.
    covered_until = np.zeros(n, dtype=np.int64)
    ended = (spans.scheme == 0) & (spans.last >= 0)
    np.maximum.at(covered_until, spans.person[ended], month_start(spans.last[ended] + 1) - 1)
    np.maximum.at(covered_until, spans.person[benefit][shown], add_months(start[shown], 3) - 1)

    pool = ~tracked
    parts.append(_household_cards(rng, province, people, pool, covered_elsewhere, covered_until, status))
    parts.append(_cards_before_track(rng, people, eighty, entrant_from, status, cal))
    parts.append(_duplicate_cards(rng, tracked & ~child & (age >= 18), cal))
    return Cards.join(parts)


def _household_cards(
    rng: np.random.Generator, province: Province, people: People, pool: np.ndarray,
    covered_elsewhere: np.ndarray, covered_until: np.ndarray, status: Status,
) -> Cards:
    """Household cards of those no one else pays for, household by household.

    A household either holds cards on as_of or not (its pool members together), with a few members left
    out of an insured household. Insured households renewed all along (since a random month long ago)
    or joined during the history, some of them after a gap; uninsured ones let their cards lapse during
    the history or never had one. The shares are set so each commune reaches its level on as_of and the
    province gains about 0.24 points a month since January.
    """
    cal = province.calendar
    n = len(pool)
    communes = len(province.communes)
    residents = np.bincount(people.commune, minlength=communes)
    pool_size = np.bincount(people.commune, weights=pool, minlength=communes)
    uncovered = np.where(pool, 0.0, 1.0 - covered_elsewhere)
    uncovered_elsewhere = np.bincount(people.commune, weights=uncovered, minlength=communes)
    with np.errstate(divide="ignore", invalid="ignore"):
        lacking = (1 - province.bhyt_level) * residents - uncovered_elsewhere
        share = np.clip(np.nan_to_num(lacking / pool_size), 0.0, 0.9)  # pool members without a card on as_of
    alone = np.minimum(0.04, share / 2)  # members left out of an insured household
    household_share = (share - alone) / (1 - alone)

    lapse_rate = 0.55
    joined = _joining_share(cal, n, (pool_size * (1 - share)).sum(), (pool_size * share).sum(), lapse_rate)

    households = len(people.household_size)
    h_commune = people.household_commune
    insured_h = rng.random(households) >= household_share[h_commune]
    state = rng.random(households)
    # Insured: renewed since long ago (anniversary on a random day) or joined during the history.
    long_ago = cal.history - rng.integers(1, 3650, households)
    recent_year = rng.random(households) < 0.65
    joined_on = np.where(
        recent_year,
        day_in(rng, cal.year_start, cal.as_of, households),
        day_in(rng, cal.history, cal.year_start - 1, households),
    )
    joins = insured_h & (state < joined)
    first_start = np.where(joins, joined_on, long_ago)
    open_last = _latest_anniversary(first_start, cal)
    # Uninsured: the last card ended some day of the history, or there never was one.
    lapsed_h = ~insured_h & (state < lapse_rate)
    ended_on = day_in(rng, cal.history, cal.as_of - 1, households)
    closed_last = add_months(ended_on + 1, -12)
    # Some who joined had lapsed before: their previous cards ended 1–10 months before joining.
    resumed = joins & (rng.random(households) < 0.4)
    previous_end = joined_on - rng.integers(30, 300, households)

    members = np.flatnonzero(pool)
    h = people.household[members]
    alone_out = rng.random(len(members)) < alone[people.commune[members]]
    group = np.where(status.farming[members], 4, 5).astype(np.int8)
    # A member whose employer card ran during the history joined on the day after it ended, on a cycle
    # of their own; the household's earlier cards did not include them.
    joined_alone = covered_until[members] >= np.maximum(first_start[h], cal.history)
    own_first = np.where(joined_alone, covered_until[members] + 1, first_start[h])
    since = np.where(joined_alone, own_first, cal.history - 5000)
    parts = []
    rows = insured_h[h] & ~alone_out
    last_start = np.where(joined_alone, _latest_anniversary(own_first, cal), open_last[h])
    parts.append(_chain_cards(members[rows], group[rows], last_start[rows], own_first[rows], cal))
    rows = lapsed_h[h]
    parts.append(_chain_cards(members[rows], group[rows], closed_last[h[rows]], since[rows], cal))
    rows = resumed[h] & ~alone_out & (previous_end[h] >= cal.history)
    previous_last = add_months(previous_end[h[rows]] + 1, -12)
    parts.append(_chain_cards(members[rows], group[rows], previous_last, since[rows], cal))
    return Cards.join(parts)


def _joining_share(cal: ExtractCalendar, persons: int, insured: float, uninsured: float, lapse_rate: float) -> float:
    """Share of insured households that joined during the history, so that coverage rises since January.

    Joiners (65% of them this year) add to the coverage of the months after they join; households that
    lapsed this year take away from it. Early in a year there is no rise to make: a plain 12% then.
    """
    this_year = cal.as_of - cal.year_start + 1
    gain = 0.65 * max(this_year - 31, 0) / this_year * insured  # joined after January, per unit of share
    if gain < 0.05 * insured:
        return 0.12
    loss = lapse_rate * (this_year - 1) / max(cal.as_of - cal.history, 1) * uninsured
    rise = BHYT_RISE_PER_MONTH * (month_of(np.int64(cal.month)) - month_of(np.int64(cal.year_start))) * persons
    return float(np.clip((rise + loss) / gain, 0.03, 0.4))


def _cards_before_track(
    rng: np.random.Generator, people: People, eighty: np.ndarray, entrant_from: np.ndarray, status: Status,
    cal: ExtractCalendar,
) -> Cards:
    """Household cards held before a track began during the history, left to run out (so they overlap).

    New contract workers over 24 often had one (half of them); people who turned 80 nearly all did.
    Young new workers still had their student card for the year.
    """
    n = len(eighty)
    state_paid_before = (status.pension_from > 0) | status.poor | status.social
    became_80 = (eighty > cal.history) & (eighty <= cal.as_of) & ~state_paid_before
    entrant = entrant_from > 0
    switch = np.where(became_80, eighty, entrant_from)
    had_card = (became_80 & (rng.random(n) < 0.85)) | (entrant & (people.age > 24) & (rng.random(n) < 0.5))
    rows = np.flatnonzero(had_card)
    last_start = switch[rows] - rng.integers(1, 365, len(rows))
    long_ago = np.full(len(rows), cal.history - 4000)
    household = _chain_cards(rows, np.full(len(rows), 5, np.int8), last_start, long_ago, cal)
    students = np.flatnonzero(entrant & (people.age <= 24))
    year_end = january_first(year_of(entrant_from[students]) + 1) - 1
    school = _yearly_cards(students, 4, np.full(len(students), cal.history), year_end, cal)
    return Cards.join([household, school])


def _duplicate_cards(rng: np.random.Generator, eligible: np.ndarray, cal: ExtractCalendar) -> Cards:
    """A household card bought by a person who already holds another one ("thẻ trùng", 0.4%)."""
    rows = np.flatnonzero(eligible & (rng.random(len(eligible)) < 0.004))
    start = cal.as_of - rng.integers(0, 330, len(rows))
    return _chain_cards(rows, np.full(len(rows), 5, np.int8), start, start, cal)
