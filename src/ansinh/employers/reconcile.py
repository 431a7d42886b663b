"""Reconciliation: which BHXH unit is each enterprise on the tax, economic-zone and union lists, and what
follows from it — enterprises that employ people but are not registered, units that declare fewer workers
than they pay tax for, units closed outside but still active at BHXH, and matches an officer must confirm.

How a record finds its unit, strongest evidence first (each record keeps its best candidate):
1. the same tax code (100);
2. the same normalised name in the same commune (98), or in another commune of the province when the name
   is unique there (96: the enterprise moved, or its address is written differently) — normalised means
   lower case, no diacritics, legal-form words removed ("Công ty TNHH", "CTCP", "DNTN", "MTV", …);
   Vietnamese law forbids two enterprises the same name, so an exact normalised name is strong evidence;
3. a branch `0301234567-001` with no unit of its own (by code or by name) → its head office's unit,
   found by the head office's code or, failing that, by the head office's own match (97);
4. a fuzzy name score (rapidfuzz token-sort ratio of the normalised names) against the units still
   unmatched in the same commune.
A score at or above `auto_score` is a match; from `review_score` up it is a question for an officer; an
officer's answer (MatchDecision) is final: a confirmed pair scores 100, a rejected pair is never proposed.

The names are folded by Ibis on the engine (DuckDB or Spark, from `ansinh.engine.backends`): that is the
heavy, per-row part. Joining the folded keys and scoring the few names left over is done in pandas and
rapidfuzz on the results (rapidfuzz has no Spark form, and what is left is small by then). The steps run
through `ansinh.engine.steps`, like every pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from ansinh.employers import storage
from ansinh.employers.schema import DATASETS
from ansinh.engine.backends import Engine, connect
from ansinh.engine.progress import Progress, no_progress
from ansinh.engine.steps import Step, Timing, run_steps

SOURCES = ("tax", "zones", "unions")
_ACCENTED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_PLAIN = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
#: Legal-form words say what kind of company it is, not which one: they differ between lists.
LEGAL_FORMS = (
    "cong ty", "cty", "ctcp", "cp", "tnhh", "trach nhiem huu han", "mot thanh vien", "hai thanh vien tro len",
    "mtv", "co phan", "doanh nghiep tu nhan", "doanh nghiep tn", "dn tu nhan", "dntn", "hop tac xa", "htx",
)
_LEGAL_FORMS = r"\b(" + "|".join(sorted(LEGAL_FORMS, key=len, reverse=True)) + r")\b"
_NOT_DISTINCTIVE = r"(" + _LEGAL_FORMS + r"|[^a-z0-9])+"

#: A branch's own unit found by name (98) beats "a branch goes with its head office's unit" (97).
CODE, NAME_COMMUNE, BRANCH, NAME_PROVINCE, CONFIRMED = 100, 98, 97, 96, 101
REASONS = {
    "code": "Trùng mã số thuế",
    "branch": "Chi nhánh: khớp mã số thuế của đơn vị chính",
    "name_commune": "Trùng tên (đã chuẩn hoá) trong cùng xã, phường",
    "name_province": "Trùng tên (đã chuẩn hoá), khác xã, phường",
    "fuzzy": "Tên gần giống trong cùng xã, phường",
    "confirmed": "Cán bộ đã xác nhận",
}
CLOSED = ("suspended", "dissolved", "bankrupt")


class ReconcileSettings(BaseModel):
    """What a reconciliation runs on: the data directory, the engine, the thresholds, and the officers'
    decisions; validated once, buildable by any door, it meets a backend only when `reconcile` runs it."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path | None = None  # None: <ANSINH_DATA_DIR>/employers
    engine: Engine = "duckdb"  # folds the names; matching runs in pandas whatever the engine
    debug: bool = False  # materialise and time each Ibis step
    auto_score: int = 95
    review_score: int = 80
    confirmed: frozenset[tuple[str, str, str]] = frozenset()  # (source, record key, unit_code)
    rejected: frozenset[tuple[str, str, str]] = frozenset()


