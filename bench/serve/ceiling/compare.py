"""Which HTTP server could answer feed polls near nginx's speed? A bare callable (the
same bytes and headers `seedfeed serve` sends, no framework) under each candidate, beside
Debian's nginx and `seedfeed serve`, interleaved as bench/serve.py does.

Run by hand, not by `make bench` (the candidates are not seedfeed's dependencies):

    python3 -m venv /tmp/cand && /tmp/cand/bin/pip install uwsgi bjoern pyruvate
    (bjoern compiles against libev: apt-get install libev-dev first)
    .venv/bin/python bench/serve/ceiling/compare.py --candidates /tmp/cand [--rounds 3]

Prints one line per server: median req/s and the median per-round ratio to nginx.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # bench/: serve.py and run.py
import serve as S  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--candidates", type=Path, required=True,
                   help="a venv with uwsgi, bjoern and pyruvate installed")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="seedfeed-ceiling-") as tmp:
        site = Path(tmp) / "s"
        S.publish_site(site)
        run(site, args)


def run(site: Path, args: argparse.Namespace) -> None:
    env = {"BARE_ROOT": str(site), "PYTHONPATH": str(HERE)}
    here_bin, cand = Path(sys.executable).parent, args.candidates / "bin"
    granian = [str(here_bin / "granian"), "--host", "127.0.0.1", "--port", "PORT", "--no-ws",
               "--http", "1", "--log-level", "warning", "--workers", "2"]
    uwsgi = [str(cand / "uwsgi"), "--http11-socket", "127.0.0.1:PORT", "--processes", "2",
             "--master", "--wsgi-file", str(HERE / "bare.py"), "--callable", "app",
             "--disable-logging", "--listen", "1024", "--die-on-term"]
    commands = {
        "granian WSGI, 2 workers": [*granian, "--interface", "wsgi", "bare:app"],
        "granian WSGI, 2 workers, 2 runtime threads": [*granian, "--runtime-threads", "2",
                                                       "--interface", "wsgi", "bare:app"],
        "granian RSGI, 2 workers": [*granian, "--interface", "rsgi", "bare_rsgi:app"],
        "uWSGI, 2 processes, 1 connection each": uwsgi,
        "uWSGI, 2 processes x 32 threads": [*uwsgi, "--threads", "32"],
        "bjoern, 2 processes (SO_REUSEPORT)": [str(cand / "python"), str(HERE / "run_bjoern.py"),
                                               "PORT", "2"],
        "pyruvate, 2 worker threads": [str(cand / "python"), str(HERE / "run_pyruvate.py"),
                                       "PORT", "2"],
    }

    def starter(cmd: list[str]):  # type: ignore[no-untyped-def]
        return lambda root, port: S._popen([c.replace("PORT", str(port)) for c in cmd], root,
                                           f"c{port}", env)

    targets = [S.Target("Debian nginx (reference)", S.start_reference),
               S.Target("seedfeed serve", S.start_serve)]
    targets += [S.Target(name, starter(cmd)) for name, cmd in commands.items()]
    S.measure(targets, site, args.rounds, 5)
    ref = targets[0]
    print("| server | 304 req/s | × nginx | gzip 200 req/s | × nginx |\n|---|---|---|---|---|")
    for t in targets:
        print(f"| {t.name} | {statistics.median(t.results['304']):,.0f} | "
              f"{S.paired(t, ref, '304'):.2f}× | {statistics.median(t.results['gzip']):,.0f} | "
              f"{S.paired(t, ref, 'gzip'):.2f}× |")


if __name__ == "__main__":
    main()
