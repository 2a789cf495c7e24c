"""A seeded generator of realistic health articles (Markdown, HTML, plain text) and of
extra phrase rules, for the benchmark suite (``benchmarks/run.py``) and the profiler
(``benchmarks/profile.py``).

Every article is built from its own random stream, seeded from (seed, format, index), so
file ``i`` is the same whatever the corpus size: a slice of the first ``k`` files of the
big corpus *is* the small corpus, and scaling runs compare like with like. The generator
does not import healthlint, so the corpus stays the same while healthlint changes.

An article is a list of blocks (headings, paragraphs of marked-up sentences, lists,
quotes, tables, code, a reference list, a disclaimer) rendered by one of three writers.
Its prose mixes neutral, hedged, cited and uncited claims, research appeals, hype,
safety absolutes and calls to action in proportions that vary from article to article.
Sizes follow a log-normal distribution: median about 10 KB, clipped to 1-30 KB.

    python benchmarks/corpus.py OUT_DIR [--files 2000] [--format md|html|txt] [--seed N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 1  # bump when the output changes, so cached corpora are rebuilt
DEFAULT_SEED = 20261122
MEDIAN_BYTES = 11_000
MIN_BYTES, MAX_BYTES = 1_000, 30_000
SUFFIX = {"md": ".md", "html": ".html", "txt": ".txt"}

# ---------------------------------------------------------------------------- vocabulary
# fmt: off
CONDITIONS = [
    "type 2 diabetes", "high blood pressure", "high cholesterol", "asthma", "eczema",
    "psoriasis", "migraine", "osteoarthritis", "rheumatoid arthritis", "depression",
    "anxiety", "insomnia", "irritable bowel syndrome", "acid reflux", "back pain",
    "the common cold", "influenza", "obesity", "fatty liver disease", "gout",
    "menopause symptoms", "chronic fatigue", "acne", "hay fever", "osteoporosis",
    "heart disease", "dementia", "ADHD", "tinnitus", "kidney stones", "shingles",
    "urinary tract infections", "sinusitis", "plantar fasciitis", "gum disease",
]
INTERVENTIONS = [
    "vitamin D", "zinc", "magnesium", "omega-3 fish oil", "turmeric", "curcumin",
    "probiotics", "melatonin", "intermittent fasting", "the Mediterranean diet",
    "green tea extract", "apple cider vinegar", "collagen peptides", "ashwagandha",
    "elderberry syrup", "acupuncture", "yoga", "cold-water swimming", "walking",
    "resistance training", "cognitive behavioural therapy", "mindfulness meditation",
    "a low-FODMAP diet", "statins", "metformin", "ibuprofen", "paracetamol",
    "CBD oil", "ginger", "garlic supplements", "vitamin C", "iron tablets",
    "creatine", "a standing desk", "red light therapy", "infrared saunas",
    "the keto diet", "fibre supplements", "cranberry juice", "saw palmetto",
]
OUTCOMES = [
    "blood sugar control", "blood pressure", "LDL cholesterol", "sleep quality",
    "the length of colds", "joint pain", "mood", "fatigue", "inflammation markers",
    "bone density", "waist circumference", "memory scores", "symptom scores",
    "hospital admissions", "the risk of falls", "recovery time", "quality of life",
    "headache frequency", "itching", "bloating",
]
POPULATIONS = [
    "adults over 60", "postmenopausal women", "people with {c}", "children aged 5 to 12",
    "pregnant women", "office workers", "older adults in care homes", "young athletes",
    "people taking blood thinners", "adults with overweight",
]
STUDY_KINDS = [
    "randomised controlled trial", "cohort study", "systematic review", "meta-analysis",
    "pilot study", "cross-sectional survey", "case-control study", "observational study",
]
JOURNALS = [
    "BMJ", "Lancet", "JAMA", "N Engl J Med", "Am J Clin Nutr", "Cochrane Database Syst Rev",
    "J Nutr", "Nutrients", "PLoS One", "Ann Intern Med", "Br J Gen Pract", "Eur J Nutr",
]
SURNAMES = [
    "Smith", "Nguyen", "García", "Okafor", "Müller", "Kowalski", "Hemilä", "Patel",
    "Johansson", "Rossi", "Tanaka", "O'Brien", "Haddad", "Novak", "Fischer", "Larsen",
]
HEDGES = [
    "may", "might", "could", "appears to", "seems to", "is thought to", "can sometimes",
]
HEDGE_OPENERS = [
    "Some evidence suggests that", "It is possible that", "Early findings hint that",
    "There is limited evidence that", "A few small studies suggest that",
    "Researchers are still unsure whether", "It remains unclear whether",
]
CLAIM_VERBS = [
    "cures", "reverses", "eliminates", "prevents", "heals", "treats", "fights",
    "stops", "wipes out", "gets rid of", "melts away", "banishes",
]
BENEFIT_VERBS = [
    "boosts", "supports", "strengthens", "improves", "restores", "rebalances",
    "detoxifies", "cleanses", "revitalises", "regenerates", "soothes", "repairs",
]
BENEFIT_TARGETS = [
    "your immune system", "gut health", "your metabolism", "brain function",
    "your liver", "hormone balance", "energy levels", "joint health", "skin health",
    "heart health", "circulation", "your adrenal glands", "cellular repair",
]
HYPE_WORDS = [
    "miracle", "breakthrough", "game-changer", "revolutionary", "cutting-edge",
    "groundbreaking", "superfood", "wonder drug", "magic bullet", "secret formula",
    "ancient remedy", "life-changing", "unprecedented", "holy grail", "cure-all",
    "amazing results", "incredible healing", "first-of-its-kind", "clinically proven",
    "doctor-approved", "100% natural", "chemical-free", "scientifically formulated",
    "detox", "all-natural", "risk-free", "fast-acting", "best-selling",
]
RESEARCH_APPEALS = [
    "Studies show", "Research shows", "Experts agree", "Science says", "Doctors recommend",
    "Scientists have found", "Emerging research suggests", "Recent studies confirm",
    "A new study found", "It has been shown that", "Many experts believe",
]
SAFETY_ABSOLUTES = [
    "has no side effects", "is completely safe", "is 100% safe for everyone",
    "is safe for all ages", "carries no risk", "is non-toxic and harmless",
]
CALLS_TO_ACTION = [
    "Order now while stocks last.", "Book your free consultation today.",
    "Limited time offer: 20% off with code HEALTH20.", "Act now and start your journey today.",
    "Don't wait: call us today.", "Try it risk-free with our money-back guarantee.",
]
NEUTRAL_SENTENCES = [
    "{i} has been studied in {p}, with mixed results.",
    "The usual adult dose of {i} is listed on the patient leaflet.",
    "Most people who try {i} notice no change in {o}.",
    "Side effects of {i} are usually mild, but some people get stomach upset.",
    "Talk to your doctor or pharmacist before you start {i}, especially if you take other medicines.",
    "{c} is common, and its symptoms often come and go over several weeks.",
    "Your GP can check {o} with a simple test.",
    "The trial followed {n} {p} for {w} weeks and measured {o} at the start and at the end.",
    "Guidelines from national health bodies do not currently recommend {i} for {c}.",
    "If your symptoms get worse or do not improve after {w} days, see a doctor.",
    "People with {c} should not stop prescribed treatment without medical advice.",
    "The researchers adjusted for age, smoking, income and physical activity.",
    "A placebo is a dummy treatment that looks like the real one but has no active ingredient.",
    "The difference between the groups was small and may have been due to chance.",
    "Drop-out rates were high, which makes the results harder to interpret.",
    "Ask whether the study compared {i} with a placebo or with no treatment at all.",
    "Store {i} out of the reach of children and check the expiry date.",
    "Some brands of {i} contain far more or far less than the label states.",
    "In the UK, the NHS offers free advice on {c} through its website and helplines.",
    "A healthy diet, regular exercise and enough sleep matter more than any single supplement.",
    "The absolute risk fell from {a} in 100 to {b} in 100 people over {w} weeks.",
    "The study was funded by a manufacturer of {i}, which the authors disclosed.",
    "Results in mice or cell cultures do not always carry over to people.",
    "Blood tests can show whether you are actually low in {i}.",
    "Keep a symptom diary for two weeks so your doctor can see the pattern.",
    "Pharmacists can tell you whether {i} interacts with your other medicines.",
]
HEDGED_SENTENCES = [
    "{h} {i} {hv} help some people with {c}.",
    "{i} {hv} slightly improve {o} in {p}, but the evidence is weak.",
    "{h} {i} {hv} reduce {o}, although larger trials are needed.",
    "For some people, {i} {hv} ease mild symptoms of {c}.",
    "The effect of {i} on {o}, if there is one, {hv} be modest.",
]
CLAIM_SENTENCES = [
    "{i} {cv} {c}.",
    "Taking {i} every day {cv} {c} in just {w} days.",
    "Our {i} formula {bv} {bt} and {cv} {c}.",
    "{i} {bv} {bt} naturally.",
    "This simple trick with {i} {cv} {c} for good.",
    "{i} reduces {o} by {pct}% and {bv} {bt}.",
]
HYPE_SENTENCES = [
    "{hy_cap} {i} is the {hy} everyone is talking about.",
    "Discover the {hy} that {cv} {c}.",
    "This {hy} {i} blend is a true {hy2}.",
    "Customers call it a {hy} for {c}.",
    "{i} is a {hy} for anyone with {c}.",
]
RESEARCH_SENTENCES = [
    "{ra} that {i} {cv} {c}.",
    "{ra} that {i} improves {o}.",
    "{ra} that {i} {bv} {bt}.",
]
SAFETY_SENTENCES = ["Unlike prescription drugs, {i} {sa}.", "Because it is natural, {i} {sa}."]
TESTIMONIALS = [
    "{i} cured my {c} in a week!", "I stopped my medication after two months on {i}.",
    "After years of {c}, I finally feel like myself again thanks to {i}.",
    "My doctor was amazed at my results.",
]
CODE_SNIPPETS = [
    ("python", [
        "def bmi(weight_kg: float, height_m: float) -> float:",
        '    """Body mass index; a screening tool, not a diagnosis."""',
        "    return weight_kg / height_m ** 2",
        "",
        "print(round(bmi(70, 1.75), 1))  # cures nothing, proves nothing",
    ]),
    ("json", [
        "{",
        '  "@context": "https://schema.org",',
        '  "@type": "MedicalWebPage",',
        '  "about": {"@type": "MedicalCondition", "name": "{c}"},',
        '  "lastReviewed": "2024-05-01"',
        "}",
    ]),
    ("yaml", [
        "dose:",
        "  adult_mg: {mg}",
        "  max_daily_mg: {mg2}",
        "  notes: miracle cure claims are not allowed in product copy",
    ]),
    ("bash", [
        "# convert the patient leaflet to HTML",
        "pandoc leaflet.md -o leaflet.html --standalone",
    ]),
    ("text", [
        "Dose (mg) = 0.5 x body weight (kg), at most {mg2} mg a day",
        "Studies show: see reference [3]",
    ]),
]
URL_HOSTS = [
    "https://www.nhs.uk/conditions/", "https://medlineplus.gov/", "https://www.who.int/news-room/",
    "https://pubmed.ncbi.nlm.nih.gov/", "https://doi.org/10.1136/bmj.", "https://www.cochranelibrary.com/",
    "https://example-supplements.shop/products/",
]
DISCLAIMERS = [
    ("This article is for general information only and is not medical advice. Always consult "
     "a qualified health professional about your own health."),
    ("The information on this page does not replace advice from your doctor. If you are "
     "worried about your symptoms, speak to a healthcare professional."),
    ("These statements have not been evaluated by the Food and Drug Administration. This "
     "product is not intended to diagnose, treat, cure, or prevent any disease."),
]
# fmt: on

# Inline segments: ("t", text) | ("em", text) | ("strong", text) | ("code", text)
#                | ("link", text, url) | ("fn", n) footnote | ("cite", n) numbered marker
Segment = tuple


@dataclass
class Block:
    kind: str  # h1 h2 h3 p ul ol quote table code refs disclaimer comment hr image
    items: list  # paragraphs: [segments]; lists: [[segments], ...]; table: rows; code: lines
    extra: str = ""  # heading level text, code language, list of refs style


@dataclass
class Article:
    title: str
    meta: dict
    blocks: list[Block]
    citation_style: str  # footnote | numbered | inline | author-year | none
    references: list[str]
    wrap: int  # 0 = one line per paragraph


# ----------------------------------------------------------------------------- prose


class Writer:
    """Draws sentences for one article from its own random stream."""

    def __init__(self, rng: random.Random, topic: str, condition: str) -> None:
        self.rng = rng
        self.topic = topic
        self.condition = condition
        # How promotional this article is: most are sober, a few are ads.
        self.hype_rate = rng.choice([0.0, 0.0, 0.01, 0.02, 0.03, 0.05, 0.10, 0.20])
        self.claim_rate = rng.choice([0.01, 0.02, 0.04, 0.08])
        self.hedge_rate = rng.choice([0.05, 0.10, 0.15])
        self.cite_rate = rng.choice([0.0, 0.05, 0.15, 0.30])
        self.refs_used = 0

    def fill(self, template: str) -> str:
        r = self.rng
        c = self.condition if r.random() < 0.6 else r.choice(CONDITIONS)
        i = self.topic if r.random() < 0.6 else r.choice(INTERVENTIONS)
        hy = r.choice(HYPE_WORDS)
        values = {
            "c": c, "i": i, "o": r.choice(OUTCOMES), "n": r.choice([24, 48, 120, 312, 1_046, 25_871]),
            "w": r.choice([2, 4, 6, 8, 12, 24, 52]), "a": r.randint(5, 9), "b": r.randint(2, 5),
            "p": r.choice(POPULATIONS).replace("{c}", c), "h": r.choice(HEDGE_OPENERS),
            "hv": r.choice(HEDGES), "cv": r.choice(CLAIM_VERBS), "bv": r.choice(BENEFIT_VERBS),
            "bt": r.choice(BENEFIT_TARGETS), "hy": hy, "hy_cap": hy[:1].upper() + hy[1:],
            "hy2": r.choice(HYPE_WORDS), "ra": r.choice(RESEARCH_APPEALS),
            "sa": r.choice(SAFETY_ABSOLUTES), "pct": r.choice([30, 50, 70, 90]),
        }
        text = template.format(**values)
        return text[:1].upper() + text[1:]

    def sentence(self) -> list[Segment]:
        r = self.rng
        roll = r.random()
        if roll < self.hype_rate:
            template = r.choice(HYPE_SENTENCES + RESEARCH_SENTENCES + SAFETY_SENTENCES)
        elif roll < self.hype_rate + self.claim_rate:
            template = r.choice(CLAIM_SENTENCES)
        elif roll < self.hype_rate + self.claim_rate + self.hedge_rate:
            template = r.choice(HEDGED_SENTENCES)
        else:
            template = r.choice(NEUTRAL_SENTENCES)
        return self.decorate(self.fill(template))

    def decorate(self, text: str) -> list[Segment]:
        """Sprinkle inline markup and citations over one sentence."""
        r = self.rng
        segments: list[Segment] = []
        words = text.split(" ")
        if len(words) > 4 and r.random() < 0.25:
            k = r.randrange(1, len(words) - 2)
            span = r.randint(1, 2)
            mark = r.choice(["em", "strong", "link", "code"])
            before, inner, after = words[:k], words[k : k + span], words[k + span :]
            segments.append(("t", " ".join(before) + " "))
            inner_text = " ".join(inner)
            if mark == "link":
                segments.append(("link", inner_text, self.url()))
            elif mark == "code" and r.random() < 0.5:
                segments.append(("code", inner_text))
            else:
                segments.append(("em" if mark == "code" else mark, inner_text))
            segments.append(("t", " " + " ".join(after)))
        else:
            segments.append(("t", text))
        if r.random() < self.cite_rate:
            self.refs_used += 1
            # Move the full stop after the marker, as editors do.
            last = segments[-1]
            if last[0] == "t" and last[1].endswith("."):
                segments[-1] = ("t", last[1][:-1])
                segments += [("cite", self.refs_used), ("t", ".")]
            else:
                segments.append(("cite", self.refs_used))
        return segments

    def paragraph(self) -> list[Segment]:
        out: list[Segment] = []
        for n in range(self.rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 8])):
            if n:
                out.append(("t", " "))
            out.extend(self.sentence())
        return out

    def url(self) -> str:
        host = self.rng.choice(URL_HOSTS)
        slug = self.rng.choice(CONDITIONS + INTERVENTIONS).lower().replace(" ", "-").replace("'", "")
        return f"{host}{slug}" if not host.endswith(".") else f"{host}{self.rng.randint(100, 999)}.{slug}"

    def reference(self, n: int) -> str:
        r = self.rng
        authors = ", ".join(f"{s} {chr(65 + r.randrange(26))}" for s in r.sample(SURNAMES, r.randint(1, 3)))
        kind = r.choice(STUDY_KINDS)
        topic = r.choice(INTERVENTIONS)
        title = f"{topic[:1].upper()}{topic[1:]} for {r.choice(CONDITIONS)}: a {kind}"
        year = r.randint(1998, 2024)
        return (
            f"{authors} et al. {title}. {r.choice(JOURNALS)}. {year};{r.randint(1, 400)}"
            f"({r.randint(1, 12)}):{r.randint(1, 900)}-{r.randint(901, 999)}. "
            f"doi:10.{r.randint(1000, 9999)}/{r.randint(10**5, 10**6)}"
        )


def build_article(rng: random.Random, fmt: str, target: int) -> Article:
    topic = rng.choice(INTERVENTIONS)
    condition = rng.choice(CONDITIONS)
    w = Writer(rng, topic, condition)
    title = rng.choice([
        f"Does {topic} help with {condition}?", f"{topic[:1].upper()}{topic[1:]} and {condition}: what the evidence says",
        f"{condition[:1].upper()}{condition[1:]}: causes, symptoms and treatment", f"The truth about {topic}",
        f"{topic[:1].upper()}{topic[1:]}: the {rng.choice(HYPE_WORDS)} for {condition}?",
    ])
    meta = {
        "title": title,
        "description": f"What the research says about {topic} for {condition}.",
        "author": f"Dr {rng.choice(['A.', 'J.', 'M.', 'S.'])} {rng.choice(SURNAMES)}" if rng.random() < 0.7 else "",
        "date": f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.8 else "",
        "tags": rng.sample(["nutrition", "supplements", "sleep", "heart", "mental health", "skin", "exercise", "ageing"], 3),
        "reviewed_by": rng.choice(["", "Medical Review Board", f"Prof {rng.choice(SURNAMES)}"]),
    }
    style = rng.choice(["footnote", "numbered", "numbered", "inline", "author-year", "none"])
    blocks: list[Block] = [Block("h1", [[("t", title)]])]
    size = len(title) + 200
    section = 0
    renderer = RENDER_BLOCK[fmt]
    ctx = {"style": style}
    while size < target * 0.9:
        refs_before = w.refs_used
        roll = rng.random()
        if roll < 0.16 or section == 0:
            section += 1
            level = "h3" if rng.random() < 0.25 and section > 1 else "h2"
            heading = rng.choice([
                f"What is {condition}?", f"How {topic} is thought to work", "What the research says",
                "Side effects and risks", "Who should avoid it", "How much to take", "The bottom line",
                f"{topic[:1].upper()}{topic[1:]} versus placebo", "Frequently asked questions",
                f"Living with {condition}", "When to see a doctor", "Our verdict",
            ])
            block = Block(level, [[("t", heading)]])
        elif roll < 0.70:
            block = Block("p", [w.paragraph()])
        elif roll < 0.78:
            kind = rng.choice(["ul", "ol"])
            block = Block(kind, [w.sentence() for _ in range(rng.randint(2, 6))])
        elif roll < 0.83:
            t = rng.choice(TESTIMONIALS).format(i=topic, c=condition)
            block = Block("quote", [[("t", t)], [("t", f"— {rng.choice(['Sarah', 'Tom', 'Priya', 'Ahmed'])}, {rng.randint(25, 80)}")]])
        elif roll < 0.88:
            rows = [["Dose", "Who", "Evidence"]] + [
                [f"{rng.choice([50, 100, 250, 500, 1000])} mg", rng.choice(POPULATIONS).replace("{c}", condition),
                 rng.choice(["low", "moderate", "high", "none", "miracle cure!"])]
                for _ in range(rng.randint(2, 6))
            ]
            block = Block("table", rows)
        elif roll < 0.93:
            lang, lines = rng.choice(CODE_SNIPPETS)
            mg = rng.choice([100, 200, 400])
            code = [ln.replace("{c}", condition).replace("{mg}", str(mg)).replace("{mg2}", str(mg * 4)) for ln in lines]
            block = Block("code", code, lang)
        elif roll < 0.95:
            block = Block("cta", [[("t", rng.choice(CALLS_TO_ACTION))]])
        elif roll < 0.97:
            block = Block("comment", [[("t", rng.choice(["TODO: check dose with pharmacist", "healthlint-disable-next-line HL401", "editor: add source"]))]])
        else:
            block = Block("p", [[("t", "Further reading: "), ("link", rng.choice(CONDITIONS), w.url()),
                                 ("t", " and "), ("link", "the product page", w.url()), ("t", ".")]])
        blocks.append(block)
        size += len(renderer(block, ctx, 0)) + (w.refs_used - refs_before) * 170  # its reference entries
    if rng.random() < 0.55:
        blocks.append(Block("disclaimer", [[("t", rng.choice(DISCLAIMERS))]]))
    references = [w.reference(n) for n in range(1, w.refs_used + 1)] if style != "none" else []
    # A few articles cite a marker they never define, or define one nobody cites.
    if references and rng.random() < 0.1:
        references.pop()
    if rng.random() < 0.05:
        references.append(w.reference(len(references) + 1))
    return Article(title, meta, blocks, style, references, rng.choice([0, 0, 72, 80, 100]))


# ---------------------------------------------------------------------------- renderers


def _md_inline(segments: list[Segment], ctx: dict) -> str:
    out = []
    for seg in segments:
        kind = seg[0]
        if kind == "t":
            out.append(seg[1])
        elif kind == "em":
            out.append(f"*{seg[1]}*")
        elif kind == "strong":
            out.append(f"**{seg[1]}**")
        elif kind == "code":
            out.append(f"`{seg[1]}`")
        elif kind == "link":
            out.append(f"[{seg[1]}]({seg[2]})")
        elif kind == "cite":
            style = ctx.get("style")
            if style == "footnote":
                out.append(f"[^{seg[1]}]")
            elif style == "numbered":
                out.append(f" [{seg[1]}]")
            elif style == "inline":
                out.append(f" ([source](https://pubmed.ncbi.nlm.nih.gov/{30_000_000 + seg[1] * 7919}/))")
            elif style == "author-year":
                out.append(f" ({SURNAMES[seg[1] % len(SURNAMES)]} et al., {2000 + seg[1] % 25})")
    return "".join(out)


def _wrap(text: str, width: int, indent: str = "") -> str:
    if not width:
        return indent + text
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def render_md_block(block: Block, ctx: dict, wrap: int) -> str:
    k = block.kind
    if k in ("h1", "h2", "h3"):
        return "#" * int(k[1]) + " " + _md_inline(block.items[0], ctx) + "\n"
    if k in ("p", "cta", "disclaimer"):
        text = _md_inline(block.items[0], ctx)
        if k == "disclaimer":
            text = f"*{text}*"
        return _wrap(text, wrap) + "\n"
    if k in ("ul", "ol"):
        lines = []
        for n, item in enumerate(block.items, 1):
            bullet = f"{n}. " if k == "ol" else "- "
            lines.append(bullet + _md_inline(item, ctx))
        return "\n".join(lines) + "\n"
    if k == "quote":
        return "\n".join("> " + _md_inline(item, ctx) for item in block.items) + "\n"
    if k == "table":
        header, *rows = block.items
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if k == "code":
        return f"```{block.extra}\n" + "\n".join(block.items) + "\n```\n"
    if k == "comment":
        return f"<!-- {_md_inline(block.items[0], ctx)} -->\n"
    raise ValueError(k)


def render_md(a: Article) -> str:
    out = []
    if a.meta.get("author") or a.meta.get("date") or a.wrap in (0, 80):
        out.append("---")
        out.append(f"title: \"{a.meta['title']}\"")
        out.append(f"description: {a.meta['description']}")
        for key in ("author", "date", "reviewed_by"):
            if a.meta[key]:
                out.append(f"{key}: {a.meta[key]}")
        out.append("tags: [" + ", ".join(a.meta["tags"]) + "]")
        out.append("---")
        out.append("")
    ctx = {"style": a.citation_style}
    for block in a.blocks:
        out.append(render_md_block(block, ctx, a.wrap))
    if a.references:
        if a.citation_style == "footnote":
            out += [f"[^{n}]: {ref}" for n, ref in enumerate(a.references, 1)]
            out.append("")
        elif a.citation_style == "numbered":
            out += ["## References", ""]
            out += [f"{n}. {ref}" for n, ref in enumerate(a.references, 1)]
            out.append("")
        else:
            out += ["## Sources", ""] + [f"- {ref}" for ref in a.references] + [""]
    return "\n".join(out)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _html_inline(segments: list[Segment], ctx: dict) -> str:
    out = []
    for seg in segments:
        kind = seg[0]
        if kind == "t":
            out.append(_esc(seg[1]).replace("'", "&#8217;"))
        elif kind in ("em", "strong", "code"):
            out.append(f"<{kind}>{_esc(seg[1])}</{kind}>")
        elif kind == "link":
            out.append(f'<a href="{seg[2]}">{_esc(seg[1])}</a>')
        elif kind == "cite":
            style = ctx.get("style")
            if style in ("footnote", "numbered"):
                out.append(f'<sup><a href="#ref{seg[1]}">[{seg[1]}]</a></sup>')
            elif style == "inline":
                out.append(f' (<a href="https://pubmed.ncbi.nlm.nih.gov/{30_000_000 + seg[1] * 7919}/">source</a>)')
            elif style == "author-year":
                out.append(f" ({SURNAMES[seg[1] % len(SURNAMES)]} et al., {2000 + seg[1] % 25})")
    return "".join(out)


def render_html_block(block: Block, ctx: dict, wrap: int) -> str:
    k = block.kind
    if k in ("h1", "h2", "h3"):
        return f"<{k}>{_html_inline(block.items[0], ctx)}</{k}>\n"
    if k in ("p", "cta"):
        cls = ' class="cta"' if k == "cta" else ""
        return f"<p{cls}>{_html_inline(block.items[0], ctx)}</p>\n"
    if k == "disclaimer":
        return f'<aside class="disclaimer"><p>{_html_inline(block.items[0], ctx)}</p></aside>\n'
    if k in ("ul", "ol"):
        items = "".join(f"  <li>{_html_inline(i, ctx)}</li>\n" for i in block.items)
        return f"<{k}>\n{items}</{k}>\n"
    if k == "quote":
        return "<blockquote>" + "".join(f"<p>{_html_inline(i, ctx)}</p>" for i in block.items) + "</blockquote>\n"
    if k == "table":
        header, *rows = block.items
        head = "<tr>" + "".join(f"<th>{_esc(c)}</th>" for c in header) + "</tr>\n"
        body = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in r) + "</tr>\n" for r in rows)
        return f'<table class="dose">\n<thead>{head}</thead>\n<tbody>\n{body}</tbody>\n</table>\n'
    if k == "code":
        return f'<pre><code class="language-{block.extra}">' + _esc("\n".join(block.items)) + "</code></pre>\n"
    if k == "comment":
        return f"<!-- {_html_inline(block.items[0], ctx)} -->\n"
    raise ValueError(k)


def render_html(a: Article) -> str:
    m = a.meta
    head = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{_esc(a.title)}</title>",
        f'<meta name="description" content="{_esc(m["description"])}">',
    ]
    if m["author"]:
        head.append(f'<meta name="author" content="{m["author"]}">')
    if m["date"]:
        head.append(f'<meta property="article:published_time" content="{m["date"]}T09:00:00Z">')
    head += [
        '<link rel="stylesheet" href="/assets/site.css">',
        "<style>body{font-family:Georgia,serif;max-width:42em} .cta{font-weight:bold}</style>",
        ("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
         " if (a < b && c > d) { gtag('event', 'miracle_cure_view'); }</script>"),
        "</head>", "<body>",
        ('<nav class="site"><ul><li><a href="/">Home</a></li><li><a href="/conditions/">Conditions</a></li>'
         '<li><a href="/shop/">Shop</a></li></ul></nav>'),
        "<main>", "<article>",
    ]
    ctx = {"style": a.citation_style}
    body = [render_html_block(b, ctx, 0) for b in a.blocks]
    if m["author"] or m["date"]:
        byline = '<p class="byline">'
        if m["author"]:
            byline += f'By <a rel="author" href="/authors/">{m["author"]}</a>'
        if m["date"]:
            byline += f' <time datetime="{m["date"]}">{m["date"]}</time>'
        body.insert(1, byline + "</p>\n")
    tail = []
    if a.references:
        items = "".join(f'<li id="ref{n}">{_esc(r)}</li>\n' for n, r in enumerate(a.references, 1))
        tail.append(f'<section class="references"><h2>References</h2>\n<ol>\n{items}</ol>\n</section>')
    tail += [
        "</article>", "</main>",
        '<footer><p>&copy; 2024 Example Health Media. <a href="/privacy">Privacy</a></p></footer>',
        '<script src="/assets/app.js" defer></script>', "</body>", "</html>", "",
    ]
    return "\n".join(head) + "\n" + "".join(body) + "\n".join(tail)


def _txt_inline(segments: list[Segment], ctx: dict) -> str:
    out = []
    for seg in segments:
        kind = seg[0]
        if kind in ("t", "em", "strong", "code"):
            out.append(seg[1])
        elif kind == "link":
            out.append(f"{seg[1]} ({seg[2]})")
        elif kind == "cite":
            style = ctx.get("style")
            if style == "author-year":
                out.append(f" ({SURNAMES[seg[1] % len(SURNAMES)]} et al., {2000 + seg[1] % 25})")
            elif style != "none":
                out.append(f" [{seg[1]}]")
    return "".join(out)


def render_txt_block(block: Block, ctx: dict, wrap: int) -> str:
    k = block.kind
    if k == "h1":
        t = _txt_inline(block.items[0], ctx)
        return f"{t}\n{'=' * len(t)}\n"
    if k in ("h2", "h3"):
        t = _txt_inline(block.items[0], ctx)
        return f"{t}\n{'-' * len(t)}\n" if k == "h2" else t.upper() + "\n"
    if k in ("p", "cta", "disclaimer"):
        return _wrap(_txt_inline(block.items[0], ctx), wrap) + "\n"
    if k in ("ul", "ol"):
        return "\n".join(
            _wrap(("* " if k == "ul" else f"{n}. ") + _txt_inline(i, ctx), wrap) for n, i in enumerate(block.items, 1)
        ) + "\n"
    if k == "quote":
        return "\n".join('    "' + _txt_inline(i, ctx) + '"' for i in block.items) + "\n"
    if k == "table":
        return "\n".join("  ".join(f"{c:<28}" for c in row).rstrip() for row in block.items) + "\n"
    if k == "code":
        return "\n".join("    " + ln for ln in block.items) + "\n"
    if k == "comment":
        return "# " + _txt_inline(block.items[0], ctx) + "\n"
    raise ValueError(k)


def render_txt(a: Article) -> str:
    ctx = {"style": a.citation_style}
    out = [render_txt_block(b, ctx, a.wrap) for b in a.blocks]
    if a.meta["author"]:
        out.insert(1, f"By {a.meta['author']}" + (f", {a.meta['date']}" if a.meta["date"] else "") + "\n")
    if a.references:
        out.append("References\n----------\n" + "\n".join(f"[{n}] {r}" for n, r in enumerate(a.references, 1)) + "\n")
    return "\n".join(out)


RENDER_BLOCK = {"md": render_md_block, "html": render_html_block, "txt": render_txt_block}
RENDER = {"md": render_md, "html": render_html, "txt": render_txt}
HTML_OVERHEAD = 1_000  # head, nav and footer, which the block loop does not count


# ---------------------------------------------------------------------------- corpus


def target_size(rng: random.Random) -> int:
    """Log-normal around MEDIAN_BYTES (sigma 0.5: ~90% between 4.5 and 23 KB), clipped."""
    if rng.random() < 0.03:  # news briefs and product blurbs
        return rng.randint(MIN_BYTES + 150, 2 * MIN_BYTES + 150)
    size = MEDIAN_BYTES * math.exp(rng.gauss(0.0, 0.5))
    return int(min(MAX_BYTES - 1_500, max(MIN_BYTES, size)))


def article_text(fmt: str, index: int, seed: int = DEFAULT_SEED, target: int | None = None) -> str:
    rng = random.Random(f"{seed}:{fmt}:{index}")
    size = target if target is not None else target_size(rng)
    if fmt == "html":
        size = max(MIN_BYTES // 2, size - HTML_OVERHEAD)
    return RENDER[fmt](build_article(rng, fmt, size))


def single_file(seed: int = DEFAULT_SEED, size: int = 5_000) -> str:
    """A Markdown article of about ``size`` bytes (within 8%), the pre-commit case."""
    for index in range(1_000):
        text = article_text("md", 900_000 + index, seed, target=size)
        if abs(len(text.encode()) - size) <= size * 0.08:
            return text
    raise RuntimeError("no article of the requested size")


def ensure_corpus(out: Path, fmt: str, files: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """The first ``files`` articles of the ``fmt`` corpus in ``out``, written if missing.

    Files are independent of each other, so a larger request extends an existing corpus
    and a smaller one reuses its prefix. ``manifest.json`` records what was written.
    """
    manifest_path = out / "manifest.json"
    key = {"generator": GENERATOR_VERSION, "seed": seed, "format": fmt}
    sizes: list[int] = []
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text())
            if manifest.get("key") == key:
                sizes = list(manifest["sizes"])
        except (ValueError, KeyError, TypeError):
            sizes = []
    names = [f"{i:05d}{SUFFIX[fmt]}" for i in range(max(files, len(sizes)))]
    # Trust the manifest only if the files it lists are still there with their sizes.
    for i, size in enumerate(sizes):
        path = out / names[i]
        if not path.is_file() or path.stat().st_size != size:
            sizes = sizes[:i]
            break
    if len(sizes) < files:
        out.mkdir(parents=True, exist_ok=True)
        if not sizes:
            for old in out.glob("*" + SUFFIX[fmt]):
                old.unlink()
        for index in range(len(sizes), files):
            data = article_text(fmt, index, seed).encode("utf-8")
            (out / names[index]).write_bytes(data)
            sizes.append(len(data))
        manifest_path.write_text(json.dumps({"key": key, "sizes": sizes}))
    return [out / name for name in names[:files]]


def describe(paths: list[Path]) -> dict:
    """Size statistics and a content digest of a list of corpus files."""
    digest = hashlib.sha256()
    sizes = []
    for path in paths:
        data = path.read_bytes()
        digest.update(data)
        sizes.append(len(data))
    ordered = sorted(sizes)
    return {
        "files": len(sizes), "bytes": sum(sizes), "megabytes": round(sum(sizes) / 1e6, 3),
        "median_bytes": ordered[len(ordered) // 2] if ordered else 0,
        "min_bytes": ordered[0] if ordered else 0, "max_bytes": ordered[-1] if ordered else 0,
        "sha256": digest.hexdigest(),
    }


# ---------------------------------------------------------------------------- rules

RULE_VERBS = {
    "cure": ["cures?", "cured", "curing"], "reverse": ["reverses?", "reversed", "reversing"],
    "eliminate": ["eliminates?", "eliminated", "eliminating"], "heal": ["heals?", "healed", "healing"],
    "stop": ["stops?", "stopped", "stopping"], "fight": ["fights?", "fighting"],
    "banish": ["banish(?:es)?", "banished"], "wipe-out": ["wipes? out", "wiped out"],
    "get-rid": ["gets? rid of", "got rid of"], "melt": ["melts? away", "melted away"],
}
RULE_TARGETS = {
    "immune": "(?:your )?immune system", "gut": "(?:your )?gut(?: health)?", "metabolism": "(?:your )?metabolism",
    "liver": "(?:your )?liver", "hormones": "hormone(?:s| balance)", "energy": "energy levels?",
    "joints": "joint health", "skin": "skin health", "brain": "brain function", "adrenals": "(?:your )?adrenal glands?",
    "circulation": "circulation", "cells": "cellular repair", "heart": "heart health",
}
RULE_BENEFITS = {
    "boost": "boosts?", "support": "supports?", "strengthen": "strengthens?", "improve": "improves?",
    "restore": "restores?", "rebalance": "rebalances?", "detoxify": "detoxif(?:y|ies)", "cleanse": "cleanses?",
    "revitalise": "revitali[sz]es?", "regenerate": "regenerates?", "soothe": "soothes?", "repair": "repairs?",
}


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


def _phrase_pattern(phrase: str) -> str:
    """A literal phrase as a pattern: escaped, hyphen or space between words, word bounded."""
    words = [w for w in phrase.replace("-", " ").split(" ") if w]
    escaped = [w.replace(".", r"\.") for w in words]
    return r"\b" + "[- ]?".join(escaped) + r"\b"


def extra_rules(count: int) -> list[dict]:
    """``count`` realistic ``kind: phrase`` rules (hype words, disease claims, benefit claims)."""
    rules: list[dict] = []

    def add(category: str, severity: str, label: str, patterns: list[str], message: str, why: str) -> None:
        n = len(rules) + 1
        rules.append({
            "id": f"BENCH{n:03d}", "name": f"bench-{_slug(label)}-{n:03d}", "category": category,
            "severity": severity, "kind": "phrase", "message": message, "why": why,
            "references": ["healthlint benchmark rule pack (generated)", "FTC Health Products Compliance Guidance, 2022"],
            "patterns": patterns,
            "exceptions": {"before": [r"\b(?:no|not|never|without|isn't|doesn't|won't)\b(?:\W+\w+){0,3}\W*$"]},
        })

    # Disease claims: one rule per (verb, condition), the commonest shape of a house rule pack.
    for verb, forms in RULE_VERBS.items():
        for condition in CONDITIONS:
            cond = condition.replace("the ", "(?:the )?", 1) if condition.startswith("the ") else condition
            add("claim", "error", f"{verb}-{condition}",
                [rf"\b(?:{'|'.join(forms)}) {cond}\b"],
                f'"{{match}}" claims to {verb.replace("-", " ")} {condition}; only a licensed medicine may claim that',
                f"Claims that a product can {verb.replace('-', ' ')} {condition} are disease claims.")
    # Benefit claims for body systems.
    for benefit, form in RULE_BENEFITS.items():
        for label, target in RULE_TARGETS.items():
            add("claim", "warning", f"{benefit}-{label}", [rf"\b{form} {target}\b"],
                '"{match}" is a vague health benefit claim; say what was measured and cite it',
                "Structure/function claims need evidence the reader can check.")
    # Hype words and marketing phrases, one rule each.
    for word in HYPE_WORDS:
        add("hype", "warning", word, [_phrase_pattern(word)],
            '"{match}" is promotional language; describe the evidence instead',
            "Hype words oversell what a treatment can do.")
    for phrase in SAFETY_ABSOLUTES:
        add("safety", "error", phrase, [_phrase_pattern(phrase)],
            '"{match}" is an absolute safety claim; describe the known side effects',
            "No treatment is free of risk.")
    for appeal in RESEARCH_APPEALS:
        add("citation", "warning", appeal, [_phrase_pattern(appeal)],
            '"{match}" appeals to research without naming it; cite the study',
            "Readers cannot check research that is not named.")
    if count > len(rules):
        raise ValueError(f"at most {len(rules)} distinct extra rules, asked for {count}")
    # Interleave the families so any prefix is a realistic mix.
    rng = random.Random(7)
    rng.shuffle(rules)
    picked = sorted(rules[:count], key=lambda r: r["id"])
    return picked


def write_rules(out: Path, count: int) -> Path:
    """Write ``count`` extra rules as YAML files into ``out`` (replacing earlier ones)."""
    import yaml

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    for rule in extra_rules(count):
        path = out / f"{rule['id']}-{rule['name']}.yaml"
        path.write_text(yaml.safe_dump(rule, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--format", choices=sorted(RENDER), default="md")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args()
    m = describe(ensure_corpus(args.out, args.format, args.files, args.seed))
    print(f"{m['files']} {args.format} files, {m['megabytes']:.2f} MB, median {m['median_bytes']} B, "
          f"range {m['min_bytes']}-{m['max_bytes']} B, sha256 {m['sha256'][:16]}")


if __name__ == "__main__":
    main()
