"""The contribution ledger of a synthetic province: one due row per unit and month while it is open, and the
payments, with late episodes, stoppers and overpayers planted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ansinh.demo.synthetic.arrays import date_column, pick
from ansinh.demo.synthetic.days import month_start
from ansinh.demo.synthetic.firm_world import BASE_SALARY, CONTRIBUTION_RATE, LATE_SHARE, NEVER, OVERPAYERS, PARTIAL, STOPPERS, UNIT_ACTIVE, YEARLY_RAISE

if TYPE_CHECKING:
    from ansinh.demo.synthetic.firm_world import LedgerCalendar, World


def _delays(rng: np.random.Generator, count: int) -> np.ndarray:
    """Days a late payment comes after the deadline: mostly days, sometimes months (1–200)."""
    kind = rng.random(count)
    short = 1 + np.minimum(np.floor(rng.exponential(8.0, count)), 29)
    medium = rng.integers(31, 91, count)
    long = rng.integers(91, 201, count)
    return np.where(kind < 0.72, short, np.where(kind < 0.94, medium, long)).astype(np.int64)


def draw_ledger(rng: np.random.Generator, world: World, cal: LedgerCalendar) -> tuple[pa.Table, dict[str, int]]:
    """Due rows month by month, and the payments: on time, late episodes, stoppers, overpayments."""
    n = len(world.unit_entity)
    never = cal.last + NEVER
    infinite = np.iinfo(np.int64).max // 4
    opened = np.maximum(world.unit_opened_month, cal.first)
    last_due = np.minimum(world.unit_closed_month - 1, cal.last)
    end_ref = np.minimum(world.unit_closed_month - 1, cal.last)
    workers = world.unit_history_workers.astype(np.float64)
    growth = rng.normal(0.03, 0.1, n)
    base = np.maximum(np.round(BASE_SALARY * rng.lognormal(-0.03, 0.25, n), -3), 4_200_000)
    last_year = (cal.last // 12)

    # Stoppers: 1% of active units stop 3–12 months and pay a lump sum (65%) or never; closed-outside units
    # that stopped. Months they leave unpaid are late months the random episodes need not make.
    active_now = world.unit_status == UNIT_ACTIVE
    stopper = active_now & (world.unit_stops_paying >= never) & (rng.random(n) < STOPPERS)
    length = rng.integers(3, 13, n)
    lump = rng.random(n) < 0.65
    latest_start = cal.last - length - 1
    early = cal.first + (rng.random(n) * np.maximum(latest_start - cal.first, 0)).astype(np.int64)
    streak_start = np.where(lump, early, cal.last - length + 1)
    streak_start = np.maximum(streak_start, opened)
    stopper &= streak_start <= cal.last - 1
    streak_start = np.where(stopper, streak_start, never)
    lump_day = month_start(np.minimum(streak_start + length + 1, never)) + rng.integers(4, 27, n)
    streak_catch = np.where(lump, lump_day, infinite)
    stops_paying = np.where(world.unit_stops_paying < never, np.maximum(world.unit_stops_paying, opened), never)

    # Late months the stoppers make (deadline passed on as_of): the rest comes from random episodes.
    eligible = np.maximum(0, np.minimum(last_due, cal.last - 1) - opened + 1)
    forced_lump = np.where(stopper & lump, np.minimum(length, np.maximum(0, cal.last - streak_start)), 0)
    forced_never = np.where(stopper & ~lump, np.maximum(0, cal.last - streak_start), 0)
    forced_ca = np.where(stops_paying < never, np.maximum(0, np.minimum(last_due, cal.last - 1) - stops_paying + 1), 0)
    forced = forced_lump + forced_never + forced_ca
    free = np.maximum(eligible - forced, 0).astype(np.float64)
    propensity = np.array([0.1, 1.0, 5.0])[pick(rng, (0.78, 0.17, 0.05), n)]
    sample = _delays(np.random.default_rng(0), 20_000)
    per_episode = float(np.mean(1 + np.floor(sample / 30.44)))
    # Episodes cut short by the end of the extract, and months lost to blocking, fall ~3% short: made up here.
    wanted = 1.03 * LATE_SHARE * eligible.sum() - forced.sum()
    probability = _solve_episode_rate(propensity, free, per_episode, max(wanted, 0.0))
    overpayer = rng.random(n) < OVERPAYERS

    catch = np.zeros(n, np.int64)  # day the running episode's arrears are paid (0: none)
    owed = np.zeros(n, np.int64)
    owed_from = np.full(n, -1, np.int64)
    credit = np.zeros(n, np.int64)
    partial = np.zeros(n, dtype=bool)
    fraction = np.zeros(n)
    due_parts: list[tuple[np.ndarray, ...]] = []
    pay_parts: list[tuple[np.ndarray, ...]] = []
    episodes = 0

    def pay(rows: np.ndarray, period: np.ndarray, amount: np.ndarray, day: np.ndarray) -> None:
        keep = (amount > 0) & (day <= cal.as_of)  # the extract knows nothing after its day
        pay_parts.append((rows[keep].astype(np.int32), period[keep].astype(np.int32), amount[keep],
                          day[keep].astype(np.int32)))

    for month in range(cal.first, cal.last + 1):  # a loop over months, whole arrays of units inside
        open_now = (opened <= month) & (month <= last_due)
        rows = np.flatnonzero(open_now)
        since = (np.minimum(month, end_ref[rows]) - end_ref[rows]) / 12.0
        headcount = np.maximum(1, np.round(workers[rows] * np.exp(growth[rows] * since)))
        salary = np.round(base[rows] * (1 + YEARLY_RAISE) ** (month // 12 - last_year), -3)
        due_amount = np.round(headcount * salary * CONTRIBUTION_RATE).astype(np.int64)
        due = np.zeros(n, np.int64)
        due[rows] = due_amount
        due_parts.append((rows.astype(np.int32), np.full(len(rows), month, np.int32), due_amount))

        next_start = int(month_start(np.int64(month + 1)))
        deadline = int(month_start(np.int64(month + 2))) - 1
        length_next = deadline - next_start + 1
        regular = next_start + 4 + np.floor(rng.beta(1.6, 1.1, n) * (length_next - 4)).astype(np.int64)
        # Episodes whose arrears are paid before this month's payment day end now.
        ending = np.flatnonzero((catch > 0) & (catch <= regular))
        period = np.where(rng.random(len(ending)) < 0.5, owed_from[ending], -1)
        pay(ending, period, owed[ending], catch[ending])
        catch[ending] = 0
        owed[ending] = 0
        busy = catch > 0
        # New episodes: streaks, closed-outside units that stop, random late months.
        starting = open_now & ~busy & (rng.random(n) < probability)
        catch[starting] = deadline + _delays(rng, int(starting.sum()))
        partial[starting] = rng.random(int(starting.sum())) < PARTIAL
        fraction[starting] = rng.uniform(0.3, 0.8, int(starting.sum()))
        episodes += int(starting.sum())
        streak = open_now & (streak_start == month)
        catch[streak] = streak_catch[streak]
        partial[streak] = False
        stop = open_now & (stops_paying == month)
        catch[stop] = infinite
        partial[stop] = False
        new = starting | streak | stop
        owed_from[new & ~busy] = month
        busy = catch > 0
        # This month's dues: paid on the regular day, or (partly) carried into the episode's arrears.
        in_episode = open_now & busy
        part = np.where(partial & in_episode, np.floor(due * fraction), 0).astype(np.int64)
        owed[in_episode] += due[in_episode] - part[in_episode]
        episode_rows = np.flatnonzero(in_episode & (part > 0))
        pay(episode_rows, np.full(len(episode_rows), month), part[episode_rows], regular[episode_rows])
        normal = np.flatnonzero(open_now & ~busy)
        amount = np.maximum(due[normal] - credit[normal], 0)
        credit[normal] = np.maximum(credit[normal] - due[normal], 0)
        over = overpayer[normal] & (rng.random(len(normal)) < 0.1)
        extra = np.where(over, np.round(due[normal] * rng.uniform(0.05, 0.6, len(normal)), -3), 0).astype(np.int64)
        credit[normal] += extra
        pay(normal, np.full(len(normal), month), amount + extra, regular[normal])

    finishing = np.flatnonzero((catch > 0) & (catch < infinite))
    pay(finishing, np.where(rng.random(len(finishing)) < 0.5, owed_from[finishing], -1), owed[finishing],
        catch[finishing])

    # Rows unit by unit, each month's due row before the payments of its day; the columns are gathered one by
    # one so that a province's twenty million rows never sit in memory twice over.
    n_due = sum(len(p[0]) for p in due_parts)
    unit = np.concatenate([p[0] for p in due_parts] + [p[0] for p in pay_parts])
    period = np.concatenate([p[1] for p in due_parts] + [p[1] for p in pay_parts])
    amount = np.concatenate([p[2] for p in due_parts] + [p[2] for p in pay_parts])
    day = np.concatenate([p[3] for p in pay_parts]) if pay_parts else np.zeros(0, np.int32)
    due_parts.clear()
    pay_parts.clear()
    day = np.concatenate([month_start(period[:n_due]).astype(np.int32), day])
    origin = int(month_start(np.int64(cal.first))) - 1
    key = (unit.astype(np.int64) << 20) | ((day - origin).astype(np.int64) << 1)
    key[n_due:] |= 1
    order = np.argsort(key)
    del key
    payment = order >= n_due
    unit_codes = world.unit_codes.take(pa.array(unit[order]))
    del unit
    period = period[order]
    period_dates = date_column(month_start(np.maximum(period, cal.first)), period < 0)
    del period
    amount = amount[order]
    amount_due = pa.array(np.where(payment, 0, amount))
    amount_paid = pa.array(np.where(payment, amount, 0))
    del amount
    paid_on = date_column(np.where(payment, day[order], 0), ~payment)
    del day, order
    table = pa.table({"unit_code": unit_codes, "period": period_dates, "amount_due": amount_due,
                      "amount_paid": amount_paid, "paid_on": paid_on})
    counts = {
        "ledger.late_episodes": episodes,
        "ledger.stoppers_lump_sum": int((stopper & lump).sum()),
        "ledger.stoppers_never": int((stopper & ~lump).sum()),
        "ledger.closed_active_stopped": int((world.unit_stops_paying < never).sum()),
        "ledger.overpayers": int(overpayer.sum()),
    }
    return table, counts


def _solve_episode_rate(propensity: np.ndarray, free: np.ndarray, per_episode: float, wanted: float) -> np.ndarray:
    """Monthly chance of a late episode per unit, ∝ its propensity, so that the expected late months are
    `wanted`; a running episode blocks new ones, so each unit starts p / (1 + p (L − 1)) a month."""
    def late_months(scale: float) -> float:
        p = np.minimum(scale * propensity, 0.9)
        return float((free * per_episode * p / (1 + p * (per_episode - 1))).sum())

    low, high = 0.0, 1.0
    while late_months(high) < wanted and high < 1e3:
        high *= 2
    for _ in range(50):
        middle = (low + high) / 2
        if late_months(middle) < wanted:
            low = middle
        else:
            high = middle
    return np.minimum(high * propensity, 0.9)
