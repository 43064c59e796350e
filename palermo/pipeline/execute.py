"""Running chapter notebooks with papermill: one run into a temporary file renamed into place,
or a whole plan in parallel with progress lines, a closing table and the failing cell."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..data import inputs
from ..errors import BuildError
from ..files import atomic_path
from . import provenance
from .cache import META_KEY, cache_key, stored_key
from .content import CellWriter, Rerun
from .export import NOTEBOOK_DIGEST, notebook_digest
from .plan import Run

if TYPE_CHECKING:  # for the annotations only: jupyter_client is imported where a kernel starts
    from jupyter_client.client import KernelClient
    from jupyter_client.manager import AsyncKernelManager

LOGS = config.BUILD / "logs"


@dataclass
class Result:
    run: Run
    status: str  # "run", "cached", "failed", "skipped"
    seconds: float = 0.0
    error: dict | None = field(default=None)


class RunFailed(BuildError):
    def __init__(self, results: list[Result]):
        self.results = results
        failed = [r for r in results if r.status == "failed"]
        super().__init__(
            f"{len(failed)} notebook(s) failed: "
            + ", ".join(r.run.rel(r.run.output) for r in failed)
        )


KERNELS: set[int] = set()  # the process ids of the kernels running now


def interrupt_kernels() -> None:
    """Interrupt every running kernel (as Ctrl-C at a terminal would), so their runs end now."""
    for pid in list(KERNELS):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGINT)


def _error_details(exc: Exception, tmp: Path) -> dict:
    """The failing cell's source and the error, from papermill's exception and output."""
    import nbformat

    info = {
        "ename": getattr(exc, "ename", type(exc).__name__),
        "evalue": getattr(exc, "evalue", str(exc)),
        "cell": None,
        "source": "",
    }
    try:
        nb = nbformat.read(str(tmp), as_version=4)
        for i, c in enumerate(nb.cells):
            if c.cell_type == "code" and any(
                o.get("output_type") == "error" for o in c.get("outputs", [])
            ):
                info["cell"], info["source"] = i, c.source
                break
    except Exception:  # the partial notebook may not exist
        info["cell"] = getattr(exc, "exec_count", None)
    return info


RERUN_TAG = "palermo-rerun"


def _hide_parameters(nb) -> None:
    """A book page shows no parameters cell (the defaults, or papermill's injected values): the
    values it ran with are in its "Rerun this chapter" box instead."""
    for c in nb.cells:
        tags = c.metadata.get("tags", [])
        if {"parameters", "injected-parameters"} & set(tags) and "remove-cell" not in tags:
            c.metadata["tags"] = tags + ["remove-cell"]


def _cli_value(value) -> str:
    import shlex

    if isinstance(value, (list, tuple)):
        value = ",".join(map(str, value))
    return shlex.quote(str(value))


def rerun(run: Run) -> Rerun:
    """What a book page's "Rerun this chapter" box says: which notebook, run with which values,
    the command that runs it with them, and the page's download."""
    cmd = " ".join(
        ["palermo run", run.rel(run.notebook)]
        + [f"-p {k} {_cli_value(v)}" for k, v in run.parameters.items()]
    )
    return Rerun(run.rel(run.notebook), dict(run.parameters), cmd, provenance.download(run))


def _title_page(nb, run: Run) -> None:
    """A book page's heading is its title in the plan, so the navigation, the page and the PDF
    agree, and two runs of one notebook (two dates) never share a heading."""
    if config.BOOK not in run.output.parents or not run.title:
        return
    for c in nb.cells:
        if c.cell_type == "markdown" and c.source.startswith("# "):
            _, _, rest = c.source.partition("\n")
            c.source = f"# {run.title}" + ("\n" + rest if rest else "")
            return


def _web_only(nb) -> None:
    """A page left out of the PDF edition keeps no print copy of its charts: the PNG beside a
    chart's HTML (about 200 KB each) goes; a PNG standing alone stays."""
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data and "text/html" in data:
                del data["image/png"]


def _add_rerun_box(nb, run: Run, cells: CellWriter) -> None:
    import nbformat

    if config.BOOK not in run.output.parents:  # only the book's pages
        return
    cell = nbformat.v4.new_markdown_cell(cells.rerun_box(rerun(run)))
    cell.metadata["tags"] = [RERUN_TAG]
    cell["id"] = RERUN_TAG  # a fixed id: reruns stay byte-stable
    nb.cells = [c for c in nb.cells if RERUN_TAG not in c.metadata.get("tags", [])] + [cell]


def _log_name(output: Path) -> str:
    """A book page's kernel log is named after the page (figure1--latest); any other run's after
    its file name, so repeated runs elsewhere reuse one log instead of piling up new ones."""
    if config.BOOK in output.parents:
        return "--".join(output.relative_to(config.BOOK).with_suffix("").parts)
    return output.stem


RESET = "get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1"


def _prelude(print_copy: bool) -> str:
    """What runs in the kernel before a notebook: a clean namespace, and whether its charts
    need a print copy (a PNG) at all: a page left out of the PDF edition would drop it."""
    flag = "1" if print_copy else "0"
    return f"{RESET}; __import__('os').environ[{config.CHART_PNG_ENV!r}] = {flag!r}"


ENGINE = "palermo-reuse"
_registered = False


def _reusing_engine() -> str:
    """Register (once) papermill's engine for a kernel kept between runs: before each run the
    kernel's namespace and counter are reset, so the run sees only what its own cells define;
    after it, the kernel and its connection (the kernel client) stay for the next run.

    Public APIs only: the engine is registered with ``papermill_engines.register``, its client
    is papermill's ``PapermillNotebookClient`` handed an already started kernel manager through
    nbclient's ``km=`` (so nbclient neither starts nor stops the kernel) and the kernel client
    kept from the last run as its ``kc`` (nbclient connects one, and waits until the kernel
    answers, only where ``kc`` is None: a fifth of a second a run), and its ``execute`` uses
    the client's public methods. A message left over from an earlier run is not mistaken for
    this one's: nbclient reads only the replies to its own requests."""
    global _registered
    if _registered:
        return ENGINE
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    logger = _quiet_logger()

    class Client(PapermillNotebookClient):
        def execute(self, keeper: WorkerKernel, print_copy: bool, **kwargs):
            self.reset_execution_trackers()
            self.kc = keeper.kc  # None: nbclient connects, and waits for the kernel
            try:
                with self.setup_kernel(**kwargs):
                    kc = self.kc
                    if kc is None:  # setup_kernel connects one where there was none
                        raise BuildError("the kernel started, but nbclient connected no client")
                    keeper.kc = kc
                    prelude = _prelude(print_copy)
                    self.wait_for_reply(kc.execute(prelude, silent=True, store_history=False))
                    self.papermill_execute_cells()
                    info = self.wait_for_reply(kc.kernel_info())
                    self.nb.metadata["language_info"] = info["content"]["language_info"]
                    self.set_widgets_metadata()
            finally:
                self.kc = None  # the keeper disconnects it when the kernel goes
            return self.nb

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, start_timeout=60, **kwargs
        ):
            # as papermill's own engine does: its execution_timeout is nbclient's per-cell
            # timeout (None: a cell may run as long as it takes)
            timeout = kwargs.pop("execution_timeout", None) or kwargs.pop("timeout", None)
            for unused in ("input_path", "stdout_file", "stderr_file", "timeout"):
                kwargs.pop(unused, None)
            keeper, print_copy = kwargs.pop("keeper"), kwargs.pop("print_copy", True)
            return Client(
                nb_man,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                startup_timeout=start_timeout,
                timeout=timeout,
                **kwargs,
            ).execute(keeper, print_copy)

    papermill_engines.register(ENGINE, Engine)
    _registered = True
    return ENGINE


