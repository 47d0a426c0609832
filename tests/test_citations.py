"""Readers see author–year citations, not internal source ids (greensilk.citations)."""

from __future__ import annotations

import pandas as pd

from greensilk import citations, figures

from .conftest import ROOT


def test_labels_follow_the_bibliography():
    known = citations.labels(ROOT)
    assert known["okabe_ito2008"] == "Okabe and Ito (2008)"
    assert known["naturalearth_admin0_50m"].startswith("Natural Earth (n.d.")
    assert citations.label("okabe_ito2008; worldatlas_npm", ROOT) == "Okabe and Ito (2008); Bostock (n.d.)"


def test_a_marker_that_is_not_a_source_stays_as_written():
    assert citations.cite("derived; okabe_ito2008", ROOT) == "derived; {cite:t}`okabe_ito2008`"
    assert citations.label("derived", ROOT) == "derived"


def test_tables_cite_and_downloads_label(tmp_path):
    frame = pd.DataFrame({"value": [1.0, 2.0], "source_ids": ["okabe_ito2008", "okabe_ito2008;worldatlas_npm"]})
    shown = figures.table(frame, index=False).markdown
    assert "{cite:t}`okabe_ito2008`; {cite:t}`worldatlas_npm`" in shown and "Source" in shown
    assert "source_ids" not in shown
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "references.bib").write_bytes((ROOT / "book" / "references.bib").read_bytes())
    path = figures.save_figure_data(frame, "fig-x", root=tmp_path)
    assert path.read_text().splitlines() == ["value,Source", "1.0,Okabe and Ito (2008)",
                                             "2.0,Okabe and Ito (2008); Bostock (n.d.)"]  # fmt: skip


def test_only_source_id_columns_are_converted():
    assert citations.is_source_column("evidence_source_ids") and citations.is_source_column("source_id")
    assert not citations.is_source_column("source") and not citations.is_source_column("fuel_source")
