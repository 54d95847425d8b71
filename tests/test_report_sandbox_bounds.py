"""User templates cannot hang or exhaust memory: size and time bounds of the sandbox."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from llmchoose.report.sandbox import BoundedSandbox, TemplateTimeout, render_bounded, time_limit


@pytest.fixture
def env():
    return BoundedSandbox()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 9 ** 9999999999 }}", "a power in the template would be too large"),
        ("{{ n ** 9999999999 }}", "a power in the template would be too large"),
        ('{{ "x" * 3000000000 }}', "a product in the template would be too large"),
        ("{{ [1] * 3000000000 }}", "a product in the template would be too large"),
        ('{{ "x"|center(3000000000) }}', "the width 3,000,000,000 is too large"),
        ('{{ "x".center(3000000000) }}', "the width 3,000,000,000 is too large"),
        ('{{ "x".ljust(3000000000) }}', "the width 3,000,000,000 is too large"),
        ('{{ "{:>999999999}".format(1) }}', "a format width in the template is too large"),
        ('{{ "%999999999d" % 1 }}', "a format width in the template is too large"),
        ('{{ "%999999999d"|format(1) }}', "a format width in the template is too large"),
        (
            '{% set ns = namespace(s="xx") %}{% for i in range(60) %}'
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "a template value grew too large",
        ),
        (
            '{{ "x"' + '|replace("x", "xxxxxxxxxx")' * 9 + " }}",
            "a template value grew too large",
        ),
    ],
)
def test_huge_values_are_refused_before_they_are_made(env, source, expected):
    with pytest.raises(SecurityError, match=expected):
        env.from_string(source).render(n=9)


def test_ordinary_arithmetic_and_formatting_still_work(env):
    text = env.from_string(
        '{{ "{:,}".format(12000000) }} {{ 2 ** 10 }} {{ "ab" * 3 }} {{ "%5.1f" % 2.25 }}'
        ' {{ "x"|center(5) }}|{{ 12000000|string }}'
    ).render()
    assert text == "12,000,000 1024 ababab   2.2   x  |12000000"


def test_endless_loops_stop_at_the_time_limit(env):
    template = env.from_string(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    with pytest.raises(TemplateTimeout), time_limit(0.3):
        template.render()


def test_output_stops_at_the_size_limit(env, monkeypatch):
    monkeypatch.setattr("llmchoose.report.sandbox.MAX_OUTPUT", 1000)
    template = env.from_string("{% for i in range(1000) %}{{ i }}{% endfor %}")
    with pytest.raises(SecurityError, match="over 1,000 characters"):
        render_bounded(template, {})


def test_report_with_a_hostile_template_is_an_input_error(run_cli, tmp_path, fixture_kb):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text("{{ 9 ** 9999999999 }}\n")
    decision = tmp_path / "d.yaml"
    decision.write_text(
        "version: 1\nproject: {name: T}\nworkloads: [{id: a, name: A}]\n", encoding="utf-8"
    )
    code, out, err = run_cli("report", str(decision), "--template-dir", str(folder))
    assert code == 2
    assert "report.md.j2:1: template refused: a power in the template would be too large" in err
    assert out == ""


def test_the_time_limit_keeps_a_callers_own_timer():
    import signal
    import time

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.4)
        with time_limit(5):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 0.4
        time.sleep(0.6)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