class WorkerKernel:
    """A kernel kept for the next run of the same notebook (a worker's), or for one run. Starting
    a kernel and importing pandas and Altair costs seconds; a country profile in a warm kernel a
    fraction of that, so the ~200 profiles run in minutes on two cores. A kernel is never
    shared between notebooks (another notebook gets a fresh one) nor between threads (its
    event loop is its thread's), and one that died is replaced. Its own stdout and stderr (the
    transport warning, 'KeyboardInterrupt caught in kernel' on shutdown) go to a log file, not
    to the build's output: jupyter_client's public ``start_kernel(stdout=, stderr=)``. What a
    notebook prints still reaches its cells through the kernel's messages."""

    def __init__(self, name: str, kernel: str = "python3"):
        self.name, self.kernel = name, kernel
        self.km: AsyncKernelManager | None = None
        # the connection to the kernel, kept with it (set by the engine)
        self.kc: KernelClient | None = None
        self.pid: int | None = None
        self.notebook: Path | None = None

    def for_run(self, notebook: Path, log: Path | None = None):
        """The started kernel manager for a run of ``notebook``."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is not None and (self.notebook != notebook or not run_sync(self.km.is_alive)()):
            self.close()
        if self.km is None:
            log = log or LOGS / f"{self.name}.kernel.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            km = AsyncKernelManager(kernel_name=self.kernel)
            with open(log, "w", encoding="utf-8") as fh:
                # as nbclient starts its own kernels: history in memory (a reset kernel's
                # counter restarts at 1, which a history file would refuse), run from the root
                run_sync(km.start_kernel)(
                    stdout=fh,
                    stderr=fh,
                    cwd=str(config.ROOT),
                    extra_arguments=["--HistoryManager.hist_file=:memory:"],
                )
            self.km, self.notebook = km, notebook
            self.pid = getattr(km.provisioner, "pid", None)
            if self.pid:
                KERNELS.add(self.pid)
        return self.km

    def close(self) -> None:
        from jupyter_core.utils import run_sync

        km, self.km, self.notebook = self.km, None, None
        kc, self.kc = self.kc, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if self.pid:
            KERNELS.discard(self.pid)
            self.pid = None
        if km is not None and km.has_kernel:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)


def run_notebook(
    notebook: Path,
    output: Path,
    parameters: dict,
    *,
    log: Path,
    reuse: WorkerKernel | None = None,
    prepare_only: bool = False,
    kernel: str = "python3",
    print_copy: bool = True,
    execution_timeout: int | None = None,
) -> None:
    """The one papermill call: ``notebook`` with ``parameters`` injected, run in ``reuse``'s
    kernel or in one started for this run alone (``prepare_only``: injected, not run), written
    to ``output``; without ``print_copy`` its charts are drawn for the web only (no PNG);
    ``execution_timeout``: the seconds a cell may run (None: no limit).
    Papermill's exceptions reach the caller, which words them."""
    import papermill

    common = dict(
        parameters=parameters,
        kernel_name=kernel,
        progress_bar=False,
        log_output=False,
        cwd=str(config.ROOT),
        # a page runs in a second or two: written once at its end (and on an error, with the
        # failing cell), not twice for every cell
        request_save_on_cell_execute=False,
    )
    if prepare_only:
        papermill.execute_notebook(str(notebook), str(output), prepare_only=True, **common)
        return
    own = reuse is None
    kept = WorkerKernel(output.stem, kernel) if reuse is None else reuse
    try:
        check_loopback(notebook)
        papermill.execute_notebook(
            str(notebook),
            str(output),
            engine_name=_reusing_engine(),
            km=kept.for_run(notebook, log if own else None),
            keeper=kept,
            print_copy=print_copy,
            execution_timeout=execution_timeout,
            **common,
        )
    except KeyboardInterrupt:
        _settle_after_interrupt()
        kept.close()  # this kernel is not kept: its run was cut short
        raise
    except Exception as exc:
        lost = _kernel_lost(exc)
        if lost is None:
            raise
        kept.close()
        raise BuildError(f"{_shown(notebook)}: {lost}") from None
    finally:
        if own:
            kept.close()