@dataclass
class ReconcileResult:
    matches: pd.DataFrame  # source, record, key, tax_code, unit_code, score, method, accepted
    findings: pd.DataFrame  # kind, key, tax_code, unit_code, name, commune_code, detail (dict)
    timings: list[Timing] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = self.findings["kind"].value_counts().to_dict() if len(self.findings) else {}
        accepted = self.matches[self.matches["accepted"]] if len(self.matches) else self.matches
        return {
            "records": int(self.matches.attrs.get("records", 0)),
            "units": int(self.matches.attrs.get("units", 0)),
            "matched": int(len(accepted)),
            **{kind: int(found.get(kind, 0)) for kind in ("unregistered", "under_declared", "closed_active", "uncertain")},
        }


# ----------------------------------------------------------------------------------- Ibis: fold names


def fold_name(name: ir.StringValue) -> ir.StringValue:
    """The name as two lists written by different offices still agree on: the distinctive words only.

    One pass of one regular expression turns every run of legal-form words and punctuation into a single
    space (string work is most of a reconciliation's time: each pass over a million names costs seconds)."""
    plain = name.lower().translate(_ACCENTED, _PLAIN)
    return plain.re_replace(_NOT_DISTINCTIVE, " ").strip()


def outside_records(tables: dict[str, ir.Table]) -> ir.Table:
    """Every outside record in one shape: source, its row in the list, its key, tax code and parent code,
    name, folded name, commune, status (zones and unions list operating enterprises) and its workers.

    The key is the tax code, or for a zone or union row written without one, "~" and the folded name
    (names are unique by law): what officers' decisions and worklist items remember the record by."""
    def shape(source: str, table: ir.Table, status, workers) -> ir.Table:
        norm = fold_name(table.name)
        return table.select(
            source=ibis.literal(source), record=ibis.row_number().cast("int64"),
            key=table.tax_code.fill_null(ibis.literal("~") + norm), tax_code=table.tax_code,
            parent_code=table.tax_code.substr(0, 10), name=table.name, norm=norm,
            commune_code=table.commune_code.cast("string"), status=status, workers=workers.cast("int64").fill_null(0),
        )

    tax, zones, unions = tables["tax"], tables["zones"], tables["unions"]
    return ibis.union(
        shape("tax", tax, tax.status, tax.workers),
        shape("zones", zones, ibis.literal("active"), zones.workers),
        shape("unions", unions, ibis.literal("active"), unions.members),
    )


def bhxh_units(units: ir.Table) -> ir.Table:
    return units.select(
        "unit_code", "tax_code", "name", "commune_code", "status", workers=units.workers.cast("int64"),
        norm=fold_name(units.name),
    )


# ----------------------------------------------------------------------------------------- matching


def reconcile(settings: ReconcileSettings, *, progress: Progress = no_progress) -> ReconcileResult:
    """Match every outside record to a unit and derive the findings (see the module docstring).

    The names are folded on the engine `settings` names (the Ibis part, the same on DuckDB and Spark);
    matching and findings run in pandas and rapidfuzz, which have no Spark form, on what it hands back."""
    con = connect(settings.engine, keep_order=True)  # `record` numbers each list's rows in file order
    tables = {name: _table(con, name, settings.data_dir) for name in ("units", *SOURCES, "changes")}
    ran = run_steps(reconcile_steps(con, tables, settings), debug=settings.debug, progress=progress)
    return ReconcileResult(ran["match"], ran["findings"], ran.timings)


def reconcile_steps(con, tables: dict[str, ir.Table], settings: ReconcileSettings) -> list[Step]:
    """The named steps of a reconciliation: two Ibis expressions, read back together ("fold"), then
    the pandas steps. `con` computes the in-memory tables that stand for lists not imported yet."""

    def folded(done) -> Folded:
        return Folded(con.to_pandas(done["records"]), con.to_pandas(done["units"]), con.to_pandas(tables["changes"]))

    def matched(done) -> pd.DataFrame:
        fold = done["fold"]
        matches = match(fold.records, fold.units, settings)
        matches.attrs.update(records=len(fold.records), units=len(fold.units))
        return matches

    def found(done) -> pd.DataFrame:
        fold = done["fold"]
        return derive_findings(fold.records, fold.units, fold.changes, done["match"])

    return [
        Step("records", lambda done: outside_records(tables)),
        Step("units", lambda done: bhxh_units(tables["units"])),
        Step("fold", folded, "Chuẩn hoá tên doanh nghiệp trên các danh sách"),
        Step("match", matched, "Ghép từng bản ghi với đơn vị BHXH"),
        Step("findings", found, "Rút ra các trường hợp cần xử lý"),
    ]


