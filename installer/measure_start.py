"""Measure how long the built app takes from exec to its main window on screen (a real X server: Xvfb).

    python3 installer/measure_start.py [--bin dist/nocdesk/nocdesk] [--runs 5] [--drop-caches] [--screenshot F.png]

Each run starts a fresh Xvfb, starts the app on an empty database in a temporary data directory, and
polls `xwininfo` until a large top-level window of class "nocdesk" is mapped (IsViewable). That instant is the
start time; the app is then closed (it quits by itself when it honours NOCDESK_EXIT_AFTER_SHOWN=1, which
is also set). With --drop-caches (root) the page cache is dropped before every run, so each run is a cold
start (libraries read from disk); without it the runs after the first are warm starts. Standard library only; needs Xvfb and xwininfo
(apt: xvfb x11-utils). Prints one line per run and a summary; exit status 1 if the window never showed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BIN = ROOT / "dist" / "nocdesk" / "nocdesk"
# a top-level window of ours: WM_CLASS ("nocdesk" "nocdesk"), whatever the title's language; not the 1x1 leader
WINDOW_RE = re.compile(r'^\s+(0x[0-9a-f]+) "[^"]*": \("nocdesk" "nocdesk"\)\s+(\d+)x(\d+)', re.MULTILINE)
MIN_WINDOW_PX = 200
POLL_S = 0.01


def _free_display() -> int:
    for number in range(90, 160):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number between :90 and :159")


def _start_xvfb() -> tuple[subprocess.Popen, str]:
    number = _free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    display = f":{number}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if subprocess.run(["xwininfo", "-root"], env={**os.environ, "DISPLAY": display},
                          capture_output=True).returncode == 0:
            return xvfb, display
        time.sleep(0.05)
    xvfb.kill()
    raise RuntimeError("Xvfb did not start within 10 s")


def _main_window_viewable(display: str) -> bool:
    env = {**os.environ, "DISPLAY": display}
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True).stdout
    for window_id, width, height in WINDOW_RE.findall(tree):
        if int(width) < MIN_WINDOW_PX or int(height) < MIN_WINDOW_PX:
            continue
        info = subprocess.run(["xwininfo", "-id", window_id], env=env, capture_output=True, text=True).stdout
        if "IsViewable" in info:
            return True
    return False


def _stop(proc: subprocess.Popen, timeout_s: float) -> None:
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure_once(binary: Path, timeout_s: float, screenshot: Path | None = None) -> float | None:
    """Seconds from exec to the mapped main window, or None when it did not show within timeout_s."""
    xvfb, display = _start_xvfb()
    with tempfile.TemporaryDirectory(prefix="nocdesk-start-") as tmp:
        env = {**os.environ, "DISPLAY": display, "NOCDESK_DATA_DIR": tmp, "QT_QPA_PLATFORM": "xcb",
               "NOCDESK_EXIT_AFTER_SHOWN": "0" if screenshot else "1"}
        log = open(Path(tmp) / "app.log", "w")  # noqa: SIM115 - closed below
        started = time.monotonic()
        app = subprocess.Popen([str(binary), "--db", str(Path(tmp) / "start.db")], env=env, stdout=log, stderr=log)
        shown_s = None
        try:
            while time.monotonic() - started < timeout_s and app.poll() in (None, 0):
                if _main_window_viewable(display):
                    shown_s = time.monotonic() - started
                    break
                if app.poll() == 0:
                    break
                time.sleep(POLL_S)
            if shown_s is not None and screenshot:
                time.sleep(3)  # let the first refresh paint
                subprocess.run(["import", "-window", "root", str(screenshot)],
                               env={**os.environ, "DISPLAY": display}, check=False)
            _stop(app, 0 if screenshot else 3)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
            log.close()
            xvfb.terminate()
            xvfb.wait()
        if shown_s is None:
            sys.stderr.write((Path(tmp) / "app.log").read_text(errors="replace")[-3000:])
        return shown_s


def drop_caches() -> bool:
    """Drop the page cache (root only) so the next start reads everything from disk."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", type=Path, default=DEFAULT_BIN, help="the built nocdesk executable")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the window per run")
    parser.add_argument("--drop-caches", action="store_true", help="drop the page cache before each run (root)")
    parser.add_argument("--screenshot", type=Path, help="after the last run's window shows, save the screen here")
    args = parser.parse_args(argv)
    for tool in ("Xvfb", "xwininfo"):
        if not shutil.which(tool):
            print(f"measure_start: {tool} is missing; apt-get install xvfb x11-utils", file=sys.stderr)
            return 2
    if not args.bin.exists():
        print(f"measure_start: {args.bin} does not exist; build it first (installer/build_linux.sh)", file=sys.stderr)
        return 2
    times: list[float] = []
    cold = False
    for run in range(1, args.runs + 1):
        cold = args.drop_caches and drop_caches()
        if args.drop_caches and not cold:
            print("measure_start: could not drop the page cache (needs root); this run is not a cold start")
        shot = args.screenshot if run == args.runs else None
        shown_s = measure_once(args.bin, args.timeout, shot)
        label = "cold" if cold else "warm" if run > 1 else "first"
        if shown_s is None:
            print(f"run {run} ({label}): main window did not show within {args.timeout:.0f} s")
            return 1
        print(f"run {run} ({label}): main window shown after {shown_s:.2f} s")
        times.append(shown_s)
    kind = "cold" if cold else "first start" if len(times) == 1 else "warm"
    measured = times if cold or len(times) == 1 else times[1:]
    print(f"start to main window ({kind}, {len(measured)} runs): median {statistics.median(measured):.2f} s, "
          f"min {min(measured):.2f} s, max {max(measured):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