def _shown(path: Path) -> str:
    try:
        return path.relative_to(config.ROOT).as_posix()
    except ValueError:
        return str(path)


def _kernel_lost(exc: Exception) -> str | None:
    """What went wrong, in words, when the kernel died or never answered (not a cell's error,
    which papermill reports with its cell); None for any other exception."""
    from nbclient.exceptions import CellControlSignal, DeadKernelError

    if isinstance(exc, CellControlSignal):  # a cell's error or time-out: papermill words it
        return None
    if isinstance(exc, DeadKernelError):
        return (
            "the kernel running it died (killed, or out of memory?); nothing was written. "
            f"Its log is in {LOGS}"
        )
    text = str(exc)
    if isinstance(exc, (RuntimeError, TimeoutError)) and "kernel" in text.lower():
        return (
            f"the kernel did not answer ({text}); Jupyter kernels talk to palermo over the "
            "loopback interface (127.0.0.1), which must be up"
        )
    return None


_loopback_ok = False


def check_loopback(notebook: Path) -> None:
    """A kernel talks to palermo over 127.0.0.1: if the loopback interface is down, say so at
    once (naming the notebook) instead of waiting a minute for a kernel that cannot answer."""
    global _loopback_ok
    if _loopback_ok:
        return
    import socket

    try:
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            with socket.create_connection(server.getsockname(), timeout=5):
                pass
    except OSError as exc:
        raise BuildError(
            f"{_shown(notebook)}: cannot run it: a kernel talks to palermo over the loopback "
            f"interface (127.0.0.1), and connecting to it failed ({exc.strerror or exc}); "
            "bring the loopback interface up"
        ) from None
    _loopback_ok = True


