"""The default layout's stylesheets name the families of its font chains, and nothing else."""

from __future__ import annotations

import re

from fontTools.ttLib import TTFont

from tests.unit.render.test_pdf_fixtures import default_layout

GENERIC = {"serif", "sans-serif", "monospace"}


def stacks(css: str) -> list[tuple[str, ...]]:
    found = []
    for value in re.findall(r"font-family:\s*([^;}]+)", css):
        found.append(tuple(name.strip().strip('"') for name in value.split(",")))
    return found


def test_css_stacks_are_the_chains_of_layout_yaml(tmp_path):
    layout = default_layout(tmp_path)
    chains = layout.font_section.chains
    families = {f.family for f in layout.fonts}
    for target in ("print", "epub", "cover"):
        for sheet in layout.stylesheets(target):
            for stack in stacks(sheet.read_text(encoding="utf-8")):
                named = tuple(n for n in stack if n not in GENERIC)
                assert set(named) <= families, (sheet.name, stack)
                assert named in (chains.text, chains.code), (sheet.name, stack)


def test_faces_keep_small_caps_old_style_figures_and_four_styles(tmp_path):
    layout = default_layout(tmp_path)
    main = [f for f in layout.fonts if f.family == layout.font_section.chains.text[0]]
    assert {(f.weight, f.style) for f in main} == {(400, "normal"), (400, "italic"),
                                                   (700, "normal"), (700, "italic")}
    for face in main:
        gsub = TTFont(str(face.path), lazy=True)["GSUB"].table
        tags = {r.FeatureTag for r in gsub.FeatureList.FeatureRecord}
        assert {"smcp", "c2sc", "onum", "lnum", "liga"} <= tags, (face.path.name, tags)


def test_every_font_file_has_a_licence(tmp_path):
    layout = default_layout(tmp_path)
    section = layout.font_section
    covered = {family for source in section.sources for family in source.families}
    assert covered == {f.family for f in layout.fonts}
    for licence in layout.font_licences:
        assert "SIL Open Font License" in licence.read_text(encoding="utf-8"), licence
