"""Hostile text from the knowledge base or brand file stays text, and user templates run
in a sandbox that keeps them away from Python internals."""

from __future__ import annotations

import pytest
from test_report_helpers import (
    HOSTILE,
    STARTUP,
    assert_tables_well_formed,
    audit_html,
    ensure_report_command,
    external_references,
    hostile_html,
    hostile_markdown,
    inline_children,
)


@pytest.fixture(autouse=True)
def _report_command():
    ensure_report_command()


def test_hostile_text_is_escaped_in_html(fixture_kb, tmp_path):
    text = hostile_html(tmp_path)
    audit = audit_html(text)
    assert audit.errors == [] and audit.stack == []
    assert external_references(audit) == []
    assert [t for t, _ in audit.tags if t == "script"] == []
    handlers = [(t, n) for t, attrs in audit.tags for n in attrs if n.startswith("on")]
    assert handlers == []
    assert [a["src"][:22] for t, a in audit.tags if t == "img"] == ["data:image/png;base64,"]
    body = " ".join(audit.text)
    assert HOSTILE in body  # shown to the reader as text …
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in text  # … because it is escaped
    assert 'Big <img src=x onerror="window.pwned=1"> Closed' in body
    assert "Evil & <b>Co</b>" in body
    # The confidentiality line sits in the style sheet as a CSS string it cannot leave.
    css = "\n".join(audit.styles)
    assert "</style>" not in css and "body { display: none }" not in css
    assert '@bottom-left { content: "\\22 ; \\7d  body \\7b  display: none' in css


def test_hostile_text_cannot_change_the_markdown(fixture_kb, tmp_path):
    text = hostile_markdown(tmp_path)
    assert_tables_well_formed(text)
    tokens = list(inline_children(text))
    assert not {t.type for t in tokens} & {"html_inline", "html_block"}
    links = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert links and all(href.startswith("https://") for href in links)
    # The project name stays in the title; its "# Evil" and "- item" do not make blocks.
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    assert headings.count("h1") == 1
    title = next(t for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open")
    shown = "".join(c.content for c in title.children if c.type == "text")
    assert shown == f"LLM deployment recommendation: # Evil - item | {HOSTILE}"
    plain = " ".join(t.content for t in tokens if t.type == "text")
    assert HOSTILE in plain
    # Markup characters in names come out as the characters themselves.
    assert 'Big <img src=x onerror="window.pwned=1"> Closed *em* _u_ `code`' in plain
    assert "[x](javascript:alert(1))" in plain


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ report.__class__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ report.workloads.append(1) }}",
    "{{ (report.title|attr('__class__')).__base__ }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_a_template_reaching_for_python_internals_is_refused(source, run_cli, fixture_kb, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text("Title: {{ report.title }}\n" + source + "\n")
    out = tmp_path / "out.md"
    code, stdout, stderr = run_cli(
        "report", str(STARTUP), "--template-dir", str(templates), "-o", str(out)
    )
    assert code == 2
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"Error: {templates / 'report.md.j2'}:2: template ")
    assert "refused" in lines[0] or "undefined" in lines[0]
    assert not out.exists()


def test_html_templates_escape_values_even_in_user_templates(fixture_kb, tmp_path):
    from test_report_helpers import hostile_inputs, render

    paths = hostile_inputs(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text("<p>{{ report.workloads[0].name }}</p>\n")
    text = render(paths["decision"], "html", kb=[paths["kb"]], template_dir=templates)
    assert text == "<p>Chat &lt;script&gt;window.pwned=1&lt;/script&gt;</p>\n"