def _quiet_logger():
    """The logger the notebook client reports through: palermo words a failure itself (the
    notebook, the cell, the kernel), so nbclient's own lines are not printed."""
    import logging

    log = logging.getLogger("palermo.notebook-client")
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def quiet_asyncio() -> None:
    """After Ctrl-C, the tasks a cut-short kernel call leaves behind end in exceptions that
    asyncio would report as it exits ('Task exception was never retrieved', DeadKernelError,
    an AssertionError in nbclient's liveness check): the run was interrupted, which is all
    there is to say, so those reports are not printed."""
    import logging

    logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)


def _settle_after_interrupt() -> None:
    """Cancel and await the tasks an interrupted kernel call left on this thread's event loop,
    so none is left to fail later, and silence asyncio's reports of them."""
    import asyncio

    quiet_asyncio()
    try:
        from jupyter_core.utils import ensure_event_loop

        loop = ensure_event_loop()
        if loop.is_running() or loop.is_closed():
            return
        tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in tasks:
            t.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    except BaseException:  # a second Ctrl-C, or a loop in a state we cannot settle
        return


def execute(
    run: Run,
    key: str,
    kernel: str = "python3",
    reuse: WorkerKernel | None = None,
    cells: CellWriter | None = None,
) -> Result:
    """Run one chapter with papermill into a temporary file, then rename it into place; in a
    fresh kernel, or in a worker's kernel kept from its last run of the same notebook. A book
    page gets its title from the plan and, from ``cells`` (the book engine's adapter, which the
    build hands in), its "Rerun this chapter" box and a line under each chart and table."""
    _needs_cells([run], cells)
    import nbformat

    start = time.perf_counter()
    log = LOGS / f"{_log_name(run.output)}.kernel.log"
    with atomic_path(run.output, suffix=".tmp.ipynb") as tmp:
        try:
            run_notebook(
                run.notebook,
                tmp,
                run.parameters,
                log=log,
                reuse=reuse,
                kernel=kernel,
                print_copy=run.pdf,
            )
            nb = nbformat.read(str(tmp), as_version=4)
        except Exception as exc:
            details = _error_details(exc, tmp)
            # leaving the block by an exception removes the temporary file, output untouched
            raise _Failed(Result(run, "failed", time.perf_counter() - start, details)) from None
        _hide_parameters(nb)
        _title_page(nb, run)
        if cells is not None:
            _add_rerun_box(nb, run, cells)
            provenance.mark_exhibits(nb, run, cells.exhibit_lines)
        if not run.pdf:
            _web_only(nb)
        _portable(nb, run)
        nb.metadata[META_KEY] = {
            "cache_key": key,
            "notebook": _where(run.notebook),
            "parameters": run.parameters,
            "records": fetched_records(),
        }
        nb.metadata[META_KEY][NOTEBOOK_DIGEST] = notebook_digest(json.loads(nbformat.writes(nb)))
        nbformat.write(nb, str(tmp))
    return Result(run, "run", time.perf_counter() - start)


def fetched_records() -> dict[str, str]:
    """The records `palermo sources update` fetched that a run reads besides the registered
    raw files (id: sha256), recorded in each output: the deposit checks the built book was
    made from the records it packs."""
    from ..data import registry

    return {s.id: s.sha256 for s in registry.registry() if s.fetched}


