"""Rule kinds beyond phrase and evidence: conditional, required with metadata, profiles."""


def fired(findings):
    return [f.rule for f in findings]


def test_structure_function_claim_needs_the_exact_fda_disclaimer(lint):
    claim = "Our probiotic supports healthy digestion.\n"
    assert fired(lint(claim, select=("HL208",), profile="us-supplement")) == ["HL208"]
    with_disclaimer = claim + (
        "These statements have not been evaluated by the Food and Drug Administration. "
        "This product is not intended to diagnose, treat, cure, or prevent any disease.\n"
    )
    assert fired(lint(with_disclaimer, select=("HL208",), profile="us-supplement")) == []


def test_altered_fda_disclaimer_does_not_count(lint):
    text = (
        "Our probiotic supports healthy digestion.\n"
        "This statement has not been reviewed by the FDA. Not intended to treat any disease.\n"
    )
    assert fired(lint(text, select=("HL208",), profile="us-supplement")) == ["HL208"]


def test_supplement_disclaimer_rule_is_off_in_the_article_profile(lint):
    assert "HL208" not in fired(lint("Our probiotic supports healthy digestion.\n"))


def test_disclaimer_beside_cure_claims_is_reported_in_advertising(lint):
    text = "Our tea cures colds.\n\nThis page is not medical advice.\n"
    [finding] = [f for f in lint(text, profile="advertising") if f.rule == "HL209"]
    assert finding.line == 3


def test_a_conditional_rule_with_near_needs_its_context_somewhere_in_the_document(lint):
    """HL504 asks only a page that sells to disclose: "our team" on a hospital leaflet is no seller's."""
    leaflet = "Colonoscopy\n\nThe test looks inside your bowel. Our team is happy to answer questions.\n"
    assert fired(lint(leaflet, select=("HL504",))) == []
    shop = leaflet + "\nPrivate colonoscopy from £1,200; book online.\n"
    assert fired(lint(shop, select=("HL504",))) == ["HL504"]


def test_discouraging_medication_is_reported_and_safe_advice_is_not(lint):
    assert fired(lint("Try our tincture instead of antidepressants.\n", select=("HL205",))) == ["HL205"]
    assert fired(lint("Never stop taking your medication without talking to your doctor.\n", select=("HL205",))) == []


def test_causal_claim_from_an_association_is_reported(lint):
    text = "People who drank coffee were less likely to get liver disease. Coffee prevents liver disease.\n"
    [finding] = [f for f in lint(text, select=("HL106",))]
    assert finding.matched == "prevents"


def test_serious_condition_needs_a_statement_of_supervision(lint):
    text = "Our programme for chronic fatigue syndrome gets you back to work.\n"
    assert fired(lint(text, select=("HL204",))) == ["HL204"]
    supervised = text + "It runs alongside your usual care, supervised by a consultant.\n"
    assert fired(lint(supervised, select=("HL204",))) == []


def test_unknown_profile_is_a_usage_error(tmp_path, capsys):
    from healthlint.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Hello.\n")
    assert main(["check", "--profile", "adverts", str(article)]) == 2
    assert "unknown profile 'adverts'" in capsys.readouterr().err
