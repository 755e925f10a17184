"""The bar charts: what a screen reader is told (the image's name and its
sentence), what is drawn, and that a hidden figure is neither drawn nor
spoken of."""

from bs4 import BeautifulSoup

from prevent_hub.statistics.charts import ALL_HIDDEN_SENTENCE, HIDDEN_SENTENCE, bar_chart, summary_sentence
from prevent_hub.statistics.suppression import SUPPRESSED

from .factories import breakdown, published


def svg_of(chart):
    return BeautifulSoup(str(chart.svg), "html.parser").find("svg")


def test_the_chart_is_one_named_image_described_by_its_sentence():
    sectors = published().breakdown("by_sector")
    chart = bar_chart(sectors, chart_id="chart-by_sector")
    svg = svg_of(chart)
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"], svg["aria-describedby"]
    assert svg.find("title", id=title_id).get_text() == "Sector of referral: bar chart"
    assert svg.find("desc", id=desc_id).get_text() == "Education made the most referrals: 40 of 120."
    assert chart.summary == "Education made the most referrals: 40 of 120."


def test_bars_are_as_long_as_their_figures_and_a_nought_has_none():
    chart = bar_chart(published().breakdown("by_sector"), chart_id="c")
    bars = [float(rect["width"]) for rect in svg_of(chart).find_all("rect")]
    assert len(bars) == 4  # prisons: 0, no bar
    assert bars[0] == max(bars)
    assert round(bars[1] / bars[0], 2) == 0.75  # 30 of 40
    texts = [text.get_text() for text in svg_of(chart).find_all("text")]
    assert texts[:2] == ["Education", "40"]
    assert "Prisons" in texts and "0" in texts


def test_a_hidden_figure_has_no_bar_and_is_never_spoken_of():
    sectors = breakdown("by_sector", "Sector of referral", [
        ("education", "Education", 40), ("police", "Police", SUPPRESSED), ("health", "Health", SUPPRESSED),
        ("community", "Community", 30)], total=80)
    chart = bar_chart(sectors, chart_id="c")
    svg = svg_of(chart)
    assert len(svg.find_all("rect")) == 2
    texts = [text.get_text() for text in svg.find_all("text")]
    assert texts.count("* hidden to protect people") == 2
    assert chart.summary == f"Education made the most referrals: 40 of 80. {HIDDEN_SENTENCE}"
    # Neither the hidden categories nor what they add up to (10) are mentioned.
    assert "Police" not in chart.summary and "Health" not in chart.summary and "10" not in chart.summary
    assert chart.has_hidden


def test_a_year_of_hidden_figures_says_only_that_they_are_hidden():
    chart = bar_chart(published(hidden=True).breakdown("by_sector"), chart_id="c")
    assert chart.summary == ALL_HIDDEN_SENTENCE
    assert svg_of(chart).find("rect") is None
    assert "*" in chart.summary


def test_ties_name_every_largest_and_other_breakdowns_read_naturally():
    tied = breakdown("by_gender", "Gender", [("male", "Male", 40), ("female", "Female", 40),
                                             ("other", "Other", 0)], total=80)
    assert summary_sentence(tied) == "The largest groups of referrals were Male and Female: 40 each of 80."
    quarters = published().quarters
    assert summary_sentence(quarters) == "Q3 (October to December) had the most referrals: 40 of 120."
    none = breakdown("by_gender", "Gender", [("male", "Male", 0)], total=0)
    assert summary_sentence(none) == "There were no referrals."
    big = breakdown("by_gender", "Gender", [("male", "Male", 4200), ("female", "Female", 2722)], total=6922)
    assert summary_sentence(big) == "The largest group of referrals was Male: 4,200 of 6,922."


def test_labels_and_ids_are_escaped():
    hostile = breakdown("by_sector", "<script>alert(1)</script>", [
        ("education", "<img src=x onerror=alert(1)>", 10)], total=10)
    chart = bar_chart(hostile, chart_id="c")
    assert "<script>" not in str(chart.svg) and "<img" not in str(chart.svg)
    assert "&lt;img src=x onerror=alert(1)&gt;" in str(chart.svg)
