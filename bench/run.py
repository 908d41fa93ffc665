"""Time the main pages and exports against a scale database: `make bench` (see README.md).

SQLite by default (bench/data/scale.db); PostgreSQL when BENCH_DATABASE_URL is set. The database
is built with the migrations and seeded with `seed-scale` once, then reused. Each page is
fetched through the Flask test client, signed in through the real sign-in form, and timed
around the request (server time: no network, no browser); its read statements are then replayed
on the raw driver connection for its SQL-only time. Every SQL statement is counted, and counted
again on a database of 2,000 placements on the same engine. The LA lead's placements list is
then loaded on gunicorn for requests per second, and the worker's scheduled jobs are timed.

The modules beside this one: bench_data (the databases, the bench users), bench_pages (what is
timed), bench_timing (timing through the test client), sql_replay, throughput (gunicorn),
scheduled_jobs, report (the budgets and tables).
"""

from __future__ import annotations

import argparse
import gc
import os

from bench_data import (
    DATA,
    FULL,
    SMALL,
    choose_sample,
    email_for,
    open_database,
    scale_url,
    small_url,
)
from bench_timing import measure
from report import (
    report_exports,
    report_pages,
    report_statements,
    report_throughput,
    summary,
)
from scheduled_jobs import report_jobs, time_jobs  # bench/, the script's own folder
from throughput import WORKERS, measure_throughput

from apregister.demo import scale
from apregister.extensions import db
from apregister.models import Role


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warm", type=int, default=2, help="untimed requests first")
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument(
        "--page-budget", type=float, default=120, help="seconds per page before fewer requests"
    )
    parser.add_argument("--reseed", action="store_true", help="empty the bench databases first")
    parser.add_argument("--no-compare", action="store_true", help="skip the 2k-placement check")
    parser.add_argument("--sql", action="store_true", help="show the slowest SQL of every page")
    parser.add_argument(
        "--only", help="only pages and exports whose label contains this (no throughput, jobs)"
    )
    parser.add_argument("--no-jobs", action="store_true", help="skip the scheduled jobs")
    parser.add_argument(
        "--no-throughput", action="store_true", help="skip the requests per second on gunicorn"
    )
    parser.add_argument(
        "--throughput-seconds", type=float, default=10, help="seconds of load per route"
    )
    parser.add_argument("--throughput-threads", type=int, default=4, help="client threads")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    DATA.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(DATA / "instance"))
    url = scale_url()
    app = open_database(url, FULL, "scale database", reseed=args.reseed)
    small_app = None
    if not args.no_compare:
        small_app = open_database(small_url(url), SMALL, "comparison database", reseed=args.reseed)

    sample = choose_sample(app)
    # as gunicorn.conf.py does once the app is loaded: what start-up made is kept out of the
    # collector's way, so a full collection walks only what requests make
    gc.collect()
    gc.freeze()
    timings, exports = measure(
        app,
        sample,
        args.repeat,
        args.warm,
        args.export_runs,
        only=args.only,
        budget=args.page_budget,
    )

    if small_app is not None:
        # The same pages on a database a hundred times smaller, on the same engine: a page
        # whose query count differs has a query count that depends on the data.
        small, _ = measure(
            small_app,
            choose_sample(small_app),
            1,
            1,
            0,
            only=args.only,
            with_exports=False,
            with_replay=False,
            progress="at 2k: ",
        )
        by_key = {(t.label, t.role): t.queries for t in small}
        for timing in timings:
            timing.small_queries = by_key.get((timing.label, timing.role))

    throughput = []
    if not args.no_throughput and not args.only:
        throughput = measure_throughput(
            url,
            email_for(Role.LA_LEAD),
            "/placements",
            threads=args.throughput_threads,
            seconds=args.throughput_seconds,
        )

    with app.app_context():
        dialect = db.engine.dialect.name
        counts = scale.row_counts()
    size = f"{counts['placements']:,} placements, {counts['attendance']:,} attendance rows"
    report_pages(timings, dialect, size)
    report_exports(exports, dialect, size)
    report_statements(timings, args.sql)
    if throughput:
        report_throughput(throughput, args.throughput_threads, WORKERS)
    jobs = []
    if not args.no_jobs and not args.only:
        jobs = time_jobs(app)
        report_jobs(jobs)
    summary(timings, exports, throughput, jobs)


if __name__ == "__main__":
    main()
