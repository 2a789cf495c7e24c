"""The sentence splitter: where a full stop ends a sentence and where it does not."""

from __future__ import annotations

import pytest

from healthlint.sentences import split


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zinc helps. It is cheap.", ["Zinc helps.", "It is cheap."]),
        ("Ask Dr. Lee about it. She knows.", ["Ask Dr. Lee about it.", "She knows."]),
        ("Take zinc (e.g. lozenges) daily. Stop after a week.", ["Take zinc (e.g. lozenges) daily.", "Stop after a week."]),
        ("A trial found this (Smith et al. 2020). Others did not.", ["A trial found this (Smith et al. 2020).", "Others did not."]),
        ("Written by J. Smith for the clinic. Read on.", ["Written by J. Smith for the clinic.", "Read on."]),
        ("Given i.v. Twice a day.", ["Given i.v. Twice a day."]),
        ("Dosing\tq.d. Works well.", ["Dosing\tq.d. Works well."]),
        ("He moved to the U.S. He stayed.", ["He moved to the U.S.", "He stayed."]),
        ("Approved by the U.S. Food and Drug Administration. Fine.",
         ["Approved by the U.S. Food and Drug Administration.", "Fine."]),
        ("See n.b. Below.", ["See n.b. Below."]),
        ("It costs 2.5 units. Cheap.", ["It costs 2.5 units.", "Cheap."]),
        ("Zinc works.[1] Vitamin C does not.", ["Zinc works.[1]", "Vitamin C does not."]),
    ],
)
def test_a_full_stop_ends_a_sentence_unless_it_belongs_to_an_abbreviation(text, expected):
    assert sentences(text) == expected


def test_an_abbreviation_after_a_long_unbroken_run_is_still_found():
    """The word before a stop is looked for after the last space only; a run with no
    space (a URL, a long compound) must still leave the abbreviation test intact."""
    text = "x" * 100 + " see fig. Two shows it."
    assert sentences(text) == [text]
    glued = "(" * 80 + "e.g. Zinc works."
    assert sentences(glued) == [glued]
