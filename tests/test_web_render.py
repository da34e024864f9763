"""The HTML pieces of the web pages: escaping, word diffs, the weekly timeline."""

from __future__ import annotations

from quotewire.model import Quote, Result, Speaker
from quotewire.web.render import highlighted_article, timeline_svg, weekly_counts, word_diff


def test_weeks_run_from_first_to_last_with_empty_weeks_between():
    dates = ["2015-02-10", "2015-02-12T09:00:00", "2015-02-24", None, "not a date"]
    assert weekly_counts(dates) == [("2015-02-09", 2), ("2015-02-16", 0), ("2015-02-23", 1)]
    chart = timeline_svg(weekly_counts(dates))
    assert chart.count("<rect") == 3 and "week of 2015-02-16: 0" in chart
    assert "No dated quotes" in timeline_svg([])


def test_diffs_and_article_text_are_escaped():
    diff = word_diff([("=", "we <b>will</b>"), ("-", "never"), ("+", "<i>"), ("~", "a -> b")])
    assert diff == (
        "we &lt;b&gt;will&lt;/b&gt; <del>never</del> <ins>&lt;i&gt;</ins> <del>a</del><ins>b</ins>"
    )
    text = 'Bob <x> said: "No <script>."'
    start = text.index("No")
    quote = Quote(
        quote="No <script>.",
        start=start,
        end=len(text) - 1,
        fragments=[[start, len(text) - 1]],
        type="direct",
        speaker="Bob",
        speaker_id=0,
        speaker_start=0,
        speaker_end=3,
        cue="said",
        cue_start=8,
        cue_end=12,
    )
    result = Result(id="a", quotes=[quote], speakers=[Speaker(id=0, name="Bob", kind="person")])
    shown = highlighted_article(text, result)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert '<span class="mention" data-quote="0"' in shown
    assert '<span class="cue" data-quote="0"' in shown
    assert '<span class="quote" data-quote="0"' in shown
