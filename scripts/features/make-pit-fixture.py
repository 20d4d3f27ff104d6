#!/usr/bin/env python3
"""Point-in-time join fixture for Tests/MLOpsFeatureStoreTests, computed by pandas.

Random offline rows for two views of one entity (driver_id) with event-time ties, exact
duplicates, late arrivals (created long after the event) and nulls; entity rows with
timestamps, some for entities that were never written. The expected join per view is
computed by pandas (merge by entity, filter, sort by event time, created time and arrival,
last per row) and cross-checked with `pandas.merge_asof(by=entity, direction="backward",
tolerance=TTL)` on every entity row the created-time rule does not affect.

Run with a Python that has pandas: .venv-models/bin/python scripts/features/make-pit-fixture.py
"""
import json
import pathlib

import numpy as np
import pandas as pd

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/MLOpsFeatureStoreTests/Fixtures/pit_join.json"
SECOND = 1_000_000  # microseconds
VIEWS = {"driver_stats": 40 * SECOND, "driver_profile": 0}


def offline_rows(rng, view):
    n = 700
    drivers = rng.integers(1000, 1040, n)
    event = rng.integers(0, 100, n) * SECOND // 2  # a coarse grid: many ties
    delay = np.where(rng.random(n) < 0.2, rng.integers(0, 200, n), rng.integers(0, 5, n)) * SECOND
    created = event + delay
    dup = rng.random(n) < 0.08  # exact (entity, event, created) duplicates: arrival breaks the tie
    for i in np.nonzero(dup)[0]:
        j = rng.integers(0, n)
        drivers[i], event[i], created[i] = drivers[j], event[j], created[j]
    frame = pd.DataFrame({
        "driver_id": drivers, "event": event, "created": created, "seq": np.arange(n),
        "conv_rate": np.round(rng.random(n), 6),
        "trips": pd.array(np.where(rng.random(n) < 0.1, -1, rng.integers(0, 500, n)), dtype="Int64"),
        "label": [f"{view}-{k}" for k in range(n)],
    })
    frame.loc[frame.trips == -1, "trips"] = pd.NA
    return frame


def expected(offline, entity, ttl):
    joined = entity.merge(offline, on="driver_id", how="inner")
    keep = (joined.event <= joined.time) & (joined.created <= joined.time)
    if ttl > 0:
        keep &= joined.event >= joined.time - ttl
    joined = joined[keep].sort_values(["row", "event", "created", "seq"])
    # tail(1), not last(): last() takes each column's last non-null value, mixing rows.
    return joined.groupby("row").tail(1).set_index("row")


def cross_check(offline, entity, ttl, result):
    """merge_asof agrees wherever no row created after the entity time could have matched."""
    left = entity.sort_values("time")
    right = offline.sort_values(["event", "created", "seq"])
    asof = pd.merge_asof(left, right, left_on="time", right_on="event", by="driver_id", direction="backward",
                         tolerance=ttl if ttl > 0 else None, allow_exact_matches=True).set_index("row")
    checked = 0
    for row, t, driver in entity[["row", "time", "driver_id"]].itertuples(index=False):
        late = offline[(offline.driver_id == driver) & (offline.event <= t) & (offline.created > t)]
        if len(late):
            continue
        checked += 1
        ours = result.seq.get(row)
        theirs = asof.seq.get(row)
        theirs = None if pd.isna(theirs) else int(theirs)
        assert (None if ours is None else int(ours)) == theirs, (row, ours, theirs)
    return checked


def main():
    rng = np.random.default_rng(20261127)
    entity = pd.DataFrame({
        "row": np.arange(600),
        "driver_id": np.where(rng.random(600) < 0.1, rng.integers(2000, 2010, 600), rng.integers(1000, 1040, 600)),
        "time": rng.integers(-10, 160, 600) * SECOND // 2 + rng.integers(0, 2, 600) * 250_000,
    })
    fixture = {"entity_rows": entity[["driver_id", "time"]].to_dict("records"), "views": {}}
    for view, ttl in VIEWS.items():
        offline = offline_rows(rng, view)
        result = expected(offline, entity, ttl)
        checked = cross_check(offline, entity, ttl, result)
        rows = []
        for row in entity.row:
            if row in result.index:
                r = result.loc[row]
                rows.append({"event": int(r.event), "conv_rate": float(r.conv_rate),
                             "trips": None if pd.isna(r.trips) else int(r.trips), "label": r.label})
            else:
                rows.append(None)
        fixture["views"][view] = {
            "ttl_us": ttl,
            "rows": [{"driver_id": int(r.driver_id), "event": int(r.event), "created": int(r.created),
                      "conv_rate": float(r.conv_rate), "trips": None if pd.isna(r.trips) else int(r.trips),
                      "label": r.label} for r in offline.itertuples()],
            "expected": rows,
            "merge_asof_checked": checked,
        }
        print(view, "matched", len(result), "of", len(entity), "rows; merge_asof agreed on", checked)
    OUT.write_text(json.dumps(fixture, separators=(",", ":")))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