def _where(path: Path) -> str:
    """A path as an output may show it: relative to the repository, else the file's name."""
    try:
        return path.resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        return path.name


_KERNEL_TMP = re.compile(r"(?:/[^\s\"'/]+)*/ipykernel_\d+/")  # a cell's file in a traceback


def _scrub(text):
    """The repository's folder and the home folder of the machine that ran it, out of a text
    (a traceback, a warning's file name) or a list of texts."""
    if isinstance(text, list):
        return [_scrub(t) for t in text]
    if not isinstance(text, str):
        return text
    root = str(config.ROOT)
    text = _KERNEL_TMP.sub("", text.replace(root + os.sep, "").replace(root, "."))
    home = os.path.expanduser("~")
    if len(home) > 1:
        text = text.replace(home + os.sep, "~" + os.sep)
    return text


def _portable(nb, run: Run) -> None:
    """No path of the machine that ran the notebook in what it wrote: papermill's input and
    output paths relative to the repository (the output's final name, not its temporary one),
    and the repository's and home folders taken out of the outputs' text (tracebacks,
    warnings)."""
    pm = nb.metadata.get("papermill")
    if isinstance(pm, dict):
        pm["input_path"] = _where(run.notebook)
        pm["output_path"] = _where(run.output)
    for c in nb.cells:
        for o in c.get("outputs", []):
            for key in ("text", "traceback", "evalue"):
                if key in o:
                    o[key] = _scrub(o[key])
            data = o.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = _scrub(data["text/plain"])


class _Failed(Exception):
    def __init__(self, result: Result):
        self.result = result


def _needs_cells(runs: list[Run], cells: CellWriter | None) -> None:
    """A book page is never written without its own cells: its cache key would not tell it
    from one written with them."""
    if cells is None and any(config.BOOK in r.output.parents for r in runs):
        raise ValueError("a page of the book is run with the cells the book's adapter writes")


def execute_one(
    run: Run, key: str, reuse: WorkerKernel | None = None, cells: CellWriter | None = None
) -> Result:
    """:func:`execute`, with a failure returned as a Result (the earlier output left alone)."""
    try:
        return execute(run, key, reuse=reuse, cells=cells)
    except _Failed as f:
        return f.result


def run_plan(
    runs: list[Run],
    jobs: int | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
    cells: CellWriter | None = None,
) -> list[Result]:
    """Run what is out of date, in parallel; once a run fails no other starts (those running
    finish), and the ones that never started are reported as skipped. ``cells``: what writes a
    book page's own cells (:func:`execute`)."""
    _needs_cells(runs, cells)
    # one more worker than cores: a kernel spends part of its start-up waiting, not computing
    jobs = max(1, jobs or (os.cpu_count() or 1) + 1)
    digests = {nb: inputs.digest("run", notebook=nb) for nb in {r.notebook for r in runs}}
    keys = {id(r): cache_key(r.notebook, r.parameters, digests[r.notebook]) for r in runs}
    results: dict[int, Result] = {}
    todo = []
    for r in runs:
        if not force and stored_key(r.output) == keys[id(r)]:
            results[id(r)] = Result(r, "cached")
        else:
            todo.append(r)
    n = len(runs)
    log(
        f"==> {n} notebook(s) in the plan: {n - len(todo)} cached, {len(todo)} to run on "
        f"{min(jobs, max(len(todo), 1))} worker(s)"
    )
    stop = threading.Event()  # set by the first failure or Ctrl-C: no run starts after it
    waiting: queue.SimpleQueue[Run] = queue.SimpleQueue()
    for r in todo:
        waiting.put(r)
        log(f"    queued  {r.label}")
    finished: queue.SimpleQueue[Result | None] = queue.SimpleQueue()

    def worker(n: int) -> None:
        # each worker keeps one kernel for its consecutive runs of one notebook, and closes it
        # itself at the end (the kernel's client lives on this thread's event loop)
        kernel = WorkerKernel(f"worker-{n}")
        try:
            while not stop.is_set():
                try:
                    r = waiting.get_nowait()
                except queue.Empty:
                    return
                res = execute_one(r, keys[id(r)], reuse=kernel, cells=cells)
                if res.status == "failed":
                    stop.set()
                finished.put(res)
        finally:
            kernel.close()
            finished.put(None)

    workers = [
        threading.Thread(target=worker, args=(i,), name=f"palermo-run-{i}", daemon=True)
        for i in range(1, min(jobs, len(todo)) + 1)
    ]
    for t in workers:
        t.start()
    done, ended = 0, 0
    try:
        while ended < len(workers):
            try:
                res = finished.get(timeout=0.25)
            except queue.Empty:
                continue
            if res is None:
                ended += 1
                continue
            results[id(res.run)] = res
            done += 1
            log(f"[{done}/{len(todo)}] {res.status:6} {res.run.label} ({res.seconds:.1f} s)")
    except KeyboardInterrupt:
        # Ctrl-C: start nothing more, interrupt the kernels that are running, and wait only
        # for them to end (their outputs are atomic: nothing half-written is left)
        stop.set()
        interrupt_kernels()
        for t in workers:
            t.join()
        while True:
            try:
                res = finished.get_nowait()
            except queue.Empty:
                break
            if res is not None:
                results[id(res.run)] = res if res.status != "failed" else Result(res.run, "stopped")
        written = sum(r.status == "run" for r in results.values())
        log(
            f"interrupted: {written} output(s) written, {len(todo) - written} not run; "
            "the earlier outputs and the previous book are unchanged"
        )
        raise
    for r in runs:
        results.setdefault(id(r), Result(r, "skipped"))
    return [results[id(r)] for r in runs]


