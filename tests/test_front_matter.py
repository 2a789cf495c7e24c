"""Simple front matter is read without PyYAML, and exactly as PyYAML would read it."""

from __future__ import annotations

import random

import pytest
import yaml

from healthlint.documents import parse_document
from healthlint.documents.frontmatter import simple_fields

KEYS = ["title", "description", "date", "author", "last-modified", "profile", "draft_2", "tags"]
VALUES = [
    "Zinc and colds", "What the research says", "2024-10-08", "10:30", "C# for clinicians", "don't panic",
    'say "hi"', "a [b] c", "x,y", "café au lait", "~", "null", "Null", "NULL", "yes", "", "é",
    "'single'", '"double"', "'it''s'", '"esc\\n"', '"unclosed', "[a, b]", "[mental health, heart]", "[]",
    "[a, [b]]", "{a: b}", "a: b", "x #comment", "ends:", "- x", "&anchor x", "*alias", "!tag x", "|", ">",
    "%x", "@x", "`x`", "?x", ":x", "-x", "trailing   ", "tab\there", "line\u2028break", ".5", "=",
]
OTHER_LINES = [
    "", "   ", "# a comment", "  # an indented comment", "---", "...", "no colon here", "  indented: x",
    "key:value", "key with space: x", "%YAML 1.1", "- stray item", "tags:", "  - a", "  - b", "- c",
    "    - deeper", "  - 'quoted'", "  sub: mapping", "\ufeffbom: x",
]


SIMPLE = VALUES[:20] + ["[a, b]", "'single'", '"double"']


def _line(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.85:
        values = SIMPLE if roll < 0.65 else VALUES
        return f"{rng.choice(KEYS)}:{rng.choice([' ', ' ', '  ', ''])}{rng.choice(values)}"
    return rng.choice(OTHER_LINES)


def _pyyaml_fields(content: str) -> list[tuple] | None:
    """What the Markdown reader takes from PyYAML, or None when PyYAML rejects it."""
    try:
        root = yaml.compose(content, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        return None
    fields = []
    for k, v in root.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        if isinstance(v, yaml.ScalarNode):
            fields.append((k.value, v.value, v.start_mark.index, v.end_mark.index, v.style or None,
                           v.tag == "tag:yaml.org,2002:null", None))
        elif isinstance(v, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in v.value):
            at = v.start_mark.index
            fields.append((k.value, "", at, at, None, False, tuple(item.value for item in v.value)))
    return fields


def test_simple_front_matter_reads_exactly_as_pyyaml_composes_it():
    rng = random.Random(20261201)
    accepted = 0
    for _ in range(8000):
        content = "\n".join(_line(rng) for _ in range(rng.randint(1, 7))) + "\n"
        fields = simple_fields(content)
        if fields is None:
            continue
        accepted += 1
        ours = [(f.key, f.value, f.start, f.end, f.style, f.null, f.items) for f in fields]
        assert ours == _pyyaml_fields(content), repr(content)
    assert accepted > 1000  # the simple shape is common enough for the comparison to mean something


def test_block_lists_read_without_pyyaml_are_read_as_pyyaml_composes_them():
    rng = random.Random(20261202)
    lines = ["authors:", "tags:", "  - Dr Ann Lee", "  - b c", "- c", "    - d", "  - ~", "", "title: x", "date: 2024"]
    accepted = 0
    for _ in range(3000):
        content = "\n".join(rng.choice(lines) for _ in range(rng.randint(2, 8))) + "\n"
        fields = simple_fields(content)
        if fields is None:
            continue
        accepted += any(f.items for f in fields)
        ours = [(f.key, f.value, f.start, f.end, f.style, f.null, f.items) for f in fields]
        assert ours == _pyyaml_fields(content), repr(content)
    assert accepted > 200  # enough block lists for the comparison to mean something


@pytest.mark.parametrize("content", [
    "title: a: b\n",  # PyYAML: mapping values are not allowed here
    "title: x #comment\n",
    "title: 'it''s'\n",
    "tags:\n  - a\n    - b\n",
    "title: x\n  continued\n",
    "title:\tx\n",
])
def test_front_matter_of_any_other_shape_is_left_to_pyyaml(content):
    assert simple_fields(content) is None


def test_a_typical_article_front_matter_needs_no_pyyaml():
    content = (
        'title: "Does acupuncture help with menopause symptoms?"\n'
        "description: What the research says about acupuncture.\n"
        "date: 2024-10-08\n"
        "tags: [nutrition, mental health]\n"
        "categories:\n  - women's health\n  - acupuncture\n"
    )
    fields = {f.key: f.items or f.value for f in simple_fields(content)}
    assert fields == {"title": "Does acupuncture help with menopause symptoms?",
                      "description": "What the research says about acupuncture.", "date": "2024-10-08",
                      "tags": ("nutrition", "mental health"), "categories": ("women's health", "acupuncture")}


@pytest.mark.parametrize("front_matter", [
    "authors: [Dr Ann Lee, Dr Bo Chan]\n",
    "authors:\n  - Dr Ann Lee\n  - Dr Bo Chan\n",
    "authors:\n  - 'Dr Ann Lee'\n  - \"Dr Bo Chan\"\n",  # quoted items: read by PyYAML
])
def test_a_list_of_authors_in_front_matter_is_a_byline(front_matter):
    doc = parse_document("a.md", f"---\ntitle: Knee pain\n{front_matter}---\n\nPhysiotherapy helps.\n")
    assert doc.metadata["authors"] == "Dr Ann Lee, Dr Bo Chan"
    assert [b.label for b in doc.blocks if b.kind == "metadata"] == ["title"]  # a list is not prose


def test_fields_read_without_pyyaml_are_linted_where_they_stand():
    doc = parse_document("a.md", "---\ntitle: 'A miracle cure'\ndate: 2024-01-02\n---\n\nBody text.\n")
    metadata_blocks = [b for b in doc.blocks if b.kind == "metadata"]
    assert [(b.label, doc.text[b.start:b.end]) for b in metadata_blocks] == [("title", "A miracle cure")]
    assert doc.metadata == {"title": "A miracle cure", "date": "2024-01-02"}


def test_a_front_matter_line_of_a_million_spaces_is_read_without_hanging():
    """A lazy value followed by trailing spaces made the line pattern quadratic: this
    line took about 30 minutes. A separate process, so that a regression fails the test
    (by its timeout) instead of stalling the suite."""
    import subprocess
    import sys

    probe = (
        "from healthlint.documents.frontmatter import simple_fields\n"
        "fields = simple_fields('title: a' + ' ' * 1_000_000 + 'b\\n')\n"
        "print(len(fields[0].value))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "1000002"
