"""What a presenter's browser sends when it presents to viewers directly (WebRTC mesh): the measured limit of the
browser-presented mode.

    eval "$(scripts/services env)"; python bench/presenter_uplink.py --viewers 1 3 6

One portal process on a fresh PostgreSQL database; Debian's chromium with a fake camera (640×480) signs the
presenter and each viewer in (one browser context each), the presenter starts with the camera and every viewer
plays the video. Then, over --seconds, the presenter's peer connections are sampled (getStats: outbound video and
audio bytes) and the CPU time of the chromium processes it started. Printed per audience size as one JSON line: Mbit/s sent per
viewer and in all, frames per second actually sent, and the CPU cores the browser used. The uplink a presenter needs
is the total; divide a real uplink by the per-viewer figure for the audience it carries.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.burst import portal_process  # noqa: E402
from bench.live_viewers import audience_database  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
# Keeps every RTCPeerConnection the page makes reachable for sampling (the bench's page only, never the portal's).
RECORD_PEERS = """(() => { const Native = window.RTCPeerConnection; window.__peers = [];
  window.RTCPeerConnection = function (...args) { const pc = new Native(...args); window.__peers.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Native.prototype; })();"""
SENT = """async () => { let bytes = 0, frames = 0;
  for (const pc of window.__peers) { if (pc.connectionState !== "connected") continue;
    (await pc.getStats()).forEach(r => { if (r.type === "outbound-rtp") { bytes += r.bytesSent;
      if (r.kind === "video") frames += r.framesEncoded || 0; } }); }
  return { bytes, frames, peers: window.__peers.filter(pc => pc.connectionState === "connected").length }; }"""


def browser_cpu_seconds() -> float:
    """CPU time so far (user + system) of the chromium processes this bench started (its descendants), from /proc."""
    processes = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        values = rest.split()
        processes[int(stat.parent.name)] = ("chrom" in name, int(values[1]), int(values[11]) + int(values[12]))

    def ours(pid: int) -> bool:
        while pid > 1 and pid in processes:
            if pid == os.getpid():
                return True
            pid = processes[pid][1]
        return False

    ticks = sum(cpu for pid, (chromium, _, cpu) in processes.items() if chromium and ours(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def sign_in(context, url: str, email: str, password: str):
    page = context.new_page()
    page.goto(f"{url}/login")
    page.fill("form[action='/login'] input[name=email]", email)
    page.fill("form[action='/login'] input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    return page


def measure(url: str, presentation_id: int, viewers: int, seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        host = browser.new_context()
        host.add_init_script(RECORD_PEERS)
        stage = sign_in(host, url, "presenter@example.com", "live-bench-2026")
        stage.goto(f"{url}/presentations/{presentation_id}/live")
        stage.click("[data-start=camera]")
        seats = []
        for n in range(viewers):
            seat = sign_in(browser.new_context(), url, f"burst{n}@example.edu.cn", "burst-password-2026")
            seat.goto(f"{url}/presentations/{presentation_id}/live")
            seats.append(seat)
        for seat in seats:
            seat.wait_for_function("() => document.getElementById('stage-video').videoWidth > 0", timeout=60_000)
        time.sleep(5)  # past the bandwidth estimator's ramp-up
        first, cpu_first, began = stage.evaluate(SENT), browser_cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        last, cpu_last, elapsed = stage.evaluate(SENT), browser_cpu_seconds(), time.monotonic() - began
        browser.close()
    megabits = (last["bytes"] - first["bytes"]) * 8 / elapsed / 1e6
    return {
        "viewers": viewers, "connected_peers": last["peers"], "seconds": round(elapsed, 1),
        "uplink_mbit_s_total": round(megabits, 2), "uplink_mbit_s_per_viewer": round(megabits / max(viewers, 1), 2),
        "video_frames_per_second_per_viewer": round((last["frames"] - first["frames"]) / elapsed / max(viewers, 1), 1),
        "chromium_cpu_cores_all_tabs": round((cpu_last - cpu_first) / elapsed, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[1, 3, 6])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--database-url", default=os.environ.get("PORTAL_TEST_DATABASE_URL"))
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("set --database-url or PORTAL_TEST_DATABASE_URL (eval \"$(scripts/services env)\")")
    for viewers in args.viewers:
        with audience_database(args.database_url, viewers) as (env, presentation_id, _, _):
            with portal_process(env) as url:
                print(json.dumps(measure(url, presentation_id, viewers, args.seconds)), flush=True)


if __name__ == "__main__":
    main()