class Folded(NamedTuple):
    """The Ibis part's results as pandas: outside records and units with folded names, and the changes."""

    records: pd.DataFrame
    units: pd.DataFrame
    changes: pd.DataFrame


def _table(con, name: str, directory: Path | None) -> ir.Table:
    path = storage.dataset_path(name, directory)
    if path.exists():
        return con.read_parquet(path)
    return ibis.memtable(DATASETS[name][1].empty_table().to_pandas(), schema=ibis.schema(DATASETS[name][1]))


def match(records: pd.DataFrame, units: pd.DataFrame, settings: ReconcileSettings) -> pd.DataFrame:
    """Each record's best unit (columns source, key, unit_code, score, method, record, tax_code, accepted)."""
    rejected = _pairs(settings.rejected)
    found = [_confirmed(records, settings), _by_code(records, units)]
    firm = pd.concat(found, ignore_index=True)
    done = _record_keys(firm[firm["method"] != "branch"], rejected)  # a branch may still find its own unit by name
    rest = records[~_isin(_record_key(records), done)]
    found.append(_by_name(rest, units, found, rejected))
    done = _record_keys(pd.concat(found, ignore_index=True), rejected)
    rest = records[~_isin(_record_key(records), done)]
    found.append(_by_fuzzy_name(rest, units, found, rejected, settings.review_score))
    candidates = pd.concat(found, ignore_index=True)
    candidates = candidates[~_isin(_pair_key(candidates), rejected)]
    best = candidates.sort_values(["score", "unit_code"], ascending=[False, True]).drop_duplicates(["source", "key"])
    best = best[best["score"] >= settings.review_score]
    best = pd.concat([best, _branches_of_matched(records, best, settings.auto_score)], ignore_index=True)
    best = best.merge(records[["source", "key", "record", "tax_code"]], on=["source", "key"]).reset_index(drop=True)
    best["accepted"] = best["score"] >= settings.auto_score
    return best


def _branches_of_matched(records: pd.DataFrame, best: pd.DataFrame, auto_score: int) -> pd.DataFrame:
    """Branches still without a unit go with their head office's, when it was matched by name (its unit
    has no tax code, or a wrong one, so the branch rule on codes could not see it)."""
    heads = best[best["score"] >= auto_score][["source", "key", "unit_code"]].rename(columns={"key": "parent_code"})
    open_branches = records[(records["tax_code"].str.len() > 10) & ~_isin(_record_key(records), _record_key(best))]
    found = open_branches[["source", "key", "parent_code"]].merge(heads, on=["source", "parent_code"])
    return _candidates(found, BRANCH, "branch")


def _candidates(frame: pd.DataFrame, score, method: str) -> pd.DataFrame:
    out = frame[["source", "key", "unit_code"]].copy()
    out["score"] = score
    out["method"] = method
    return out


def _isin(series: pd.Series, values) -> np.ndarray:
    """`Series.isin` for text, through Arrow: pandas' own makes one Arrow scalar per value (seconds at 1 M)."""
    wanted = values if isinstance(values, (pd.Series, pd.Index)) else list(values)
    found = pc.is_in(pa.array(series, type=pa.string()), value_set=pa.array(wanted, type=pa.string()))
    return found.to_numpy(zero_copy_only=False)


def _record_key(frame: pd.DataFrame) -> pd.Series:
    return frame["source"] + "|" + frame["key"]


def _pair_key(frame: pd.DataFrame) -> pd.Series:
    return frame["source"] + "|" + frame["key"] + "|" + frame["unit_code"]


