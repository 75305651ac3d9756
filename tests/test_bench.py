"""The benchmark still works: a small generated office (10,000 contacts), measured once.
Times are not judged here (docs/performance.md has the real figures)."""

import json

from bench import generate, run


def test_generate_and_measure_a_small_office(tmp_path, monkeypatch):
    database = f"sqlite:///{tmp_path / 'small.db'}"
    generate.main(
        [
            "--database",
            database,
            "--officers",
            "30",
            "--areas",
            "20",
            "--households",
            "2000",
            "--contacts",
            "10000",
            "--enrollments",
            "1000",
        ]
    )
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results")
    rows = run.run(database, repeat=2, name="ci-small")
    assert [row["read"] for row in rows][-1] == "Contact POST (API)"
    assert all(row["p50_ms"] > 0 and row["statements"] > 0 for row in rows)
    report = json.loads((tmp_path / "results" / "ci-small.json").read_text())
    assert report["rows_in_database"]["contacts"] >= 10_000
    assert "| Officer leaderboard (year) |" in (tmp_path / "results" / "ci-small.md").read_text()
