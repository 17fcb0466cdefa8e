"""How long verifying an agreement file takes (signatures, the revision review, the record match), per fixture.

    python bench/verify_speed.py [--runs 20]

Uses the hostile fixtures in tests/agreements/hostile/ (a fully signed agreement, the version before the school
signed, an overlay added after signing) and a file with 40 extra revisions; prints one JSON line: p50 and p95 in
milliseconds for each, and the process's CPU seconds.
"""
import argparse
import json
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asn1crypto import pem, x509  # noqa: E402
from pyhanko.pdf_utils import generic  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402

from portal.agreements import revisions, signing  # noqa: E402

HOSTILE = ROOT / "tests" / "agreements" / "hostile"


def many_revisions(pdf: bytes, count: int) -> bytes:
    for n in range(count):
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        writer.set_info(generic.DictionaryObject({generic.NameObject("/Subject"): generic.TextStringObject(str(n))}))
        out = BytesIO()
        writer.write(out)
        pdf = out.getvalue()
    return pdf


def timed(call, runs: int) -> dict:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(samples[int(0.95 * (runs - 1))], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    root = x509.Certificate.load(pem.unarmor((HOSTILE / "root.cert.pem").read_bytes())[2])
    files = {name: (HOSTILE / f"{name}.pdf").read_bytes() for name in ("signed", "earlier", "overlay")}
    files["40_extra_revisions"] = many_revisions(files["signed"], 40)
    cpu = time.process_time()
    figures = {name: timed(lambda pdf=pdf: signing.verify_pdf(pdf, root=root), args.runs) for name, pdf in files.items()}
    figures["record_prefix_hashes_signed"] = timed(lambda: revisions.revision_prefixes(files["signed"]), args.runs)
    print(json.dumps({"runs": args.runs, **figures, "cpu_seconds": round(time.process_time() - cpu, 2)}))


if __name__ == "__main__":
    main()
