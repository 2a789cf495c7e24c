"""Citation recognition, shared by every rule that asks "is there evidence nearby?".

A citation is anything a reader can follow to a source: a link (but not one for buying,
booking or signing in), a resolved footnote or numbered marker, a DOI, PMID, PMCID or
trial number, an author-year reference, or a named journal ("published in The Lancet").
Markers that resolve to nothing are kept apart, because a dangling "[4]" looks like
evidence but is not.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import SplitResult, parse_qsl, urlsplit

from healthlint.document import Block, Document
from healthlint.lexicons import lexicon


@dataclass(frozen=True, slots=True)
class Citation:
    start: int
    end: int
    kind: str  # link, footnote, marker, doi, pmid, pmcid, trial, guideline, health-body, author-year, journal
    target: str = ""


@dataclass
class Citations:
    found: list[Citation]
    unresolved: list[Citation]
    reference_ranges: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.found.sort(key=lambda c: c.start)
        self._starts = [c.start for c in self.found]

    def any_between(self, start: int, end: int) -> bool:
        """True when a citation starts inside ``[start, end)``."""
        i = bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end

    @property
    def count(self) -> int:
        return len(self.found)


REFERENCE_HEADING = re.compile(
    r"\s*(?:#+\s*)?(?:references?|sources?|bibliography|works cited|citations|"
    r"literature(?: cited)?|notes|endnotes|footnotes|further reading|evidence|notes to editors?|editors?.? notes?)\s*:?\s*",
    re.IGNORECASE,
)
ENTRY_NUMBER = re.compile(r"\s*(?:\[(\d{1,3})\]|\^?(\d{1,3})[.)]?\s)")
REFERENCE_SHAPE = re.compile(r"\b(?:19|20)\d\d\b|\bdoi\b|10\.\d{4,9}/|https?://|\bPMID\b")
NUMERIC_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]|\[\^([^\]\s]+)\]")
NON_CITING_SCHEMES = ("mailto:", "tel:", "javascript:", "sms:", "data:")
# Pages for buying, booking or signing in, by a segment of the link's path ("/basket/add",
# "/my-account/", "/book-a-consultation") or a key of its query ("/?add-to-cart=12").
# Not "/book/40542", a publisher's page for a book, nor a host or query value that
# happens to be such a word ("cart.org", "?redirect=/login").
SHOP_SEGMENTS = frozenset({
    "basket", "cart", "checkout", "add-to-cart", "add-to-basket", "buy", "buy-now", "book-now", "booking",
    "bookings", "account", "my-account", "login", "log-in", "signin", "sign-in", "sign_in", "signup", "sign-up",
})
SHOP_SEGMENT_STARTS = ("book-a-", "book-an-", "book-your-")
SITE_PAGES = frozenset({
    "terms", "terms-and-conditions", "terms-of-service", "terms-of-use", "privacy", "privacy-policy",
    "privacy-notice", "cookies", "cookie-policy", "returns", "returns-policy", "refunds", "refund-policy",
    "delivery", "delivery-information", "shipping", "shipping-policy", "careers", "jobs", "sitemap",
    "accessibility", "legal", "imprint",
})
"""The last part of the address of a page every site has (legal terms, delivery): a page
footer's links, which are not the sources of any claim, wherever they sit on the site."""
SITE_ACTION_PAGES = frozenset({
    "book", "enquire", "enquiry", "apply", "register", "subscribe", "join", "order", "shop", "store", "pricing",
    "prices", "offers",
})
"""The same, for a link within the site ("/book", "/pricing"): an address elsewhere may be
a source ("academic.oup.com/book/40542" is a book)."""
SITE_TOP_PAGES = frozenset({"about", "about-us", "contact", "contact-us", "faq", "faqs", "help"})
"""The same, but only at the top of a site ("/about", "/contact-us"): deeper down, "about"
and "faqs" name a health body's topic pages ("cdc.gov/flu/about/")."""
SHOP_QUERY_KEYS = frozenset({
    "add-to-cart", "add_to_cart", "add-to-basket", "aff", "affid", "aff_id", "affiliate", "affiliate_id",
})
"""Query keys of a link to buy with: a basket's, and an affiliate's ("?aff_id=77"); not
``ref``, which newsletters add to the journal links they send readers to."""
PAGE_SUFFIX = re.compile(r"\.(?:html?|php|aspx?)$", re.IGNORECASE)
INTERNAL_REFERENCE = re.compile(
    r"#(?:user-content-)?(?:(?:ref|fn|cite_note|cite|note|footnote|bib|source)[-_:]?[\w-]*|c?r\d[\w-]*)", re.IGNORECASE
)
DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)
"""A DOI, with the label or resolver address written before it. What ``_dois`` finds."""
DOI_NUMBER = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
DOI_LABEL = re.compile(r"doi:", re.IGNORECASE)
DOI_RESOLVERS = [(len(address), re.compile(re.escape(address), re.IGNORECASE)) for address in
                 ("https://dx.doi.org/", "http://dx.doi.org/", "https://doi.org/", "http://doi.org/")]
