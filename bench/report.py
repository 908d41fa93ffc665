"""The budgets, and the tables that show what misses them."""

from __future__ import annotations

import re
import statistics

from bench_timing import ExportTiming, Timing
from scheduled_jobs import TARGET_SECONDS as JOB_SECONDS
from throughput import Throughput

# pages (server time through the test client, per request)
MEDIAN_MS = 50
P95_MS = 150
QUERIES = 12
# the page's time against its SQL replayed alone: when the SQL takes a while the page may
# take at most twice as long; when the SQL is quick, the page at most this long
SQL_SLOW_MS = 10
RATIO = 2
FAST_SQL_PAGE_MS = 20
# exports (median of the downloads)
CSV_WHOLE_S = 4
XLSX_FIRST_BYTE_S = 1
XLSX_WHOLE_S = 15
# the LA lead's placements list on gunicorn with two workers
PLACEMENTS_RPS = 100


def page_misses(t: Timing) -> list[str]:
    """The page budgets `t` misses, in a word each."""
    misses = []
    if t.median_ms > MEDIAN_MS:
        misses.append("median")
    if t.p95_ms > P95_MS:
        misses.append("p95")
    if t.queries > QUERIES:
        misses.append("queries")
    if t.small_queries is not None and t.small_queries != t.queries:
        misses.append("2k")
    sql, ratio = t.sql_median_ms, t.ratio
    if sql is not None and sql > SQL_SLOW_MS and ratio is not None and ratio > RATIO:
        misses.append("ratio")
    if sql is not None and sql <= SQL_SLOW_MS and t.median_ms > FAST_SQL_PAGE_MS:
        misses.append("app")
    return misses


def export_misses(e: ExportTiming) -> list[str]:
    whole, first = statistics.median(e.seconds), statistics.median(e.first_byte)
    if e.format == "xlsx":
        return (["first byte"] if first > XLSX_FIRST_BYTE_S else []) + (
            ["whole"] if whole > XLSX_WHOLE_S else []
        )
    return ["whole"] if whole > CSV_WHOLE_S else []


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}" if value < 10 else f"{value:.0f}"


def report_pages(timings: list[Timing], dialect: str, size: str) -> None:
    if not timings:
        return
    print(f"\nPages on {dialect} ({size})")
    print(
        f"Budgets: median <= {MEDIAN_MS} ms, p95 <= {P95_MS} ms, queries <= {QUERIES} and the "
        f"same at 2k; page/SQL <= {RATIO} when the SQL takes over {SQL_SLOW_MS} ms, else "
        f"page <= {FAST_SQL_PAGE_MS} ms"
    )
    header = (
        f"{'page':<36} {'role':<10} {'n':>3} {'median ms':>9} {'p95 ms':>7} {'SQL ms':>7} "
        f"{'ratio':>6} {'queries':>7} {'read':>5} {'at 2k':>6} {'max same':>8}  notes"
    )
    print(header)
    print("-" * (len(header) + 30))
    for t in timings:
        notes = []
        misses = page_misses(t)
        if misses:
            notes.append("OVER " + " ".join(misses))
        if set(t.statuses) - {200}:
            notes.append(f"HTTP {dict(t.statuses)}")
        if t.replay_error:
            notes.append(f"replay failed: {t.replay_error}")
        if len(t.counts) > 1:
            notes.append(f"queries {min(t.counts)}-{max(t.counts)}")
        if t.repeated[0] >= 5 and t.small_queries == t.queries:
            notes.append(f"one statement x{t.repeated[0]}, as at 2k")
        elif t.repeated[0] >= 5:
            notes.append("N+1?")
        small = "" if t.small_queries is None else str(t.small_queries)
        ratio = "" if t.ratio is None else f"{t.ratio:.1f}"
        read = str(t.replayed) if t.sql_times else ""
        print(
            f"{t.label:<36} {t.role.value:<10} {len(t.times):>3} {_ms(t.median_ms):>9} "
            f"{_ms(t.p95_ms):>7} {_ms(t.sql_median_ms):>7} {ratio:>6} {t.queries:>7} "
            f"{read:>5} {small:>6} {t.repeated[0]:>8}  {'; '.join(notes)}"
        )
    replayed = sum(t.replayed_total for t in timings)
    ran = sum(sum(count * n for count, n in t.counts.items()) for t in timings)
    print(
        f"SQL replayed: {replayed:,} read statements of the {ran:,} the timed requests ran "
        "(writes are not replayed)"
    )