def _pairs(pairs: frozenset[tuple[str, str, str]]) -> set[str]:
    return {"|".join(pair) for pair in pairs}


def _record_keys(candidates: pd.DataFrame, rejected: set[str]) -> pd.Series:
    """Records that already have a candidate an officer has not rejected."""
    if not len(candidates):
        return pd.Series([], dtype="string")
    return _record_key(candidates[~_isin(_pair_key(candidates), rejected)])


def _confirmed(records: pd.DataFrame, settings: ReconcileSettings) -> pd.DataFrame:
    pairs = pd.DataFrame(sorted(settings.confirmed), columns=["source", "key", "unit_code"])
    present = pairs[_isin(_record_key(pairs), _record_key(records))] if len(pairs) else pairs
    return _candidates(present, CONFIRMED, "confirmed")


def _by_code(records: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Same tax code; a branch without a unit of its own takes its parent's unit."""
    coded = units.dropna(subset=["tax_code"]).sort_values("unit_code").drop_duplicates("tax_code")[["tax_code", "unit_code"]]
    with_code = records.dropna(subset=["tax_code"])
    same = with_code[["source", "key", "tax_code"]].merge(coded, on="tax_code")
    branches = with_code[(with_code["tax_code"].str.len() > 10) & ~_isin(with_code["tax_code"], coded["tax_code"])]
    parents = branches[["source", "key", "parent_code"]].merge(
        coded.rename(columns={"tax_code": "parent_code"}), on="parent_code"
    )
    return pd.concat([_candidates(same, CODE, "code"), _candidates(parents, BRANCH, "branch")], ignore_index=True)


def _free_units(units: pd.DataFrame, found: list[pd.DataFrame], source: str) -> pd.DataFrame:
    """Units no record of this source has claimed yet (a unit is one enterprise on each list)."""
    claimed = pd.concat(found, ignore_index=True)
    taken = set(claimed.loc[claimed["source"] == source, "unit_code"]) if len(claimed) else set()
    return units[~_isin(units["unit_code"], taken) & (units["norm"] != "")]


def _by_name(rest: pd.DataFrame, units: pd.DataFrame, found: list[pd.DataFrame], rejected: set[str]) -> pd.DataFrame:
    """Same folded name: in the same commune, or anywhere in the province when the name is unique there."""
    parts = []
    for source, records in rest[rest["norm"] != ""].groupby("source"):
        free = _free_units(units, found, source)
        here = records.merge(free[["unit_code", "norm", "commune_code"]], on=["norm", "commune_code"])
        parts.append(_candidates(here, NAME_COMMUNE, "name_commune"))
        elsewhere = records[~_isin(records["key"], here["key"])]
        unique_units = free.drop_duplicates("norm", keep=False)[["unit_code", "norm"]]
        unique_records = elsewhere.drop_duplicates("norm", keep=False)
        moved = unique_records.merge(unique_units, on="norm")
        parts.append(_candidates(moved, NAME_PROVINCE, "name_province"))
    return pd.concat(parts, ignore_index=True) if parts else _candidates(rest.assign(unit_code=""), 0, "")[:0]


def _by_fuzzy_name(
    rest: pd.DataFrame, units: pd.DataFrame, found: list[pd.DataFrame], rejected: set[str], cutoff: int
) -> pd.DataFrame:
    """Best fuzzy name among the commune's units still unclaimed; one record per unit (the best)."""
    rows: list[tuple[str, str, str, float]] = []  # source, key, unit_code, score
    for source, records in rest[rest["norm"] != ""].groupby("source"):
        free = _free_units(units, found, source)
        free_by_commune = {commune: group for commune, group in free.groupby("commune_code")}
        for commune, group in records.groupby("commune_code"):
            candidates = free_by_commune.get(commune)
            if candidates is None or not len(candidates):
                continue
            rows.extend(_best_fuzzy(source, group, candidates, rejected, cutoff))
    out = pd.DataFrame(rows, columns=["source", "key", "unit_code", "score"])
    out = out.sort_values("score", ascending=False).drop_duplicates(["source", "unit_code"])
    out["method"] = "fuzzy"
    return out


def _best_fuzzy(source: str, records: pd.DataFrame, units: pd.DataFrame, rejected: set[str], cutoff: int):
    scores = process.cdist(
        records["norm"].tolist(), units["norm"].tolist(), scorer=fuzz.token_sort_ratio, score_cutoff=cutoff,
        dtype=np.uint8, workers=-1,
    )
    unit_codes = units["unit_code"].to_numpy()
    keys = records["key"].to_numpy()
    for row in np.flatnonzero(scores.max(axis=1) >= cutoff):
        for column in np.argsort(-scores[row].astype(np.int16), kind="stable"):  # uint8 cannot be negated
            score = int(scores[row, column])
            if score < cutoff:
                break
            if f"{source}|{keys[row]}|{unit_codes[column]}" not in rejected:
                yield source, keys[row], unit_codes[column], float(score)
                break


# ------------------------------------------------------------------------------------------ findings


def derive_findings(records: pd.DataFrame, units: pd.DataFrame, changes: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """The four kinds of finding, one row each, keyed so next month's run finds the same item again."""
    accepted = matches[matches["accepted"]]
    parts = [
        _unregistered(records, matches),
        _under_declared(records, units, accepted),
        _closed_active(records, units, changes, accepted),
        _uncertain(records, units, matches[~matches["accepted"]]),
    ]
    columns = ["kind", "key", "tax_code", "unit_code", "name", "commune_code", "detail"]
    return pd.concat([part[columns] for part in parts if len(part)], ignore_index=True) if any(len(p) for p in parts) else pd.DataFrame(columns=columns)


def _unregistered(records: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Operating, employing people (payroll, zone list or union members), and on no unit at BHXH.

    One finding per enterprise: its rows on the three lists share the key (tax code, or folded name)."""
    linked = pd.concat([matches["key"], matches["tax_code"].dropna().str[:10]], ignore_index=True)
    candidates = records[(records["status"] == "active") & (records["workers"] > 0) & ~_isin(records["key"], linked)]
    candidates = candidates[~_isin(candidates["parent_code"], linked)]
    if not len(candidates):
        return candidates
    order = candidates.assign(rank=candidates["source"].map({source: i for i, source in enumerate(SOURCES)}))
    order = order.sort_values(["key", "rank"])
    sources = order.groupby("key")["source"].agg(list)
    workers = order.groupby("key")["workers"].max()
    first = order.drop_duplicates("key").set_index("key")
    return pd.DataFrame({
        "kind": "unregistered", "key": first.index, "tax_code": first["tax_code"].fillna("").to_numpy(), "unit_code": "",
        "name": first["name"].to_numpy(), "commune_code": first["commune_code"].to_numpy(),
        "detail": [{"workers": int(w), "sources": s} for w, s in zip(workers.loc[first.index], sources.loc[first.index])],
    })


def _under_declared(records: pd.DataFrame, units: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """Units declaring fewer workers than the most any outside list shows for them."""
    shown = accepted.merge(records[["source", "key", "workers"]], on=["source", "key"])
    per_source = shown.groupby(["unit_code", "source"])["workers"].sum().unstack(fill_value=0)
    if not len(per_source):
        return pd.DataFrame()
    outside = per_source.max(axis=1).rename("outside")
    table = units[units["status"] == "active"].merge(outside, left_on="unit_code", right_index=True)
    table = table[table["outside"] > table["workers"]]
    detail = [
        {"declared": int(d), "outside": int(o), "gap": int(o - d), "by_source": {k: int(v) for k, v in per_source.loc[u].items() if v}}
        for u, d, o in zip(table["unit_code"], table["workers"], table["outside"])
    ]
    return _unit_findings("under_declared", table, detail)


def _closed_active(records: pd.DataFrame, units: pd.DataFrame, changes: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """Units still active at BHXH whose enterprise the tax office or the registry says is closed.

    Only the enterprise's own record counts: a branch closed on its own does not close its parent's unit."""
    own = accepted[(accepted["source"] == "tax") & (accepted["method"] != "branch")]
    tax = own.merge(records.loc[records["source"] == "tax", ["key", "status"]], on="key")
    closed_tax = tax[tax["status"].isin(CLOSED)]
    evidence: dict[str, dict] = {}
    for unit_code, code, status in zip(closed_tax["unit_code"], closed_tax["tax_code"], closed_tax["status"]):
        evidence.setdefault(unit_code, {}).update(tax_status=status, tax_code=code)
    if len(changes):
        latest = changes.sort_values("changed_on").drop_duplicates("tax_code", keep="last")
        closing = latest[latest["change"].isin(CLOSED)]
        codes = pd.concat([own[["unit_code", "tax_code"]], units[["unit_code", "tax_code"]].dropna()]).drop_duplicates()
        for row in codes.merge(closing, on="tax_code").itertuples(index=False):
            evidence.setdefault(row.unit_code, {}).update(change=row.change, changed_on=pd.Timestamp(row.changed_on).date().isoformat())
    table = units[(units["status"] == "active") & _isin(units["unit_code"], evidence)]
    return _unit_findings("closed_active", table, [evidence[u] for u in table["unit_code"]])


def _uncertain(records: pd.DataFrame, units: pd.DataFrame, unsure: pd.DataFrame) -> pd.DataFrame:
    """Matches an officer must confirm or reject: keyed by the outside record."""
    if not len(unsure):
        return pd.DataFrame()
    table = unsure.merge(records[["source", "key", "name", "commune_code"]], on=["source", "key"])
    table = table.merge(
        units[["unit_code", "name", "commune_code", "tax_code"]].rename(
            columns={"name": "unit_name", "commune_code": "unit_commune", "tax_code": "unit_tax_code"}
        ), on="unit_code",
    )
    return pd.DataFrame({
        "kind": "uncertain", "key": table["source"] + ":" + table["key"], "tax_code": table["tax_code"].fillna(""),
        "unit_code": table["unit_code"], "name": table["name"],
        "commune_code": table["unit_commune"].fillna(table["commune_code"]),
        "detail": [
            {"source": s, "record_key": k, "score": float(score), "method": m, "unit_name": un,
             "unit_tax_code": ut if isinstance(ut, str) else ""}
            for s, k, score, m, un, ut in zip(table["source"], table["key"], table["score"], table["method"],
                                              table["unit_name"], table["unit_tax_code"])
        ],
    })


def _unit_findings(kind: str, table: pd.DataFrame, detail: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({
        "kind": kind, "key": table["unit_code"].to_numpy(), "tax_code": table["tax_code"].fillna("").to_numpy(),
        "unit_code": table["unit_code"].to_numpy(), "name": table["name"].to_numpy(),
        "commune_code": table["commune_code"].to_numpy(), "detail": detail,
    })


# ------------------------------------------------------------------------------------------- scoring


def score_against_truth(result: ReconcileResult, truth: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Precision and recall of the links and of each kind of finding against a generator's truth file."""
    scores = {}
    accepted = result.matches[result.matches["accepted"]]
    predicted = set(zip(accepted["source"], accepted["record"], accepted["unit_code"]))
    linked = truth.dropna(subset=["unit_code"])
    true_links = set(zip(linked["source"], linked["record"], linked["unit_code"]))
    scores["links"] = _precision_recall(predicted, true_links)
    for kind in ("unregistered", "under_declared", "closed_active"):
        found = result.findings[result.findings["kind"] == kind]
        wanted = truth[truth["finding"] == kind]
        key = "tax_code" if kind == "unregistered" else "unit_code"  # enterprises without a tax code: not scored
        scores[kind] = _precision_recall(set(found[key]) - {""}, set(wanted[key].dropna()))
    return scores


def _precision_recall(predicted: set, true: set) -> dict[str, float]:
    hits = len(predicted & true)
    return {
        "predicted": len(predicted), "true": len(true),
        "precision": hits / len(predicted) if predicted else 1.0,
        "recall": hits / len(true) if true else 1.0,
    }