PATTERNS = {
    "pmid": re.compile(r"\bPMID:?\s*\d{6,9}\b"),
    "pmcid": re.compile(r"\bPMC\d{5,9}\b"),
    "trial": re.compile(r"\b(?:NCT\d{8}|ISRCTN\d{8}|EudraCT\s*\d{4}-\d{6}-\d{2})\b"),
    # A guideline named by its number: "the NICE guideline on osteoarthritis (NG226)", "SIGN 158"
    "guideline": re.compile(r"\bNICE\b(?:\W+\w+){0,6}?\W+\(?(?:NG|CG|TA|QS|PH|DG|IPG|MTG)\d{1,4}\b|\bSIGN\s+\d{2,3}\b"),
}

AUTHOR_YEAR_IN_BRACKETS = re.compile(
    r"\((?:see\s+)?(?:[A-Z][\w'’-]+|[A-Z]{2,})(?:\s+[A-Z]{1,3})?(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][\w'’-]+)?,?\s+"
    r"(?:19|20)\d\d[a-z]?(?:;\s*[^()]{0,80})?\)"
    # "(Cioffi et al., Journal of Translational Medicine)", "(Bolke et al., Nutrients
    # 2019;11(10):2494)": authors, then a journal, perhaps with issue numbers in brackets,
    # and perhaps in italics ("*Sports Medicine*", "<em>BMJ</em>")
    r"|\([A-Z][\w'’-]+(?:\s+[A-Z]{1,3})?\s+et\s+al\.?,\s+(?:[*_]{1,2}|<(?:em|i|cite)>)?[A-Z](?:[^()]|\(\w{1,10}\)){3,120}\)"
    # Three to six authors, perhaps then a journal: "(Howe, Keys and Richards, Journal of
    # Dentistry, 2019)"
    r"|\((?:see\s+)?[A-Z][\w'’-]+(?:,\s+[A-Z][\w'’-]+){1,4},?\s+(?:and|&)\s+[A-Z][\w'’-]+,?\s+"
    r"(?:(?:[*_]{1,2}|<(?:em|i|cite)>)?[A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|of|and|in|the|for|on)){0,9}"
    r"(?:[*_]{1,2}|</(?:em|i|cite)>)?,?\s+)?(?:19|20)\d\d[a-z]?\)"
    # A group author: "(World Health Organization, 2019)", "(see Royal College of
    # Physicians 2021)", "(DREAM Study Research Group, New England Journal of Medicine,
    # 2018)"; not a badge, "(British Acupuncture Council member since 2009)"
    r"|\((?:see\s+)?(?:[A-Z][\w'’-]*\s+(?:(?:of|for|on|and|&)\s+)?){0,6}(?:Group|Collaborat(?:ors|ion|ive)|"
    r"Organi[sz]ation|Society|Institute|Association|Foundation|Council|Consortium|Network|Agency|Committee|"
    r"College|Investigators|Trialists)(?:\s+(?:of|for|on)(?:\s+(?:the\s+)?[A-Z][\w'’-]*){1,5})?"
    r"(?:,\s*(?:[*_]{1,2}|<(?:em|i|cite)>)?[A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|of|and|in|the|for|on)){0,9}"
    r"(?:[*_]{1,2}|</(?:em|i|cite)>)?)?,?\s+(?:19|20)\d\d[a-z]?\)"
)
"""An author-year reference in brackets: "(Smith 2019)", "(Smith and Lee, 2020; 12:4)",
"(Lee et al., Nutrients)", "(World Health Organization, 2019)"."""
AUTHOR_ET_AL_YEAR = re.compile(r"\b[A-Z][\w'’-]+\s+et\s+al\.?,?\s+\(?(?:19|20)\d\d[a-z]?\)?")
"""An author-year reference in the sentence: "Smith et al. 2019", "Smith et al. (2019)"."""
ET_AL = re.compile(r"(?<!\s)\s+et\s+al")
"""Where the whitespace before an "et al" begins: only at the start of a run of whitespace,
which keeps a search through thousands of spaces linear."""
HEALTH_BODY = re.compile(
    r"\b(?:[a-z0-9-]+\.)+(?:gov|gov\.uk|nhs\.uk|nice\.org\.uk|who\.int|europa\.eu|gc\.ca|gov\.au)\b(?:/[\w./%#?=&-]*)?"
)
"""A page of a public health body, written without "https://": "(cdc.gov/oral-health)"."""
HEALTH_BODY_SUFFIX = re.compile(r"\.(?:gov|gov\.uk|nhs\.uk|nice\.org\.uk|who\.int|europa\.eu|gc\.ca|gov\.au)\b")
HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")

