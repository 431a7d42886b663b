"""Enterprise names and addresses, written every way real lists write them (capitals, no diacritics, another
form of the legal form, typos), as flat pyarrow tables so millions of names are drawn at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.demo.synthetic import firm_names as fn
from ansinh.demo.synthetic import names as person_names
from ansinh.demo.synthetic.arrays import pick
from ansinh.demo.synthetic.firm_world import NAME_VARIANTS

if TYPE_CHECKING:
    from ansinh.demo.synthetic.firm_world import Places, World


# Word-table forms: canonical, capitals, no diacritics, then four typos.
_CANON, _UPPER, _PLAIN = 0, 1, 2
_TYPO_FORMS = 4


@dataclass(frozen=True)
class Vocabulary:
    """Every piece of a name, in every way it can be written, as flat pyarrow tables (form × id)."""

    legal: pa.Array  # forms: canon, upper, plain, "…,", alternative 1–3
    trade: pa.Array  # forms: canon, upper, plain, dashed ("Thương mại - Dịch vụ"), folded
    words: pa.Array  # syllables then places; forms: canon, upper, plain, typo 1–4, folded
    n_legal: int
    n_trade: int
    n_words: int
    n_syllables: int
    syllable_weights: np.ndarray
    trade_empty: np.ndarray
    sectors: pa.Array  # by trade id: VSIC label
    public_kind_of_trade: np.ndarray

    @classmethod
    def of(cls, places: Places) -> Vocabulary:
        legal_rows = []
        for form in fn.LEGAL_FORMS:
            alternatives = list(form.alternatives) * 3
            legal_rows.append([form.canonical, form.canonical.upper(), fn.plain(form.canonical), form.canonical + ",",
                               *alternatives[:3]])
        trades = fn.TRADES
        trade_rows = [[" ".join(p), " ".join(p).upper(), fn.plain(" ".join(p)), " - ".join(p), fn.folded(" ".join(p))]
                      for p in trades.phrases]
        syllables = [s for s, _ in fn.SYLLABLES]
        word_list = syllables + list(places.short)
        forbidden = {fn.folded(w) for w in word_list}
        word_rows = []
        for word in word_list:
            mistyped = fn.typos(word, forbidden, _TYPO_FORMS) or (word,) * _TYPO_FORMS  # none: never with these tables
            word_rows.append([word, word.upper(), fn.plain(word), *mistyped, fn.folded(word)])
        return cls(
            legal=_flat(legal_rows),
            trade=_flat(trade_rows),
            words=_flat(word_rows),
            n_legal=len(legal_rows),
            n_trade=len(trade_rows),
            n_words=len(word_rows),
            n_syllables=len(syllables),
            syllable_weights=np.array([w for _, w in fn.SYLLABLES], dtype=np.float64),
            trade_empty=np.array([len(p) == 0 for p in trades.phrases]),
            sectors=pa.array([fn.SECTORS[s] for s in trades.sectors], type=pa.string()),
            public_kind_of_trade=np.array(trades.public_kind),
        )


def _flat(rows: list[list[str]]) -> pa.Array:
    """Rows of forms → one array indexed form * len(rows) + id."""
    forms = len(rows[0])
    return pa.array([fn.nfc(rows[i][f]) for f in range(forms) for i in range(len(rows))], type=pa.string())


def draw_names(rng: np.random.Generator, world: World, vocab: Vocabulary, places: Places) -> None:
    """Trade words and distinctive words for every parent and public body, unique in folded form."""
    n_tax = world.records
    n_public = len(world.public_kind)
    parents = np.arange(world.parents)
    trades = fn.TRADES
    legal = world.legal[parents]
    trade = np.zeros(world.parents, np.int64)
    groups = {fn.TNHH: trades.company, fn.TNHH_MTV: trades.company, fn.CP: trades.company, fn.DNTN: trades.dntn,
              fn.HTX: trades.htx, fn.STATE: trades.state}
    for form, weights in groups.items():  # a loop over six legal forms
        rows = np.flatnonzero(legal == form)
        trade[rows] = pick(rng, weights, len(rows))
    kind_trade = {kind: i for i, kind in enumerate(trades.public_kind) if kind >= 0}
    public_trade = np.array([kind_trade[int(k)] for k in range(len(fn.PUBLIC_KINDS))])[world.public_kind]
    # Cooperatives, state companies and some public bodies are named after their place.
    place = np.full(world.parents + n_public, -1, np.int64)
    place[:world.parents] = np.where(legal == fn.HTX, world.commune[parents],
                                     np.where(legal == fn.STATE, len(places.short) - 1, -1))
    by_commune = np.array([kind[4] for kind in fn.PUBLIC_KINDS])[world.public_kind]
    place[world.parents:] = np.where(by_commune | (rng.random(n_public) < 0.2), world.commune[n_tax:], -1)
    named_trade = np.concatenate([trade, public_trade])
    words = _unique_words(rng, vocab, named_trade, place)
    # Branches carry their parent's name; public entities follow the records.
    entity_trade = np.concatenate([trade[world.parent], public_trade])
    entity_words = np.concatenate([words[:world.parents][world.parent], words[world.parents:]])
    world.trade = entity_trade
    world.words = entity_words
    world.typo_pick = rng.integers(0, _TYPO_FORMS, n_tax + n_public)


def _unique_words(rng: np.random.Generator, vocab: Vocabulary, trade: np.ndarray, place: np.ndarray) -> np.ndarray:
    """Distinctive words (up to three word ids) so that trade words + distinctive name never repeat in folded
    form: two syllables (or the place) first; a name already taken gets three syllables, as registrars make
    founders do ("Phú Hưng Thịnh")."""
    n = len(trade)
    words = np.full((n, 3), -1, np.int64)
    has_place = place >= 0
    words[:, 0] = np.where(has_place, vocab.n_syllables + np.maximum(place, 0), _syllables(rng, vocab, n))
    second = _syllables(rng, vocab, n)
    second = np.where(second == words[:, 0], (second + rng.integers(1, vocab.n_syllables, n)) % vocab.n_syllables,
                      second)
    words[:, 1] = np.where(has_place, -1, second)
    todo = np.arange(n)
    for _ in range(20):
        keys = _folded_keys(vocab, trade, words)
        encoded = keys.dictionary_encode().indices.to_numpy(zero_copy_only=False)
        _, first = np.unique(encoded, return_index=True)
        duplicate = np.ones(n, dtype=bool)
        duplicate[first] = False
        todo = np.flatnonzero(duplicate)
        if not len(todo):
            return words
        m = len(todo)
        picked = np.stack([_syllables(rng, vocab, m) for _ in range(3)], axis=1)
        picked[:, 1] = np.where(picked[:, 1] == picked[:, 0], (picked[:, 1] + 1) % vocab.n_syllables, picked[:, 1])
        clash = (picked[:, 2] == picked[:, 0]) | (picked[:, 2] == picked[:, 1])
        picked[:, 2] = np.where(clash, (picked[:, 2] + 2) % vocab.n_syllables, picked[:, 2])
        picked[:, 2] = np.where((picked[:, 2] == picked[:, 0]) | (picked[:, 2] == picked[:, 1]),
                                (picked[:, 2] + 3) % vocab.n_syllables, picked[:, 2])
        words[todo] = picked
    raise RuntimeError("could not make enterprise names unique")  # pragma: no cover


def _syllables(rng: np.random.Generator, vocab: Vocabulary, count: int) -> np.ndarray:
    return pick(rng, vocab.syllable_weights, count)


def _folded_keys(vocab: Vocabulary, trade: np.ndarray, words: np.ndarray) -> pa.Array:
    folded_trade = 4
    folded_word = 3 + _TYPO_FORMS
    pieces = [_take(vocab.trade, folded_trade * vocab.n_trade + trade, vocab.trade_empty[trade])]
    for column in range(3):
        ids = words[:, column]
        pieces.append(_take(vocab.words, folded_word * vocab.n_words + np.maximum(ids, 0), ids < 0))
    return pc.binary_join_element_wise(*pieces, " ", null_handling="skip")


def _take(table: pa.Array, index: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return table.take(pa.array(np.asarray(index, dtype=np.int64), mask=missing))


def written_names(
    rng: np.random.Generator, world: World, vocab: Vocabulary, places: Places, entities: np.ndarray,
    variant: np.ndarray, typo: np.ndarray | None = None, abridged: np.ndarray | None = None,
) -> pa.Array:
    """The names of `entities` written in the given NAME_VARIANTS way; typos in the last distinctive word,
    trade words left out when abridged. Branches: "Chi nhánh [số k] <parent's name> tại <commune>"."""
    n = len(entities)
    typo = np.zeros(n, dtype=bool) if typo is None else typo
    abridged = np.zeros(n, dtype=bool) if abridged is None else abridged
    same, case, legal_form, no_diacritics, punctuation = range(len(NAME_VARIANTS))
    word_form = np.select([variant == case, variant == no_diacritics], [_UPPER, _PLAIN], _CANON)

    legal = world.legal[entities]
    legal_form_index = np.select(
        [variant == case, variant == no_diacritics, variant == punctuation, variant == legal_form],
        [1, 2, 3, 4 + rng.integers(0, 3, n)], 0,
    )
    legal_piece = _take(vocab.legal, legal_form_index * vocab.n_legal + np.maximum(legal, 0), legal < 0)
    trade = world.trade[entities]
    trade_form = np.select([variant == case, variant == no_diacritics, variant == punctuation], [1, 2, 3], 0)
    trade_piece = _take(vocab.trade, trade_form * vocab.n_trade + trade, vocab.trade_empty[trade] | abridged)
    words = world.words[entities]
    last = np.where(words[:, 2] >= 0, 2, np.where(words[:, 1] >= 0, 1, 0))
    word_pieces = []
    for column in range(3):
        ids = words[:, column]
        form = np.where(typo & (last == column), 3 + world.typo_pick[entities], word_form)
        word_pieces.append(_take(vocab.words, form * vocab.n_words + np.maximum(ids, 0), ids < 0))

    branch_k = np.zeros(n, np.int64)
    is_record = entities < world.records
    branch_k[is_record] = world.branch_k[entities[is_record]]
    branch = branch_k > 0
    fixed = pa.array(["Chi nhánh", "CHI NHÁNH", "Chi nhanh", "số", "SỐ", "so", "tại", "TẠI", "tai", "."])
    style = np.select([variant == case, variant == no_diacritics], [1, 2], 0)
    pre = _take(fixed, style, ~branch)
    number = pc.binary_join_element_wise(
        _take(fixed, 3 + style, ~branch | (branch_k < 2)), pc.cast(pa.array(branch_k), pa.string()), " ")
    commune = world.commune[np.where(is_record, entities, 0)]
    at = _take(fixed, 6 + style, ~branch)
    where = _take(vocab.words, word_form * vocab.n_words + vocab.n_syllables + commune, ~branch)
    tail = _take(fixed, np.full(n, 9), variant != punctuation)
    return pc.binary_join_element_wise(pre, number, legal_piece, trade_piece, *word_pieces, at, where, tail, " ",
                                       null_handling="skip")


def addresses(rng: np.random.Generator, world: World, places: Places, commune: np.ndarray,
               zone: np.ndarray) -> pa.Array:
    """"<số> <đường>, <xã/phường>, <tỉnh/thành phố>": streets in wards, roads and hamlets in rural communes,
    lots in the zones."""
    n = len(commune)
    urban = places.urban[commune]
    number = np.minimum(np.ceil(rng.lognormal(np.log(60), 1.1, n)), 999).astype(np.int64)
    alley = np.minimum(np.ceil(rng.lognormal(np.log(12), 0.8, n)), 199).astype(np.int64)
    streets = pa.array(fn.STREETS)
    roads = pa.array(fn.ROADS)
    hamlets = pa.array([f"Ấp {h}" for h in person_names.HAMLETS])
    number_text = pc.cast(pa.array(number), pa.string())
    with_alley = pc.binary_join_element_wise(number_text, pc.cast(pa.array(alley), pa.string()), "/")
    mode = np.where(urban, np.where(rng.random(n) < 0.3, 1, 0), np.where(rng.random(n) < 0.55, 2, 3))
    mode = np.where(zone >= 0, 4, mode)
    street = streets.take(pa.array(rng.integers(0, len(streets), n)))
    road = roads.take(pa.array(rng.integers(0, len(roads), n)))
    hamlet = hamlets.take(pa.array(rng.integers(0, len(hamlets), n)))
    lot = pc.binary_join_element_wise(
        pa.array(np.full(n, "Lô")), pc.binary_join_element_wise(
            pa.array(np.array(list("ABCDEFGH"))[rng.integers(0, 8, n)]),
            pc.cast(pa.array(rng.integers(1, 40, n)), pa.string()), ""), " ")
    zone_name = pa.array(list(world.zone_names) + [""]).take(pa.array(np.where(zone >= 0, zone, len(world.zone_names))))
    first = pc.case_when(
        pc.make_struct(pa.array(mode == 0), pa.array(mode == 1), pa.array(mode == 2), pa.array(mode == 3),
                       field_names=["a", "b", "c", "d"]),
        pc.binary_join_element_wise(number_text, street, " "),
        pc.binary_join_element_wise(with_alley, street, " "),
        pc.binary_join_element_wise(road, hamlet, ", "),
        pc.binary_join_element_wise(number_text, road, " "),
        pc.binary_join_element_wise(lot, zone_name, ", "),
    )
    commune_names = pa.array(places.names).take(pa.array(commune))
    return pc.binary_join_element_wise(first, commune_names, pa.array(np.full(n, places.province_name)), ", ")
