"""The teacher's walk, measured: from the book's front page to the files of a printed class
set, by the links a reader clicks, in headless Chromium (Debian's, driven by Playwright, no
network). Prints each step with its time, the clicks, the files downloaded and what is to
print. Run after `make book`:

    .venv/bin/python benchmarks/teacher_walk.py [GROUP_SIZE]
"""

import functools
import http.server
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import ARGS, CHROMIUM, HTML  # noqa: E402


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def main(group_size: int = 5) -> None:
    # the web edition as a reader gets it: served over HTTP (here on the loopback interface)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    start = time.perf_counter()
    clicks, got = 0, []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(home)
        page.wait_for_url("**/intro.html")  # the front page sends the reader to the opening page
        print(f"{time.perf_counter() - start:5.1f} s  the front page")
        page.get_by_role("link", name="Using this book in a seminar").first.click()
        page.wait_for_url("**/seminar.html")
        clicks += 1
        plan = page.inner_text("main")
        print(
            f"{time.perf_counter() - start:5.1f} s  the plan: {len(plan.split())} words "
            f"(about {len(plan.split()) / 200:.0f} min to read at 200 words a minute)"
        )
        page.get_by_role("link", name="Seminar sheets to download").first.click()
        page.wait_for_url("**/seminar-sheets.html")
        clicks += 1
        print(f"{time.perf_counter() - start:5.1f} s  the sheets' page")
        wanted = [
            page.get_by_role("link", name="for every student"),
            page.get_by_role("link", name="for the teacher"),
        ]
        # each group's student's sheet, as PDF: the exercises' table, third column
        rows = page.locator("table", has_text=re.compile(r"Student.s sheet")).locator("tbody tr")
        wanted += [
            rows.nth(i).locator("td").nth(2).get_by_role("link").last for i in range(rows.count())
        ]
        # the role cards, one set for the class: the kit's table, their row's PDF
        cards = page.locator("tr", has_text=re.compile(r"Role cards\s+students"))
        wanted.append(cards.get_by_role("link").last)
        for link in wanted:
            with page.expect_download() as d:
                link.click()
            clicks += 1
            target = Path(tmp) / d.value.suggested_filename
            d.value.save_as(target)
            got.append(target)
        took = time.perf_counter() - start
        browser.close()
        print(f"{took:5.1f} s  {len(got)} files downloaded, {clicks} clicks in all")
        to_print = 0
        for f in got:
            n = pages(f)
            once = "teacher" in f.name or "role-cards" in f.name
            copies = 1 if once else group_size * 4 if "students" in f.name else group_size
            to_print += n * copies
            print(f"         {f.name}: {n} pages x {copies} copies")
        print(f"         {to_print} pages to print for {group_size * 4} students")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