# Literal text without which a pattern cannot match (as it is spelled there: these
# patterns are case-sensitive, and "10." has no case). Most articles hold no PMID or
# trial number, and skip those scans.
MUST_CONTAIN = {"pmid": ("PMID",), "pmcid": ("PMC",), "trial": ("NCT", "ISRCTN", "EudraCT"),
                "guideline": ("NICE", "SIGN"), "health-body": (".gov", ".nhs.uk", "nice.org.uk", "who.int", "europa.eu", ".gc.ca")}
# Every match of the journal pattern starts with one of these (``_journal_mentions``).
JOURNAL_VERBS = ("published", "reported", "appeared", "appearing", "appears")
LEXICONS = ("journals",)
"""The lexicons citations are found with, kept in the compiled-rules cache."""


def find_citations(doc: Document) -> Citations:
    """Every citation in ``doc`` and every marker that resolves to no reference."""
    references = _reference_numbers(doc)
    found: list[Citation] = []
    unresolved: list[Citation] = []
    for link in doc.parsed.links:
        if _link_cites(link.target):
            found.append(Citation(link.start, link.end, "link", link.target))
    for marker in doc.parsed.markers:
        resolves = (
            marker.label in doc.parsed.footnote_labels
            if marker.kind == "footnote"
            else _numbers(marker.label) <= references and bool(_numbers(marker.label))
        )
        (found if resolves else unresolved).append(
            Citation(marker.start, marker.end, marker.kind, marker.label)
        )
    for m in NUMERIC_MARKER.finditer(doc.masked):
        if m.group(2) is not None:  # a footnote reference markdown left as literal text
            unresolved.append(Citation(m.start(), m.end(), "footnote", m.group(2)))
            continue
        numbers = _numbers(m.group(1))
        cite = Citation(m.start(), m.end(), "marker", m.group(1))
        (found if numbers and numbers <= references else unresolved).append(cite)
    if "10." in doc.text:
        found.extend(Citation(start, end, "doi", doc.text[start:end]) for start, end in _dois(doc.text))
    for kind, finder in _finders():
        literals = MUST_CONTAIN.get(kind)
        if literals and not any(literal in doc.text for literal in literals):
            continue
        for m in finder(doc.text):
            found.append(Citation(m.start(), m.end(), kind, m.group()))
    for m in _journal_mentions(doc):
        found.append(Citation(m.start(), m.end(), "journal", m.group()))
    ranges = [(entries[0].start, entries[-1].end) for entries in _reference_lists(doc) if entries]
    inside = [u for u in unresolved if any(a <= u.start < b for a, b in ranges)]
    return Citations(found, [u for u in unresolved if u not in inside], ranges)


