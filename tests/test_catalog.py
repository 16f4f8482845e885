"""Every chart in the catalogue builds a briefing figure that explains itself, and the CLI exports it."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from PIL import Image
from pptx import Presentation

from core import catalog, cli
from core.filters import parse
from core.i18n import t


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def _texts(fig) -> str:
    layout = fig.layout
    parts = [layout.title.text or "", layout.title.subtitle.text or ""]
    parts += [a.text or "" for a in layout.annotations]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(catalog.CHARTS))
def test_every_chart_carries_title_filters_source_and_demo_marker(name, lang, options):
    filters = parse({"session": "23", "district": "440305,440306", "lang": lang}, options).filters
    fig, frame, card = catalog.build(name, filters, options)
    text = _texts(fig)
    assert t(f"charts.{name}.title", lang) in text
    assert ("南山区、宝安区" if lang == "zh" else "Nanshan, Bao'an") in text
    assert t("charts.demo_marker", lang) in text
    assert card.source in text and card.permalink in text
    assert not frame.empty and len(fig.data) > 0


def test_empty_result_says_so_in_a_sentence(options):
    # Shenshan had no firms in session 1 (it joined in 2011): the figure says so instead of drawing axes.
    filters = parse({"session": "1", "district": "SZSS", "industry": "D46"}, options).filters
    fig, frame, _ = catalog.build("district_ranking", filters, options)
    assert frame.empty
    assert t("charts.empty", "zh") in _texts(fig)


def test_cli_export_png_is_slide_sized(tmp_path, built_db):
    out = tmp_path / "rank.png"
    code = cli.main(["export", "district_ranking", "--session", "23", "--district", "440305",
                     "--format", "png", "--out", str(out)])
    assert code == 0
    assert Image.open(out).size == (1920, 1080)


def test_cli_export_svg_contains_title_and_filters(tmp_path, built_db):
    out = tmp_path / "rank.svg"
    assert cli.main(["export", "district_ranking", "--session", "23", "--district", "440305", "--lang", "en",
                     "--format", "svg", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "District ranking by records" in svg and "Nanshan" in svg


def test_cli_export_rejects_bad_filters(tmp_path, built_db):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "district_ranking", "--session", "99", "--format", "png",
                  "--out", str(tmp_path / "x.png")])
    assert "99" in str(exc.value)


def test_cli_export_help_lists_chart_names(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in catalog.CHARTS)


def test_cli_pack_pptx_has_title_slide_and_one_slide_per_chart(tmp_path, built_db):
    out = tmp_path / "brief.pptx"
    charts = "district_ranking,records_per_session,qualification_mix"
    assert cli.main(["pack", "--session", "23", "--district", "440305", "--charts", charts, "--out", str(out)]) == 0
    deck = Presentation(str(out))
    slides = list(deck.slides)
    assert len(slides) == 4
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "第23届" in first and "南山区" in first
    second = " ".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    assert t("charts.district_ranking.title", "zh") in second


def test_cli_pack_zip_has_images_data_and_manifest(tmp_path, built_db):
    out = tmp_path / "brief.zip"
    assert cli.main(["pack", "--session", "23", "--charts", "district_ranking,category_split", "--lang", "en",
                     "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
        png = next(n for n in names if n.endswith(".png"))
        assert Image.open(io.BytesIO(z.read(png))).size == (1920, 1080)
        csv = next(n for n in names if n.endswith(".csv"))
        assert z.read(csv).startswith(b"\xef\xbb\xbf")
    assert [item["name"] for item in manifest["items"]] == ["district_ranking", "category_split"]
    assert manifest["demo"] is True
