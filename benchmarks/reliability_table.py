"""The table of issue 17's fault cases with held/failed: `python -m benchmarks.reliability_table
[--junit FILE] [--out FILE]`.

Each case names the tests that decide it (nodeids under tests/) and, for bombs, extremes and the
many-point kill runs, the case `footnote bench reliability` wrote to
bench-results/reliability-cases.json (its time and peak RSS go in the table). Without --junit the
fault suite is run once (pytest, with a JUnit report). A case holds when every test it names
passed and its benchmark case, when it has one and it was run, held."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "bench-results" / "reliability-cases.json"
R = "tests/reliability/"
B, CI, ST, PR, SD = (
    R + "test_bombs.py::",
    R + "test_concurrent_store.py::",
    R + "test_stale_answers.py::",
    R + "test_price_integrity.py::",
    R + "test_store_damage.py::",
)

# (group, case, tests, benchmark case or None)
TABLE: list[tuple[str, str, list[str], str | None]] = [
    (
        "Several processes",
        "`ingest` while the app is open: the app's searches of stored documents",
        [CI + "test_two_ingests_and_an_asker_lose_nothing"],
        None,
    ),
    (
        "Several processes",
        '`ingest` during CLI asks (was: "Error finding id")',
        [
            CI + "test_two_ingests_and_an_asker_lose_nothing",
            CI + "test_a_reader_opened_earlier_sees_another_process_writes",
        ],
        None,
    ),
    (
        "Several processes",
        "two ingests at once + asker + app process: 0 of 60 documents lost",
        [CI + "test_two_ingests_and_an_asker_lose_nothing"],
        None,
    ),
    (
        "Several processes",
        "a second writer waits, then says the store is busy in words",
        [CI + "test_a_second_writer_waits_then_reports_busy_in_words"],
        None,
    ),
    (
        "Several processes",
        're-ingest after lost vectors repairs (was: "unchanged")',
        [SD + "test_records_lost_for_one_document_are_found_and_reingest_repairs"],
        None,
    ),
    (
        "Corrupt state",
        "truncated / zero-byte Parquet reported; re-import repairs",
        [PR + "test_empty_or_truncated_file_is_reported_and_reimport_repairs"],
        None,
    ),
    (
        "Corrupt state",
        "single-byte flips in Parquet never change numbers silently",
        [PR + "test_single_byte_flips_never_change_numbers_silently"],
        None,
    ),
    (
        "Corrupt state",
        "a Parquet file from before checksums still reads",
        [PR + "test_a_file_written_before_checksums_still_reads"],
        None,
    ),
    (
        "Corrupt state",
        "corrupt footnote.sqlite detected (quick_check), reported, set aside",
        [
            R + "test_state_db.py::test_damaged_database_is_detected_reported_and_set_aside",
            R + "test_state_db.py::test_whole_database_passes",
        ],
        None,
    ),
    (
        "Corrupt state",
        "`doctor` reports each damage; `doctor --repair` restores",
        [R + "test_doctor.py::test_doctor_reports_each_damage_and_repair_restores"],
        None,
    ),
    (
        "Corrupt state",
        "unreadable Chroma vector index: search answers from words, doctor says so",
        [SD + "test_search_with_an_unreadable_vector_index_answers_from_words"],
        None,
    ),
    (
        "Corrupt state",
        "corrupt chroma.sqlite3 is a store error, then rebuilt",
        [SD + "test_a_corrupt_chroma_database_is_a_store_error_then_rebuilt"],
        None,
    ),
    (
        "Corrupt state",
        "deleted chroma.sqlite3: what was lost is reported and ingested again",
        [SD + "test_a_deleted_chroma_database_is_reported_with_what_was_lost_and_reingested"],
        None,
    ),
    (
        "Corrupt state",
        "lexical entries lost: found and repaired from the stored text",
        [SD + "test_lexical_entries_lost_are_found_and_repaired_from_the_stored_text"],
        None,
    ),
    (
        "Corrupt state",
        "documents.jsonl with a torn last line",
        [SD + "test_manifest_survives_a_torn_last_line"],
        None,
    ),
    (
        "Corrupt state",
        "chunk and vector counts agree with the document table",
        [SD + "test_chunk_and_vector_counts_agree_with_the_document_table"],
        None,
    ),
    (
        "Corrupt state",
        "Chroma reopened through public `Client.close()`; the internal fallback pinned",
        ["tests/knowledge/test_chroma_internals.py"],
        None,
    ),
    (
        "Unbounded work",
        "YAML billion laughs (was 109 s, 1.26 GB)",
        [B + "test_billion_laughs_front_matter_is_refused_fast"],
        "YAML billion laughs (427 bytes)",
    ),
    (
        "Unbounded work",
        "JSON nested 100k deep fails alone; the batch goes on",
        [B + "test_deep_json_fails_alone_and_the_batch_goes_on"],
        "JSON nested 100k deep",
    ),
    (
        "Unbounded work",
        "PDF decompression bomb",
        [B + "test_pdf_decompression_bomb_is_refused"],
        "PDF bomb (180 KB inflating to 180 MB)",
    ),
    ("Unbounded work", "PDF page limit", [B + "test_pdf_page_limit"], "PDF of 1,200 pages"),
    (
        "Unbounded work",
        "19.5 MB Markdown under the size cap (was unfinished after 600 s)",
        [B + "test_huge_markdown_under_the_size_cap_is_refused_by_characters"],
        "19.5 MB Markdown under the size cap",
    ),
    (
        "Unbounded work",
        "time per document while embedding",
        [B + "test_a_document_that_embeds_too_long_fails_alone"],
        None,
    ),
    (
        "Unbounded work",
        "2 GB sparse CSV (was 62 s, 4.3 GB)",
        [B + "test_sparse_2gb_csv_is_refused_before_reading"],
        "2 GB sparse CSV",
    ),
    ("Unbounded work", "CSV row limit", [B + "test_csv_row_limit"], "CSV of 300,000 rows"),
    (
        "Unbounded work",
        "a loader crash fails one file, not the batch",
        [B + "test_an_unexpected_loader_crash_fails_one_file_not_the_batch"],
        None,
    ),
    (
        "Unbounded work",
        "20 unknown tickers, network hanging (was 179 s): symbol cap",
        [ST + "test_one_answer_waits_for_one_deadline_against_a_hanging_network"],
        "20 unknown tickers in one question, network hanging, default symbol cap (12)",
    ),
    (
        "Unbounded work",
        "20 unknown tickers with the cap raised: one deadline per answer",
        [
            ST + "test_one_answer_waits_for_one_deadline_against_a_hanging_network",
            R + "test_live_budget.py::test_twenty_unknown_symbols_cost_one_deadline",
        ],
        "20 unknown tickers in one question, network hanging, cap raised to 20",
    ),
    (
        "Unbounded work",
        "live calls per answer: the allowance, said when spent",
        [ST + "test_the_live_call_allowance_is_said_when_spent"],
        None,
    ),
    (
        "Unbounded work",
        "five live lookups wait for one deadline (was 41 s)",
        [
            R + "test_live_budget.py::test_five_lookups_wait_for_one_deadline_and_are_labelled",
            R + "test_live_budget.py::test_live_is_asked_again_after_the_pause",
        ],
        None,
    ),
    (
        "Bad values",
        "prices of 1e300, non-positive and OHLC-inconsistent rows rejected with line numbers",
        [
            PR + "test_absurd_and_inconsistent_rows_are_rejected_with_line_numbers",
            PR + "test_index_levels_have_their_own_ceiling",
        ],
        None,
    ),
    (
        "Bad values",
        "front matter that is a YAML list / string / number says so",
        [
            B + "test_front_matter_that_is_not_a_mapping_says_so",
            B + "test_a_few_aliases_are_still_fine",
        ],
        None,
    ),
    (
        "Bad values",
        "a file named `a[/].md` and bracketed paths print as text",
        [
            R + "test_escaping.py::test_markup_like_file_names_and_titles_print_as_text",
            R + "test_escaping.py::test_doctor_prints_paths_with_brackets",
        ],
        None,
    ),
    (
        "Stale data",
        '"How did SPY do last week?" with live data failing: notice with the date (en)',
        [ST + "test_last_week_on_stored_data_says_so_in_english"],
        None,
    ),
    ("Stale data", "the same in Chinese", [ST + "test_the_same_in_chinese"], None),
    (
        "Stale data",
        "LLM mode: the notice stands whatever the model wrote",
        [ST + "test_llm_mode_says_it_whatever_the_model_wrote"],
        None,
    ),
    (
        "Stale data",
        "CLI prints it; `--json` carries `stale`",
        [ST + "test_the_cli_prints_it_and_json_carries_it"],
        None,
    ),
    (
        "Stale data",
        "the app shows it above the answer",
        [ST + "test_the_app_shows_it_above_the_answer"],
        None,
    ),
    (
        "Stale data",
        "no notice when nothing fell back",
        [ST + "test_live_data_that_answer_need_no_notice"],
        None,
    ),
    (
        "kill -9",
        "ingest killed at seeded points: store consistent, 0 lost, re-ingest completes",
        [CI + "test_kill_9_during_ingest_leaves_a_consistent_store"],
        "kill -9 at {n} seeded points of ingest",
    ),
    (
        "kill -9",
        "price import killed at seeded points: every file whole",
        [PR + "test_kill_9_during_imports_leaves_every_file_whole"],
        "kill -9 at {n} seeded points of price import",
    ),
    (
        "kill -9",
        "research killed at seeded points: no half report listed; resumes or refused in words",
        [R + "test_kill_research.py::test_kill_9_during_research_leaves_no_half_report"],
        "kill -9 at {n} seeded points of research",
    ),
    (
        "kill -9",
        "a run killed after its report was saved, resumed: one report, not two",
        [R + "test_kill_research.py::test_a_finished_run_resumed_keeps_one_report"],
        None,
    ),
]


def run_suite(junit: Path) -> None:
    tests = sorted({t.split("::")[0] for _, _, ts, _ in TABLE for t in ts})
    subprocess.run(
        [sys.executable, "-m", "pytest", *tests, "-q", "-p", "no:randomly", f"--junitxml={junit}"],
        cwd=ROOT,
        check=False,
    )


def outcomes(junit: Path) -> dict[str, bool]:
    """`file::test` (parameters folded) -> passed, from a JUnit report; skips are not passes."""
    found: dict[str, bool] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        path = case.get("classname", "").replace(".", "/") + ".py"
        name = case.get("name", "").split("[")[0]
        ok = not any(child.tag in ("failure", "error", "skipped") for child in case)
        for key in (f"{path}::{name}", path):
            found[key] = found.get(key, True) and ok
    return found


def table(passed: dict[str, bool], bench: list[dict[str, Any]]) -> str:
    by_case = {c["case"]: c for c in bench}
    kills = next((c for c in bench if c["kind"] == "kill"), None)
    n = kills["case"].split()[3] if kills else "?"
    lines = [
        "| # | Group | Case | Tests | Benchmark (time, peak RSS, detail) | Result |",
        "|---|---|---|---|---|---|",
    ]
    held_all = 0
    for i, (group, case, tests, bench_case) in enumerate(TABLE, start=1):
        missing = [t for t in tests if t not in passed]
        ok = not missing and all(passed[t] for t in tests)
        shown = ""
        if bench_case is not None:
            entry = by_case.get(bench_case.format(n=n))
            if entry is None:
                shown = "not run"
            else:
                ok = ok and bool(entry["held"])
                parts = [f"{entry['seconds']} s" if entry.get("seconds") is not None else ""]
                if entry.get("peak_rss_mb") is not None:
                    parts.append(f"{entry['peak_rss_mb']} MB")
                parts.append(str(entry["detail"]).replace("|", "/")[:90])
                shown = ", ".join(p for p in parts if p)
        names = "<br>".join(t.split("::")[-1] if "::" in t else t for t in tests)
        result = "held" if ok else ("not run" if missing else "FAILED")
        held_all += ok
        lines.append(f"| {i} | {group} | {case} | {names} | {shown} | {result} |")
    lines.append("")
    lines.append(f"{held_all} of {len(TABLE)} cases held.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--junit",
        type=Path,
        action="append",
        help="a JUnit report of the fault suite to reuse (repeatable: later runs win)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "reliability-table.md")
    args = parser.parse_args(argv)
    reports = args.junit or [ROOT / "bench-results" / "reliability-junit.xml"]
    if args.junit is None:
        run_suite(reports[0])
    passed: dict[str, bool] = {}
    for report in reports:
        passed.update(outcomes(report))
    bench = json.loads(CASES.read_text(encoding="utf-8")) if CASES.is_file() else []
    text = table(passed, bench)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
