#!/usr/bin/env python3
"""Load benchmark of `rubric serve` on loopback (a benchmark, not a test: nothing here is timed
against a threshold). CLIENTS concurrent clients, each on its own keep-alive connection, score
the bundled 广汉 units (12 units, by the hash of the compiled 广汉 rubric) for SECONDS; then
the latency percentiles, the throughput and the number of errors are printed. Any error (a
status other than 200, or a connection failure) makes the exit status 1.

Usage: tests/bench/serve-load.py RUBRIC_CLI [--clients 16] [--seconds 30] [--root SOURCE_ROOT]
The clients are threads of this process (http.client); on a small machine they share its cores
with the server, so the numbers are those of client and server together.
"""
import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "serve"))
from serve_support import served  # noqa: E402


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--root", default=os.path.normpath(os.path.join(HERE, "..", "..")))
    a = ap.parse_args()
    facts = open(os.path.join(a.root, "rubrics/samples/guanghan-2023-units.csv"), encoding="utf-8").read()

    with served(a.cli, "--rubrics", os.path.join(a.root, "rubrics")) as server:
        status, _, body = server.post_json("/api/compile", {"file": "guanghan-2023.rubric"})
        assert status == 200, body
        request = json.dumps({"hash": json.loads(body)["hash"], "facts": facts, "format": "csv"}).encode()
        latencies = [[] for _ in range(a.clients)]
        errors = [[] for _ in range(a.clients)]
        start = threading.Barrier(a.clients + 1)
        deadline = [0.0]

        def client(i):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            start.wait()
            while time.monotonic() < deadline[0]:
                t0 = time.perf_counter()
                try:
                    conn.request("POST", "/api/score", body=request, headers={"Content-Type": "application/json"})
                    r = conn.getresponse()
                    data = r.read()
                    if r.status != 200 or data.count(b"\n") != 13:
                        errors[i].append(f"{r.status} {data[:200]!r}")
                except (OSError, http.client.HTTPException) as e:
                    errors[i].append(repr(e))
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                latencies[i].append(time.perf_counter() - t0)
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
        for t in threads:
            t.start()
        deadline[0] = time.monotonic() + a.seconds
        began = time.monotonic()
        start.wait()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began

    all_latencies = sorted(x for per in latencies for x in per)
    all_errors = [e for per in errors for e in per]
    n = len(all_latencies)
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    print(f"rubric serve load: {a.clients} clients, {elapsed:.1f} s, /api/score of 12 units (广汉) by hash, CSV out")
    print(f"  requests   {n}  ({n / elapsed:.1f} per second, {12 * n / elapsed:.0f} units per second)")
    print(f"  latency    p50 {ms(percentile(all_latencies, 50))}  p90 {ms(percentile(all_latencies, 90))}  "
          f"p99 {ms(percentile(all_latencies, 99))}  max {ms(all_latencies[-1] if n else float('nan'))}  "
          f"mean {ms(statistics.fmean(all_latencies) if n else float('nan'))}")
    print(f"  errors     {len(all_errors)}")
    for e in all_errors[:5]:
        print("    " + e)
    return 1 if all_errors or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