def _dois(text: str) -> Iterator[tuple[int, int]]:
    """The spans ``DOI.finditer`` gives, found from the number ("10.1000/xyz") back.

    ``DOI`` may begin with a label or an address, so the engine tries it at every
    character of the article, which was a quarter of finding the citations. The number is
    a literal, found at once; the label or address is then looked for just before it, as
    the scan would have found it: the match starts where the earliest of them begins,
    never inside the previous match, and at a word boundary.
    """
    pos = 0
    while (number := DOI_NUMBER.search(text, pos)) is not None:
        at, end = number.start(), number.end()
        start = _doi_prefix(text, at, pos)
        if start is None:
            pos = at + 1  # no match here; one may still begin inside this number
            continue
        yield start, end
        pos = end


def _doi_prefix(text: str, at: int, earliest: int) -> int | None:
    """Where a DOI whose number starts at ``at`` begins: at its resolver address or its
    ``doi:`` label, else at the number itself; None where none of them has a word
    boundary before it. Nothing before ``earliest`` (the end of the previous match) counts."""
    for length, address in DOI_RESOLVERS:
        start = at - length
        if start >= earliest and address.fullmatch(text, start, at) and _boundary_before(text, start):
            return start
    label_end = at
    while label_end > earliest and text[label_end - 1].isspace():  # the label's \s*
        label_end -= 1
    start = label_end - len("doi:")
    if start >= earliest and DOI_LABEL.fullmatch(text, start, label_end) and _boundary_before(text, start):
        return start
    return at if _boundary_before(text, at) else None


@cache
def _finders() -> list[tuple[str, Callable[[str], Iterator[re.Match[str]]]]]:
    """How each kind of citation written in the text is found: a pattern's own scan, or a
    search that finds the same matches faster. Citations that begin at the same place
    keep this order; a health body's page (lower case) and a guideline ("NICE", "SIGN")
    never do, so health bodies coming after guidelines changes nothing."""
    return [*((kind, pattern.finditer) for kind, pattern in PATTERNS.items()),
            ("health-body", _health_body_pages), ("author-year", _author_years)]


