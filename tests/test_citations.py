"""Citations: a DOI is found where the scan of the whole DOI pattern would find it."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from healthlint.citations import (
    AUTHOR_ET_AL_YEAR,
    AUTHOR_YEAR_IN_BRACKETS,
    DOI,
    HEALTH_BODY,
    _dois,
    _health_body_pages,
    find_citations,
)
from healthlint.citations import _author_years as author_year_matches
from healthlint.documents import parse_document

FRAGMENTS = [
    "10.1000/xyz", "10.12345/a.b-c", "10.123/short", "10.1234567890/long", "doi:", "DOI:", "doi", "Doi: ",
    "https://doi.org/", "http://dx.doi.org/", "HTTPS://DX.DOI.ORG/", "https://doi.org", "x", "_", "é", "1",
    " ", "  ", "\n", "\t", "\u00a0", '"', "<", ">", "(", ")", "/", ".", ":", "see ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join))
@example("x10.1000/10.2000/b")
@example("10.1/abcdoi: 10.2000/x")
@example("10.1000/a<doi:10.2000/x")
@example("xdoi:10.1000/a")
@example("doi:  \n 10.1000/a https://dx.doi.org/10.5555/b")
def test_dois_are_the_spans_the_whole_pattern_finds(text):
    assert list(_dois(text)) == [m.span() for m in DOI.finditer(text)]


def test_a_doi_is_a_citation_with_its_label_or_address():
    text = "Zinc shortens colds (doi: 10.1000/abc). See https://doi.org/10.5555/xyz too.\n"
    doi = [c for c in find_citations(parse_document("a.txt", text)).found if c.kind == "doi"]
    assert [c.target for c in doi] == ["doi: 10.1000/abc).", "https://doi.org/10.5555/xyz"]


def _author_years(text: str) -> list[str]:
    doc = parse_document("a.txt", text + "\n")
    return [text[c.start:c.end] for c in find_citations(doc).found if c.kind == "author-year"]


def test_a_group_author_with_a_year_is_a_citation():
    text = ("Drops worked no better than placebo (DREAM Study Research Group, New England Journal of Medicine, 2018). "
            "Salt raises blood pressure (World Health Organization, 2019), as do others (see Royal College of Physicians 2021).")
    assert _author_years(text) == [
        "(DREAM Study Research Group, New England Journal of Medicine, 2018)",
        "(World Health Organization, 2019)",
        "(see Royal College of Physicians 2021)",
    ]


@pytest.mark.parametrize(("name", "citation"), [
    ("a.md", "(Lanhers et al., *Sports Medicine*, 2017)"),
    ("a.md", "(Lanhers et al., _Sports Med_ 2017;47:163)"),
    ("a.md", "(DREAM Study Research Group, *New England Journal of Medicine*, 2018)"),
    ("a.html", "(Lanhers et al., <em>Sports Medicine</em>, 2017)"),
    ("a.md", "(Howe, Keys and Richards, Journal of Dentistry, 2019)"),
    ("a.md", "(Smith, Jones, Patel & Okoro, 2021)"),
])
def test_an_author_year_reference_is_a_citation_in_its_varied_forms(name, citation):
    text = f"Creatine improved strength {citation}.\n"
    doc = parse_document(name, text)
    assert [text[c.start:c.end] for c in find_citations(doc).found if c.kind == "author-year"] == [citation]


@pytest.mark.parametrize("text", [
    "Ask your GP (or the Patients Association) about it. The Society (founded in 2019) helps.",
    "Acupuncture reduces migraine attacks (British Acupuncture Council member since 2009).",
    "Our collagen powder boosts your immune system (Natural Health Association Award Winner 2023).",
    "Our herbal tincture cures insomnia (Foundation course graduate, 2021).",
    "Come along (Parkinson's Support Group meets every Tuesday from May 2024).",
])
def test_a_group_named_in_brackets_is_no_citation_without_a_source_and_year(text):
    assert _author_years(text) == []


@pytest.mark.parametrize("target", ["/basket/add?sku=NSP-01", "https://shop.example.com/cart", "/checkout", "book-now.html",
                                    "/account/login", "mailto:hello@example.com", "/?add-to-cart=12", "/my-account/",
                                    "/book-a-consultation", "/users/sign_in", "https://ketokraft.example/bundle?aff=jessm",
                                    "https://shop.example/p/shake?aff_id=77"])
def test_a_link_for_buying_booking_or_signing_in_is_no_source(target):
    text = f'<p>Studies show that it works. <a href="{target}">Add to basket</a></p>\n'
    assert [c.kind for c in find_citations(parse_document("page.html", text)).found] == []


@pytest.mark.parametrize("target", ["/", "/index.html", "/terms", "/privacy-policy/", "https://shop.example.com/legal/cookies.html",
                                    "/contact-us", "/help/delivery", "/about/index.html", "https://shop.example.com/faq",
                                    "/book", "/clinic/pricing/"])
def test_a_link_to_the_home_page_or_a_page_every_site_has_is_no_source(target):
    text = f'<p>Studies show that it works. <a href="{target}">Read more</a></p>\n'
    assert [c.kind for c in find_citations(parse_document("page.html", text)).found] == []


@pytest.mark.parametrize("target", ["/research/our-2024-trial", "https://pubmed.ncbi.nlm.nih.gov/12345678/",
                                    "https://www.nhs.uk/conditions/insomnia/", "/blog/booklet-on-sleep",
                                    "https://academic.oup.com/book/40542", "https://cart.org/research/2021-report",
                                    "https://www.nejm.org/doi/full/x?redirect=/login", "/resources/buy.pdf",
                                    "https://www.who.int/", "/about/research/vitamin-d-review", "/?p=1234", "#ref-1",
                                    "https://www.cdc.gov/flu/about/", "https://www.fda.gov/drugs/emergency-preparedness-drugs/faqs",
                                    "https://www.nytimes.com/2024/01/02/well/creatine.html?ref=health"])
def test_a_link_to_a_page_a_reader_can_check_is_a_source(target):
    text = f'<p>Studies show that it works (<a href="{target}">source</a>).</p>\n'
    assert "link" in [c.kind for c in find_citations(parse_document("page.html", text)).found]


AUTHOR_FRAGMENTS = [
    "Smith", "McDonald-Lee", "O'Brien", "O’Brien", "Zoë", "van", "SMITH", "Smith2", "Al", "A", "et", "al",
    "al.", "et al.", ",", ", ", "2019", "1998a", "(", ")", "; 12:4", " ", "  ", "\n", "and", "&", "see ",
    "Group", "Nutrients", "_", "é", "’", "Smith et al. 2019", "Lee et al (2020)", "(Lee 2020)",
    "(Lee et al., Nutrients)",
]
HOST_FRAGMENTS = [
    "www", "cdc", "nhs", "gov", "uk", "nice", "org", "who", "int", "europa", "eu", "gc", "ca", "au",
    ".", "-", "/", "x1", "A", " ", "(", ")", "?q=1", "#top", "_", "é", "\n", "www.nhs.uk", "cdc.gov/flu",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(AUTHOR_FRAGMENTS), max_size=16).map("".join))
@example("Smith et al. 2019 and (Lee et al., 2020)")
@example("(Smith et al. 2019)")
@example("Smith-Jones et al 2019)")
@example("xSmith et al. 2019")
@example("(Lee, 2019) Smith et al. (2020) (Jones 2021)")
@example("Al et al. 2019")
@example("O’Brien et al 2019, Smith2 et al. 2020")
def test_author_years_are_the_spans_one_alternation_of_both_forms_finds(text):
    whole = re.compile(f"{AUTHOR_YEAR_IN_BRACKETS.pattern}|{AUTHOR_ET_AL_YEAR.pattern}")
    assert [m.span() for m in author_year_matches(text)] == [m.span() for m in whole.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(HOST_FRAGMENTS), max_size=16).map("".join))
@example("see www.nhs.uk/conditions/flu and cdc.gov")
@example("a.gov-b.nhs.uk")
@example(" .gov.gov.gov")
@example("x.gov.uk/page")
def test_health_body_pages_are_the_spans_the_whole_pattern_finds(text):
    assert [m.span() for m in _health_body_pages(text)] == [m.span() for m in HEALTH_BODY.finditer(text)]


def test_thousands_of_spaces_before_an_et_al_are_read_in_linear_time():
    """Looking for the whitespace before "et al" from every space of a run was quadratic:
    200,000 spaces took about a minute."""
    text = "Smith" + " " * 200_000 + "et al x" + " " * 200_000 + "Lee et al. 2019"
    started = time.monotonic()
    assert [m.group() for m in author_year_matches(text)] == ["Lee et al. 2019"]
    assert time.monotonic() - started < 10
