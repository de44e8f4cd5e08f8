"""`alliances.markup`: Markdown written by people becomes HTML that is safe to show.

The formatting people need is kept; scripts, event handlers, styles, images, frames and
links other than http(s) and mailto are removed.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from alliances.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


REL = 'rel="nofollow noopener noreferrer"'

DANGEROUS = [
    "<script>alert(1)</script>",
    "avant <script src='https://exemple.fr/x.js'></script> après",
    "<img src=x onerror=alert(1)>",
    "texte <img src=x onerror=alert(1)> texte",
    "![image](https://exemple.fr/x.png)",
    "![image](javascript:alert(1))",
    "[lien](javascript:alert(1))",
    "[lien](JaVaScRiPt:alert(1))",
    "[lien](  javascript:alert(1))",
    "[lien](&#106;avascript:alert(1))",
    "[lien](&#x6A;avascript:alert(1))",
    "[lien](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[lien](vbscript:msgbox(1))",
    "<a href='javascript:alert(1)'>clic</a>",
    "<a href='https://exemple.fr' onclick='alert(1)'>clic</a>",
    "<p onmouseover='alert(1)'>survol</p>",
    "<svg onload=alert(1)></svg>",
    "<iframe src='https://exemple.fr'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<style>body { display: none }</style>texte",
    "<p style='position:fixed;top:0'>recouvre</p>",
    "<form action='https://exemple.fr'><input name='mot de passe'></form>",
    "<meta http-equiv='refresh' content='0;url=https://exemple.fr'>",
    "<base href='https://exemple.fr/'>",
    "[lien][ref]\n\n[ref]: javascript:alert(1)",
    "<details open ontoggle=alert(1)>x</details>",
    '<a href="https://exemple.fr" target="_blank">nouvel onglet</a>',
]


@pytest.mark.parametrize("source", DANGEROUS)
def test_render_markdown_keeps_only_allowed_tags_attributes_and_schemes(source):
    for tag, attrs in elements(render_markdown(source)):
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, (tag, attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("http:", "https:", "mailto:")), href


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>", ""),
        ("[lien](javascript:alert(1))", '<p><a rel="nofollow noopener noreferrer">lien</a></p>'),
        ("![image](https://exemple.fr/x.png)", "<p></p>"),
        ("<p onmouseover='alert(1)'>survol</p>", "<p>survol</p>"),
        ("<b onmouseover=alert(1)>x</b>", "<p>x</p>"),
    ],
)
def test_render_markdown_drops_dangerous_markup(source, expected):
    assert render_markdown(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "une balise <img src=x onerror=alert(1)> citée",
        "une balise <img src='x' onerror=\"alert('x')\"> citée",
    ],
)
def test_render_markdown_removes_inline_html_but_keeps_the_text(source):
    html = render_markdown(source)
    assert elements(html) == [("p", {})]  # the image is dropped or shown as inert text
    assert html.startswith("<p>une balise ")
    assert html.endswith(" citée</p>")


def test_render_markdown_keeps_code_as_text():
    html = render_markdown("```\n<script>alert(1)</script>\n```\n\nEt `<b>` en ligne")
    assert "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>" in html
    assert "<code>&lt;b&gt;</code>" in html


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("**gras**", "<strong>gras</strong>"),
        ("*italique*", "<em>italique</em>"),
        ("`code`", "<code>code</code>"),
        ("- un\n- deux", "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>"),
        ("1. un\n2. deux", "<ol>\n<li>un</li>\n<li>deux</li>\n</ol>"),
        ("> citation", "<blockquote>\n<p>citation</p>\n</blockquote>"),
        ("## Partie", "<h2>Partie</h2>"),
        ("### Sous-partie", "<h3>Sous-partie</h3>"),
        ("#### Détail", "<h4>Détail</h4>"),
        ("avant\n\n---\n\naprès", "<hr>"),
        ("ligne  \nsuivante", "ligne<br>\nsuivante"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"),
        (
            '[site](https://exemple.fr "Titre")',
            f'<a href="https://exemple.fr" title="Titre" {REL}>',
        ),
        ("<https://exemple.fr/page>", f'<a href="https://exemple.fr/page" {REL}>https://'),
        ("[écrire](mailto:contact@exemple.fr)", 'href="mailto:contact@exemple.fr"'),
    ],
)
def test_render_markdown_keeps_allowed_formatting(source, fragment):
    assert fragment in render_markdown(source)


def test_render_markdown_demotes_top_level_heading_to_text():
    # The page owns its h1: a “# Title” in a body is kept as text, not as a heading.
    html = render_markdown("# Titre\n\nTexte")
    assert "<h1" not in html
    assert "Titre" in html


def test_render_markdown_returns_safe_string():
    assert isinstance(render_markdown("texte"), SafeString)
    assert render_markdown("") == ""


def test_markdown_template_filter_renders_sanitised_html():
    template = Template("{% load markup %}{{ text|markdown }}|{{ missing|markdown }}")
    rendered = template.render(Context({"text": "**ok** <script>alert(1)</script>"}))
    assert rendered == "<p><strong>ok</strong> </p>|"
