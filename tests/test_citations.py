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


def test_an_id_in_free_text_becomes_a_citation_but_a_role_is_left_alone():
    text = "see okabe_ito2008 and {cite:t}`worldatlas_npm`; not_an_id stays; xokabe_ito2008 is no id"
    assert citations.in_text(text, lambda c: citations.label(c, ROOT), ROOT) == (
        "see Okabe and Ito (2008) and {cite:t}`worldatlas_npm`; not_an_id stays; xokabe_ito2008 is no id"
    )
    assert citations.bare_ids(text, ROOT) == ["okabe_ito2008"]
    frame = pd.DataFrame({"note": ["after okabe_ito2008", None], "basis": ["worldatlas_npm", "derived"]})
    shown = figures.table(frame, index=False).markdown
    assert "{cite:t}`okabe_ito2008`" in shown and "{cite:t}`worldatlas_npm`" in shown and "derived" in shown


# --- what readers see: no internal source id in the committed chapters or figure downloads ---------------------

READER_MIMES = ("text/plain", "text/markdown", "text/html")


def _shown_ids_in_notebook(path) -> list[str]:
    import json

    found = []
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            for mime, value in output.get("data", {}).items():
                if mime.endswith(READER_MIMES):
                    text = value if isinstance(value, str) else "".join(value)
                    where = f"{path.name} cell {number} ({mime})"
                    found += [f"{where}: {i}" for i in citations.bare_ids(text, ROOT)]
    return found


def test_no_chapter_output_or_figure_download_shows_a_source_id():
    shown = [f for path in sorted((ROOT / "notebooks").glob("*.ipynb")) for f in _shown_ids_in_notebook(path)]
    for path in sorted((ROOT / "notebooks" / "figdata").glob("*.csv")):
        shown += [f"{path.name}: {i}" for i in citations.bare_ids(path.read_text(encoding="utf-8"), ROOT)]
    assert not shown, f"{len(shown)} internal source ids shown to readers, e.g. {shown[:10]}"


def test_the_scan_finds_a_bare_id_in_an_output_and_ignores_a_citation(tmp_path):
    import json

    shown = {"output_type": "display_data", "data": {"text/markdown": "| okabe_ito2008 | {cite:t}`worldatlas_npm` |"}}
    printed = {"output_type": "stream", "text": "okabe_ito2008"}  # a log line, not a table
    notebook = {"cells": [{"cell_type": "code", "outputs": [shown, printed]}]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(notebook))
    assert _shown_ids_in_notebook(path) == ["x.ipynb cell 0 (text/markdown): okabe_ito2008"]