def _health_body_pages(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``HEALTH_BODY.finditer``, tried only in the host name before a
    health body's domain (".nhs.uk"): the pattern begins with a host name, so the engine
    tried it at every word of the article, half of finding the citations."""
    in_host = HOST_CHARACTERS.__contains__
    pos = 0
    while (m := _first_before(text, pos, HEALTH_BODY, HEALTH_BODY_SUFFIX, in_host, 1)) is not None:
        yield m
        pos = m.end()


def _author_years(text: str) -> Iterator[re.Match[str]]:
    """The matches one alternation of ``AUTHOR_YEAR_IN_BRACKETS`` and ``AUTHOR_ET_AL_YEAR``
    would find, leftmost first and not overlapping. The two never begin at the same
    character (one begins with "(", the other with a capital), so taking the earlier of
    their next matches is what the alternation does.

    In one alternation the "et al" form was tried at every capitalised word and cost
    thirty times the bracketed forms: it is tried only in the name before each "et al".
    """
    bracketed = AUTHOR_YEAR_IN_BRACKETS.search(text)
    et_al = _first_before(text, 0, AUTHOR_ET_AL_YEAR, ET_AL, _name_character, 2)
    while bracketed is not None or et_al is not None:
        if et_al is None or (bracketed is not None and bracketed.start() < et_al.start()):
            m = bracketed
        else:
            m = et_al
        yield m
        pos = m.end()
        if bracketed is not None and bracketed.start() < pos:
            bracketed = AUTHOR_YEAR_IN_BRACKETS.search(text, pos)
        if et_al is not None and et_al.start() < pos:
            et_al = _first_before(text, pos, AUTHOR_ET_AL_YEAR, ET_AL, _name_character, 2)


def _first_before(
    text: str, pos: int, pattern: re.Pattern[str], landmark: re.Pattern[str], in_run: Callable[[str], bool],
    shortest: int,
) -> re.Match[str] | None:
    """The first match of ``pattern`` from ``pos`` on, for a pattern whose every match
    begins with a run of at least ``shortest`` characters that ``in_run`` accepts, ending
    where a match of ``landmark`` begins (a host name and its domain, a name and the
    space before "et al"), and never at a landmark's first character.

    Such a match begins in the run just before the next landmark, or after that
    landmark's first character. So the pattern is tried only in those runs: no place
    twice, and none that a scan of the whole text would not have tried.
    """
    while (hit := landmark.search(text, pos)) is not None:
        at = hit.start()
        start = at
        while start > pos and in_run(text[start - 1]):
            start -= 1
        for place in range(start, at - shortest + 1):
            m = pattern.match(text, place)
            if m is not None:
                return m
        pos = at + 1
    return None


def _name_character(ch: str) -> bool:
    """``[\\w'’-]`` of the standard library's engine: ``\\w`` is what ``str.isalnum`` says, and "_"."""
    return ch.isalnum() or ch in "_'’-"


def _boundary_before(text: str, at: int) -> bool:
    """``\\b`` before a word character at ``at``: no word character before it."""
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


def _link_cites(target: str) -> bool:
    """A link cites unless it goes nowhere a reader can check a claim: a mail or phone
    link, an anchor on the page that is no reference, a page for buying, booking or
    signing in ("/basket/add?sku=NSP-01", "/checkout", "/my-account/"), the site's own home
    page or one of the pages every site has ("/", "/terms", "/privacy-policy")."""
    target = target.strip()
    if not target or target.lower().startswith(NON_CITING_SCHEMES):
        return False
    if target.startswith("#"):
        return bool(INTERNAL_REFERENCE.fullmatch(target))
    try:
        parts = urlsplit(target)
    except ValueError:  # "http://[bad": a reader may still follow it
        return True
    segments = [PAGE_SUFFIX.sub("", segment) for segment in parts.path.lower().split("/") if segment]
    return not (_shop_page(parts, segments) or _site_page(parts, segments))


def _shop_page(parts: SplitResult, segments: list[str]) -> bool:
    """True for a link to a page for buying, booking or signing in (``SHOP_SEGMENTS``), or
    for an affiliate's link (``SHOP_QUERY_KEYS``); ``segments`` are the parts of its path."""
    if any(segment in SHOP_SEGMENTS or segment.startswith(SHOP_SEGMENT_STARTS) for segment in segments):
        return True
    return any(key.lower() in SHOP_QUERY_KEYS for key, _ in parse_qsl(parts.query, keep_blank_values=True))


def _site_page(parts: SplitResult, segments: list[str]) -> bool:
    """True for a link to this site's home page ("/", "index.html"), to a page named in
    ``SITE_PAGES`` ("/terms", "https://shop.example/legal/privacy-policy.html") or to one
    named in ``SITE_TOP_PAGES`` at the top of a site ("/about-us", "/faq/index.html"), or
    within the site to one named in ``SITE_ACTION_PAGES`` ("/book", "/pricing/")."""
    if segments[-1:] == ["index"]:
        segments = segments[:-1]
    if not segments:
        return bool(parts.path) and not (parts.scheme or parts.netloc or parts.query)
    within_site = not (parts.scheme or parts.netloc)
    return (segments[-1] in SITE_PAGES or (len(segments) == 1 and segments[0] in SITE_TOP_PAGES)
            or (within_site and segments[-1] in SITE_ACTION_PAGES))


def _numbers(label: str) -> set[int]:
    """``"1, 3-5"`` → {1, 3, 4, 5}; a nonsensical range gives the empty set."""
    out: set[int] = set()
    for part in re.split(r"\s*,\s*", label.strip()):
        bounds = re.split(r"\s*[–-]\s*", part)
        if not all(b.isdigit() for b in bounds):
            return set()
        lo, hi = int(bounds[0]), int(bounds[-1])
        if hi < lo or hi - lo > 50:
            return set()
        out.update(range(lo, hi + 1))
    return out


def _reference_numbers(doc: Document) -> set[int]:
    """Numbers of the entries of the document's reference list(s)."""
    numbers: set[int] = set()
    for entries in _reference_lists(doc):
        for position, block in enumerate(entries, start=1):
            if block.number is not None:
                numbers.add(block.number)
                continue
            m = ENTRY_NUMBER.match(doc.text, block.start - _indent(doc.text, block.start))
            numbers.add(int(m.group(1) or m.group(2)) if m else position)
    for block in doc.blocks:
        if block.kind == "footnote" and block.label and block.label.isdigit():
            numbers.add(int(block.label))
    return numbers


def _indent(text: str, offset: int) -> int:
    """How far back the line containing ``offset`` starts (list markers are masked)."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return offset - line_start


def _reference_lists(doc: Document) -> list[list[Block]]:
    """Entries under each "References"-like heading, while they look like references.

    An entry is a list item or footnote, a numbered line, or a paragraph with a year, a
    DOI or a link; the first block that is none of these ends the list, so a heading such
    as "Notes" followed by ordinary prose does not hide that prose from the rules.
    """
    return _reference_lists_cached(doc)


def _reference_lists_cached(doc: Document) -> list[list[Block]]:
    cached = doc.__dict__.get("_reference_lists")
    if cached is not None:
        return cached
    lists: list[list[Block]] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if not REFERENCE_HEADING.fullmatch(doc.masked[block.start : block.end]):
            continue
        entries = []
        for nxt in blocks[i + 1 :]:
            if not _looks_like_entry(doc, nxt):
                break
            entries.append(nxt)
        lists.append(entries)
    doc.__dict__["_reference_lists"] = lists
    return lists


def _looks_like_entry(doc: Document, block: Block) -> bool:
    if block.kind in ("list_item", "footnote") or block.number is not None:
        return True
    if ENTRY_NUMBER.match(doc.text, block.start - _indent(doc.text, block.start)):
        return True
    body = doc.text[block.start : block.end]
    return block.kind != "heading" and bool(REFERENCE_SHAPE.search(body))


def _journal_mentions(doc: Document) -> Iterator[re.Match[str]]:
    """The journal pattern's matches, tried only where one of its verbs begins: most
    articles say "published" or "reported" somewhere, and scanning all of their prose
    case-insensitively for the journal names cost more than every other citation form."""
    lowered = doc.lowered
    places = sorted(at for verb in JOURNAL_VERBS for at in _occurrences(lowered, verb))
    if not places:
        return
    pattern = _journal_pattern()
    last_end = 0
    for at in places:
        if at < last_end:
            continue
        m = pattern.match(doc.masked, at)
        if m is not None:
            last_end = m.end()
            yield m


def _occurrences(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)


@cache
def _journal_pattern() -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(n) for n in lexicon("journals")), key=len, reverse=True))
    return re.compile(
        rf"\b(?:published|reported|appeared|appearing|appears)\s+(?:(?:online|today|recently|yesterday|this\s+week)\s+)?(?:in|by)\s+"
        rf"(?:the\s+)?(?:journal\s+)?(?:{names}|Journal\s+of\s+[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)"
        # "published today in the journal Aging Cell": a journal named as one, capitalised
        r"|\b(?:published|reported|appeared|appears)\s+(?:\w+\s+){0,2}?in\s+the\s+journal\s+(?-i:[A-Z])[\w&-]*",
        re.IGNORECASE,
    )
