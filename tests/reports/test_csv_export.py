"""The console's CSV export carries the report rows exactly: field names, seconds, fractions."""

import io

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from console.report_data import csv_bytes, frame
from store.reports import LanguageReportRow, language_report, rollup, top_recurring_issues


def test_csv_round_trips_the_figures(seeded: sessionmaker[Session]) -> None:
    with seeded.begin() as session:
        rollup(session)
        rows = language_report(session)
        issues = top_recurring_issues(session)
    fields = list(LanguageReportRow.model_fields)
    data = csv_bytes(frame(rows, fields))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the UTF-8 correctly
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == fields
    en = back[back["language"] == "en"].iloc[0]
    assert en["tickets"] == 3
    assert en["avg_handling_s"] == pytest.approx((110 + 280 + 55) * 60 / 3)
    assert en["post_edit_rate"] == pytest.approx(1 / 22)
    concepts = pd.read_csv(io.BytesIO(csv_bytes(frame(issues, ["domain", "concept", "tickets"]))),
                           encoding="utf-8-sig")
    assert list(concepts["concept"]) == ["订单", "退货"]