# a long IN list's placeholders, on SQLite (?) and PostgreSQL (%(name)s)
_PLACEHOLDERS = re.compile(r"(?:(?:\?|%\(\w+\)s), ){3,}(?:\?|%\(\w+\)s)")


def _short(statement: str, length: int) -> str:
    """The statement on one line, a long list of placeholders as one."""
    line = " ".join(statement.split())
    line = _PLACEHOLDERS.sub(lambda m: f"?, ... ({m.group().count(',') + 1} values)", line)
    return line[:length]


def report_statements(timings: list[Timing], show_sql: bool) -> None:
    """The slowest statements of the last request of each page over its median or p95 budget,
    or running one statement five times or more (with --sql, of every page)."""
    for t in timings:
        slow = {"median", "p95"} & set(page_misses(t))
        if not (show_sql or slow or t.repeated[0] >= 5):
            continue
        print(f"\n{t.label} ({t.role.value}) {t.path}: slowest statements of the last request")
        for seconds, statement in t.slowest:
            print(f"  {seconds * 1000:7.1f} ms  {_short(statement, 300)}")
        if t.repeated[0] >= 5:
            print(f"  run {t.repeated[0]} times: {_short(t.repeated[1], 300)}")


def report_exports(exports: list[ExportTiming], dialect: str, size: str) -> None:
    if not exports:
        return
    print(f"\nExports on {dialect} ({size})")
    print(
        f"Budgets (median of the downloads): CSV whole body <= {CSV_WHOLE_S} s; XLSX first "
        f"byte <= {XLSX_FIRST_BYTE_S} s and whole body <= {XLSX_WHOLE_S} s"
    )
    print(
        f"{'export':<36} {'role':<10} {'n':>3} {'first s':>8} {'median s':>9} {'max s':>7} "
        f"{'rows':>9} {'MB':>6} {'queries':>7}  notes"
    )
    for e in exports:
        misses = export_misses(e)
        notes = ["OVER " + " ".join(misses)] if misses else []
        if e.status != 200:
            notes.append(f"HTTP {e.status}")
        print(
            f"{e.label:<36} {e.role.value:<10} {len(e.seconds):>3} "
            f"{statistics.median(e.first_byte):>8.2f} {statistics.median(e.seconds):>9.1f} "
            f"{max(e.seconds):>7.1f} {e.rows:>9,} {e.megabytes:>6.1f} {e.queries:>7}  "
            + "; ".join(notes)
        )


def report_throughput(results: list[Throughput], threads: int, workers: int) -> None:
    print(
        f"\nThroughput on gunicorn ({workers} workers, {threads} client threads on loopback); "
        f"budget: LA lead's /placements >= {PLACEMENTS_RPS} requests/s"
    )
    print(f"{'route':<20} {'role':<10} {'requests':>9} {'seconds':>8} {'req/s':>7} {'errors':>7}")
    for r in results:
        role = "" if r.path == "/healthz" else "la_lead"
        notes = "OVER rps" if throughput_misses(r) else ""
        print(
            f"{r.path:<20} {role:<10} {r.requests:>9,} {r.seconds:>8.1f} {r.rps:>7.0f} "
            f"{r.errors:>7}  {notes}"
        )


def throughput_misses(r: Throughput) -> list[str]:
    if r.path == "/healthz":
        return []
    return ["rps"] if r.rps < PLACEMENTS_RPS or r.errors else []


def summary(
    timings: list[Timing],
    exports: list[ExportTiming],
    throughput: list[Throughput],
    jobs: list[tuple[str, float, object]],
) -> None:
    """One line: how many rows (of those with a budget) miss one, and which."""
    rows = [(f"{t.label} ({t.role.value})", page_misses(t)) for t in timings]
    rows += [(f"{e.label} ({e.role.value})", export_misses(e)) for e in exports]
    rows += [(f"throughput {r.path}", throughput_misses(r)) for r in throughput]
    rows = [row for row in rows if row[0] != "throughput /healthz"]  # shown, not budgeted
    rows += [(f"job {name}", ["seconds"] if s >= JOB_SECONDS else []) for name, s, _ in jobs]
    over = [f"{name}: {' '.join(misses)}" for name, misses in rows if misses]
    if over:
        print(f"\nOver budget: {len(over)} of {len(rows)} rows: " + "; ".join(over))
    else:
        print(f"\nOver budget: none of {len(rows)} rows")
