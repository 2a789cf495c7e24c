"""The evidence kind: claims need a citation nearby; hedged, negated and asked ones are not claims."""

import pytest


def rules_fired(findings):
    return sorted({f.rule for f in findings})


@pytest.mark.parametrize(
    "sentence",
    [
        "FMT can help restore the gut barrier.",
        "Our collagen powder boosts your immune system.",
        "Magnesium reduces the symptoms of anxiety.",
        "This tea helps to lower blood pressure.",
        "Acupuncture is an effective treatment for migraine.",
    ],
)
def test_uncited_efficacy_claim_is_reported(lint, sentence):
    assert "HL101" in rules_fired(lint(sentence + "\n", select=("HL101",)))


@pytest.mark.parametrize(
    "sentence",
    [
        "FMT may help some patients, a small trial suggests.",
        "There is no evidence that magnesium treats anxiety.",
        "Can turmeric relieve arthritis pain?",
        "Coffee drinking is associated with a lower risk of liver disease.",
        "Your immune system fights infection every day.",
        "Ask your doctor whether physiotherapy can help restore movement.",
        "Our team can support you with booking.",
    ],
)
def test_hedged_negated_asked_or_non_health_sentence_is_not_a_claim(lint, sentence):
    assert rules_fired(lint(sentence + "\n", select=("HL101",))) == []


def test_claim_with_citation_in_the_same_paragraph_is_supported(lint):
    text = "Zinc lozenges relieve cold symptoms. A review found this (Hemila et al., 2017).\n"
    assert rules_fired(lint(text, select=("HL101",))) == []


def test_citation_in_another_paragraph_does_not_support_the_claim(lint):
    text = "Zinc lozenges relieve cold symptoms.\n\nA review is here (Hemila et al., 2017).\n"
    assert rules_fired(lint(text, select=("HL101",))) == ["HL101"]


@pytest.mark.parametrize("text", ["There is no cure for ME/CFS.\n", "This cream does not cure eczema.\n"])
def test_negated_cure_is_not_a_claim(lint, text):
    assert rules_fired(lint(text, select=("HL203",))) == []


def test_vague_research_needs_a_citation_in_the_same_sentence(lint):
    cited = "Studies have found mixed results [2].\n\nReferences\n\n1. A.\n2. B.\n"
    assert rules_fired(lint(cited, select=("HL102",))) == []
    uncited = "Studies have found mixed results. See the review [2].\n\nReferences\n\n1. A.\n2. B.\n"
    assert rules_fired(lint(uncited, select=("HL102",))) == ["HL102"]


def test_marker_without_a_reference_is_a_citation_finding(lint):
    text = "Zinc shortens colds [3].\n\nReferences\n\n1. Hemila H. 2013.\n"
    [finding] = [f for f in lint(text) if f.rule == "HL110"]
    assert (finding.line, finding.column, finding.category) == (1, 21, "citation")
    assert finding.message.startswith('Citation marker "[3]"')


def test_marker_that_resolves_counts_as_evidence(lint):
    text = "Zinc shortens colds [1].\n\nReferences\n\n1. Hemila H. 2013.\n"
    assert "HL110" not in rules_fired(lint(text))


def test_clinical_term_breakthrough_pain_is_not_hype(lint):
    assert rules_fired(lint("Breakthrough pain can occur between doses.\n", select=("HL401",))) == []


def test_disclaimer_missing_is_reported_once_at_the_first_line(lint):
    text = "Sleep and health\n\nPoor sleep is a common symptom of stress.\n"
    [finding] = [f for f in lint(text) if f.rule == "HL001"]
    assert (finding.line, finding.column, finding.end_column) == (1, 1, 17)


def test_disclaimer_present_satisfies_the_rule(lint):
    text = "Sleep and health\n\nPoor sleep is a symptom. This is not medical advice.\n"
    assert "HL001" not in rules_fired(lint(text))


def test_internal_links_to_reference_entries_are_citations(lint):
    html = (
        "<p>Zinc shortens colds.<a href='#ref1'>1</a></p>"
        "<h2>References</h2><ol><li id='ref1'>Hemila H. 2017.</li></ol>"
    )
    assert "HL101" not in {f.rule for f in lint(html, path="a.html", select=("HL101",))}
    from healthlint.citations import INTERNAL_REFERENCE

    for target in ("#ref1", "#fn1", "#cite_note-3", "#user-content-fn-1", "#R1", "#bib5", "#ref-2"):
        assert INTERNAL_REFERENCE.fullmatch(target), target
    for target in ("#booking", "#results", "#recipes"):
        assert not INTERNAL_REFERENCE.fullmatch(target), target


@pytest.mark.parametrize(
    "sentence",
    [
        "A meta-analysis of trials found similar weight loss (Cioffi et al., Journal of Translational Medicine).",
        "The drug reversed memory loss in mice, a study published today in the journal Aging Cell found.",
    ],
)
def test_authors_with_a_journal_or_a_named_journal_count_as_a_citation(lint, sentence):
    assert lint(sentence + "\n", select=("HL102",)) == []


def test_notes_to_editors_of_a_press_release_are_not_claims(lint):
    text = (
        "A new drug helped old mice [1].\n\nNotes to editors\n\n"
        '1. The paper, "Senolytic treatment restores memory in aged mice", is published in Aging Cell (2025).\n'
    )
    assert [f.line for f in lint(text, select=("HL101",))] == []


def test_a_guideline_named_by_its_number_supports_a_claim(lint):
    text = (
        "Exercise therapy is recommended in the NICE guideline on osteoarthritis (NG226), "
        "and it can reduce pain for many people.\n"
    )
    assert lint(text, select=("HL101",)) == []
    assert [f.rule for f in lint("Exercise therapy can reduce pain.\n", select=("HL101",))] == ["HL101"]


def test_a_short_quoted_phrase_is_talked_about_not_claimed(lint):
    text = 'Be wary of overseas clinics advertising stem cell "miracle cures" for MS.\n'
    assert lint(text, select=("HL401", "HL203")) == []


def test_a_quoted_testimonial_still_makes_its_claim(lint):
    text = 'One customer wrote: "honestly this tea is a miracle for my aching joints".\n'
    assert [f.rule for f in lint(text, select=("HL401",))] == ["HL401"]


def test_journal_mentions_found_at_their_verbs_are_those_a_scan_finds():
    from healthlint import citations
    from healthlint.documents import parse_document

    text = ("Results published in The Lancet and reported in Nature Medicine.\n\n"
            "It appeared online in the journal Aging Cell; it was republished by no one.\n")
    doc = parse_document("a.txt", text)
    scanned = [m.group() for m in citations._journal_pattern().finditer(doc.masked)]
    assert [m.group() for m in citations._journal_mentions(doc)] == scanned
    assert len(scanned) == 3