def summary_table(results: list[Result], group_over: int = 5) -> str:
    """One line per run; the runs of one notebook that outnumber ``group_over`` (the ~200
    country profiles) in one line with their count and total seconds, any failure still named."""
    by_notebook: dict[Path, list[Result]] = {}
    for r in results:
        by_notebook.setdefault(r.run.notebook, []).append(r)
    rows: list[tuple[str, str, str]] = []
    grouped: set[Path] = set()
    for r in results:
        group = by_notebook[r.run.notebook]
        if len(group) > group_over:
            if r.run.notebook in grouped:
                continue
            grouped.add(r.run.notebook)
            states = sorted({g.status for g in group})
            secs = sum(g.seconds for g in group if g.status in ("run", "failed"))
            rows.append(
                (
                    f"{r.run.rel(r.run.notebook)} x {len(group)}",
                    "/".join(states),
                    f"{secs:7.1f}" if secs else "      -",
                )
            )
            rows += [(f"  {g.run.label}", g.status, "") for g in group if g.status == "failed"]
            continue
        took = f"{r.seconds:7.1f}" if r.status in ("run", "failed") else "      -"
        rows.append((r.run.label, r.status, took))
    width = max(len(row[0]) for row in rows)
    lines = [f"{'notebook':{width}}  {'status':7} {'seconds':>7}", "-" * (width + 17)]
    lines += [f"{a:{width}}  {b:7} {c}" for a, b, c in rows]
    counts = {
        s: sum(r.status == s for r in results) for s in ("run", "cached", "failed", "skipped")
    }
    lines.append(", ".join(f"{v} {k}" for k, v in counts.items() if v))
    return "\n".join(lines)


def failure_report(results: list[Result]) -> str:
    out = []
    for r in results:
        if r.status == "failed" and r.error:
            e = r.error
            out.append(
                f"FAILED {r.run.label} (from {r.run.rel(r.run.notebook)}, "
                f"parameters {r.run.parameters})"
            )
            if e.get("cell") is not None:
                out.append(f"  in cell {e['cell']}:")
                out.extend("    | " + line for line in (e.get("source") or "").splitlines())
            out.append(f"  {e['ename']}: {e['evalue']}")
    return "\n".join(out)


def run_single(
    run: Run, log: Callable[[str], None] = print, cells: CellWriter | None = None
) -> Result:
    """Run one notebook now (no cache); RunFailed with the failing cell printed if it fails."""
    digest = inputs.digest("run", notebook=run.notebook)
    res = execute_one(run, cache_key(run.notebook, run.parameters, digest), cells=cells)
    if res.status == "failed":
        log(failure_report([res]))
        raise RunFailed([res])
    return res
