"""The benchmark's verdicts: ratios written as the issue writes them, each checked against its
target (`bench/summary.py`), and the PDF follower reading a "rendering…" page's refresh."""

from bench.measure import local, refresh_target
from bench.report import misses
from bench.summary import cell, fraction, targets, upper_cell


def test_ratios_are_written_as_fractions_of_the_floor():
    assert fraction(0.5) == "1/2"
    assert fraction(0.3) == "1/3.3"
    assert fraction(0.49) == "1/2.0"  # below 1/2, so not written as 1/2
    assert fraction(0.027) == "1/37"
    assert fraction(1 / 650) == "1/650"
    assert fraction(1 / 1234) == "1/1,234"
    assert fraction(1.0) == "1"
    assert fraction(None) == "—"


def test_a_cell_says_whether_its_target_is_met():
    assert cell(0.6, 1 / 2) == "1/1.7 ✓"
    assert cell(0.027, 1 / 20) == "1/37 ✗"
    assert cell(0.05, 1 / 20) == "1/20 ✓"  # at the target is met
    assert cell(0.3, None) == "1/3.3"  # no target: no mark
    assert cell(None, 1 / 2) == "—"


def test_memory_and_seconds_must_stay_under_their_limit():
    assert upper_cell(7.2, 20) == "7.2 ✓"
    assert upper_cell(20.0, 20) == "20.0 ✓"
    assert upper_cell(29.5, 20) == "29.5 ✗"
    assert upper_cell(12.345, 5, 2) == "12.35 ✗"
    assert upper_cell(None, 20) == "—"


def test_targets_follow_the_issue():
    # warm: 1/2 anonymous and donor, 1/4 signed in; cold after a write elsewhere = warm
    assert targets("innovation", "anonymous") == {
        "warm": 1 / 2,
        "cold_elsewhere": 1 / 2,
        "cold_own": 1 / 20,
        "peak_mib": 20.0,
        "seconds": None,
    }
    assert targets("innovation", "member")["warm"] == 1 / 4
    assert targets("innovation data", "staff")["cold_own"] == 1 / 10
    # a page over what the viewer sees may rightly be retired by a write to one of them
    assert targets("portfolio", "donor")["cold_elsewhere"] == 1 / 10
    assert targets("portfolio", "donor")["cold_own"] is None
    assert targets("independent", "donor")["cold_elsewhere"] == 1 / 2
    assert targets("search", "anonymous")["warm"] == 1 / 20
    assert targets("pdf", "staff") == {
        "warm": None,
        "cold_elsewhere": None,
        "cold_own": None,
        "peak_mib": 30.0,
        "seconds": 5.0,
    }


def test_the_results_list_every_missed_target():
    rows = [
        {"page": "dashboard", "role": "donor", "kind": "portfolio", "status": "200", "warm_ratio": 0.6,
         "cold_elsewhere_ratio": 0.05, "cold_elsewhere_status": "200", "peak_mib": 1.0, "inprocess_status": "200"},
        {"page": "busiest innovation", "role": "member", "kind": "innovation", "status": "500", "warm_ratio": 0.3,
         "cold_own_ratio": 0.06, "peak_mib": 21.0, "inprocess_status": "200"},
        {"page": "portfolio period PDF", "role": "staff", "kind": "pdf", "status": "200", "seconds": 6.0,
         "peak_mib": 25.0, "inprocess_status": "200"},
    ]  # fmt: skip
    assert misses(rows) == {
        "cold elsewhere": ["dashboard (donor)"],
        "peak memory": ["busiest innovation (member)"],
        "not HTTP 200": ["busiest innovation (member)"],
        "PDF seconds": ["portfolio period PDF (staff)"],
    }


def test_the_pdf_follower_reads_a_refresh():
    page = b'<head><meta http-equiv="refresh" content="2;url=/pilots/a/reports/2026-S1.pdf?x=1&amp;y=2"></head>'
    assert refresh_target({}, page) == (2.0, "/pilots/a/reports/2026-S1.pdf?x=1&y=2")
    assert refresh_target({"Refresh": "0; url=/f.pdf"}, b"") == (0.0, "/f.pdf")
    assert refresh_target({}, b'<meta content="3" http-equiv="Refresh">') == (3.0, "")
    assert refresh_target({}, b"<p>no refresh</p>") is None
    assert local("https://bench.example.org/a/b?x=1", "/c/") == "/a/b?x=1"
    assert local("d.pdf", "/c/e/") == "/c/e/d.pdf"
