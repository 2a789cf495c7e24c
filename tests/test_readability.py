"""Readability formulas against published worked examples."""

import pytest

from healthlint.readability import counts, flesch_kincaid_grade, flesch_reading_ease, syllables


def test_flesch_reading_ease_of_the_cat_sat_on_the_mat_is_116():
    # Flesch (1948), the classic example: 6 words, 1 sentence, 6 syllables.
    assert round(flesch_reading_ease(6, 1, 6), 1) == 116.1


def test_platypus_sentence_scores_as_published():
    # "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
    # 13 words, 1 sentence, 24 syllables: reading ease 37.5, grade 11.3.
    assert round(flesch_reading_ease(13, 1, 24), 1) == 37.5
    assert round(flesch_kincaid_grade(13, 1, 24), 1) == 11.3


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("table", 2), ("medicine", 3), ("inflammation", 4), ("fatigue", 2), ("treated", 2),
     ("probiotics", 4), ("the", 1), ("syndrome", 2), ("reduces", 3)],
)
def test_syllable_counter_on_common_health_words(word, count):
    assert syllables(word) == count


def test_counts_words_sentences_and_syllables():
    assert counts(["The cat sat on the mat.", "Flu is an illness."]) == (10, 2, 11)


def test_dense_article_reports_its_grade_and_plain_one_does_not(lint):
    dense = "Readability\n\n" + (
        "Pharmacological interventions targeting inflammatory cytokine dysregulation constitute "
        "an increasingly investigated therapeutic modality notwithstanding considerable heterogeneity. "
    ) * 8
    [finding] = [f for f in lint(dense, select=("HL801",))]
    assert finding.line == 1 and "grade" in finding.message
    plain = "Readability\n\n" + "Flu is caused by a virus. Most people get better in a week. " * 10
    assert lint(plain, select=("HL801",)) == []
