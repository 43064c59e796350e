"""The package's folders are the pipeline's stages, and each imports only from the stages
below it (imports inside functions, ``importlib.import_module`` and ``__import__`` included);
within a stage the modules import each other without a circle; chapters do not import each
other; the notebooks the pipeline runs import nothing from the pipeline (or above); and no
module reaches into a private name of papermill, nbclient or jupyter_client."""

import ast
import json
import re
import sys
from pathlib import Path

import pytest

from palermo import config

pytestmark = pytest.mark.unit

PACKAGE = config.ROOT / "palermo"
# the stages, lowest first; the package's own top-level modules are the base
LAYERS = ["base", "data", "model", "render", "chapters", "pipeline", "teaching", "cli"]
BASE = {"palermo", "palermo.errors", "palermo.config", "palermo.files"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    if module in BASE:
        return 0
    if module == "palermo.cli":
        return LAYERS.index("cli")
    return LAYERS.index(module.split(".")[1])


def imported(path: Path) -> set[str]:
    """The palermo modules a file imports, relative imports resolved."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    return imported_from(ast.parse(path.read_text(encoding="utf-8")), package)


def _dynamic(node: ast.AST) -> str | None:
    """The module a call ``importlib.import_module("…")`` / ``import_module("…")`` /
    ``__import__("…")`` names with a literal; a relative name resolved by the caller."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
    arg = node.args[0]
    if name in {"import_module", "__import__"} and isinstance(arg, ast.Constant):
        return str(arg.value)
    return None


def imported_from(tree: ast.AST, package: str) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        dynamic = _dynamic(node)
        if dynamic is not None:
            if dynamic.startswith("."):
                level = len(dynamic) - len(dynamic.lstrip("."))
                base = package.split(".")
                dynamic = ".".join(base[: len(base) - level + 1] + [dynamic.lstrip(".")])
            if dynamic.split(".")[0] == "palermo":
                out.add(dynamic)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "palermo"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "palermo":
                continue
            for alias in node.names:  # `from ..data import curated` imports palermo.data.curated
                sub = f"{target}.{alias.name}"
                out.add(
                    sub
                    if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                    or (PACKAGE.parent / sub.replace(".", "/")).is_dir()
                    else target
                )
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage():
    for path in MODULES:
        layer(module_name(path))  # raises ValueError for a folder that is not a stage


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_pipeline(path):
    me = module_name(path)
    for target in imported(path):
        assert layer(target) <= layer(me), (
            f"{me} ({LAYERS[layer(me)]}) imports {target} ({LAYERS[layer(target)]}), a later stage"
        )
        if me.startswith("palermo.chapters.") and target.startswith("palermo.chapters."):
            assert target in (me, "palermo.chapters"), f"chapter {me} imports chapter {target}"


RENDER = sorted((PACKAGE / "render").glob("*.py"))


def model_imports(path: Path) -> set[str]:
    return {t for t in imported(path) if t == "palermo.model" or t.startswith("palermo.model.")}


@pytest.mark.parametrize("path", RENDER, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_render_takes_answers_and_asks_the_model_nothing(path):
    """render/ words what the model answered: it imports nothing of model/ (anywhere in a file,
    a function-local import too), so no sentence computes a count or a coverage again."""
    assert model_imports(path) == set(), f"{module_name(path)} imports {model_imports(path)}"


def test_the_render_check_sees_a_planted_import(tmp_path, monkeypatch):
    fake = tmp_path / "palermo" / "render" / "words.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def note(t, d):\n    from ..model.coverage import coverage\n")
    (tmp_path / "palermo" / "model").mkdir()
    (tmp_path / "palermo" / "model" / "coverage.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "palermo")
    assert model_imports(fake) == {"palermo.model.coverage"}


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The test above could fail: an upward import in a data module is caught."""
    fake = tmp_path / "palermo" / "data" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..pipeline import params\nfrom ..chapters.figure1 import facts\n")
    (tmp_path / "palermo" / "pipeline").mkdir()
    (tmp_path / "palermo" / "pipeline" / "params.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "palermo")
    got = imported(fake)
    assert "palermo.pipeline.params" in got
    assert any(layer(t) > layer("palermo.data.bad") for t in got)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles of imports in ``graph`` (strongly connected parts of more than one module,
    or a module importing itself), each as its sorted list of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1 or v in graph.get(v, ()):
                out.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def stage_graph(modules: list[Path]) -> dict[str, set[str]]:
    """Each module's imports of modules in its own stage (a package's ``__init__`` apart)."""
    graph = {}
    for path in modules:
        me = module_name(path)
        graph[me] = {
            t
            for t in imported(path)
            if t != me and layer(t) == layer(me) and t != me.rsplit(".", 1)[0]
        }
    return graph


def test_no_circle_of_imports_within_a_stage():
    assert cycles(stage_graph(MODULES)) == []


def test_the_check_sees_a_circle_and_a_dynamic_import(tmp_path, monkeypatch):
    """The two tests above could fail: a circle planted in a stage (hidden in a function, as
    the old ones were) is found, and so is an upward ``importlib`` import."""
    data = tmp_path / "palermo" / "data"
    data.mkdir(parents=True)
    (data / "a.py").write_text("from . import b\n")
    (data / "b.py").write_text("def f():\n    from .a import g\n")
    (data / "c.py").write_text(
        "import importlib\n\ndef f():\n    importlib.import_module('palermo.chapters.figure1')\n"
        "    __import__('..pipeline.build')\n"
    )
    (tmp_path / "palermo" / "chapters").mkdir()
    (tmp_path / "palermo" / "chapters" / "figure1.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "palermo")
    planted = sorted(data.glob("*.py"))
    assert cycles(stage_graph(planted)) == [["palermo.data.a", "palermo.data.b"]]
    assert imported(data / "c.py") == {"palermo.chapters.figure1", "palermo.pipeline.build"}


NOTEBOOKS = sorted(config.NOTEBOOKS.rglob("*.ipynb"))


def notebook_imports(path: Path) -> set[str]:
    """The palermo modules a notebook's code cells import (IPython magics skipped)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        code = "\n".join(
            line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        out |= imported_from(ast.parse(code), "palermo")
    return out


# the exercises' self-checks: the one module above the chapters a notebook may use (the
# seminar runs the exercises; the checks import nothing from the pipeline or the seminar)
CHECKS = "palermo.teaching.checks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_import_nothing_from_the_pipeline_that_runs_them(path):
    """A chapter's notebook is run by ``pipeline``: it may use the stages up to the chapters
    (parameters are checked by ``model.params``), never the pipeline, teaching or the CLI; an
    exercise may also use its self-checks."""
    got = notebook_imports(path)
    assert got, f"{path.name} imports nothing from palermo"
    exercise = "exercises" in path.parts
    for target in got:
        assert layer(target) <= LAYERS.index("chapters") or (exercise and target == CHECKS), (
            f"{path.relative_to(config.ROOT)} imports {target} ({LAYERS[layer(target)]})"
        )


def test_the_exercises_self_checks_stand_below_the_pipeline():
    path = PACKAGE / "teaching" / "checks.py"
    for target in imported(path):
        assert layer(target) <= LAYERS.index("chapters"), f"{CHECKS} imports {target}"


PRIVATE_OF = ("papermill", "nbclient", "jupyter_client")


def private_uses(tree: ast.AST) -> list[str]:
    """Private names (``_x``, not ``__x__``) of papermill, nbclient or jupyter_client a module
    uses: imported, reached as an attribute of one of their names, or overridden in a
    subclass of one of their classes."""

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    theirs: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PRIVATE_OF:
            parts = (node.module or "").split(".")
            found += [f"module {node.module}" for p in parts if private(p)]
            for a in node.names:
                theirs.add(a.asname or a.name)
                if private(a.name):
                    found.append(f"{node.module}.{a.name}")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PRIVATE_OF:
                    theirs.add((a.asname or a.name).split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in theirs:
                found.append(f"{root.id}….{node.attr}")
        elif isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Name) and b.id in theirs for b in node.bases
        ):
            found += [
                f"{node.name}.{f.name} overrides a private method"
                for f in node.body
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and private(f.name)
            ]
    return found


def test_no_private_name_of_papermill_nbclient_or_jupyter_client():
    for path in MODULES:
        uses = private_uses(ast.parse(path.read_text(encoding="utf-8")))
        assert uses == [], f"{path.relative_to(config.ROOT)}: {uses}"


def test_the_check_sees_private_uses():
    """The executor's former code is refused: each private use it made is named."""
    old = ast.parse(
        "from papermill.engines import NBClientEngine, papermill_engines\n"
        "from jupyter_client.manager import AsyncKernelManager\n"
        "def f():\n"
        "    if 'x' in papermill_engines._engines:\n"
        "        pass\n"
        "class Quiet(AsyncKernelManager):\n"
        "    async def _async_launch_kernel(self, cmd, **kw):\n"
        "        pass\n"
        "    def __init__(self):\n"
        "        pass\n"
    )
    assert sorted(private_uses(old)) == [
        "Quiet._async_launch_kernel overrides a private method",
        "papermill_engines…._engines",
    ]


def test_one_chapter_module_per_chapter_notebook():
    notebooks = {p.stem for p in config.NOTEBOOKS.glob("*.ipynb")}
    modules = {p.stem for p in (PACKAGE / "chapters").glob("*.py")} - {"__init__"}
    assert notebooks == modules


def test_one_page_shell():
    """A standalone HTML page is made by render.page alone (the profile export, the printable
    sheets and the handout once each wrote their own)."""
    writers = [
        str(p.relative_to(PACKAGE)) for p in MODULES if "<!DOCTYPE" in p.read_text(encoding="utf-8")
    ]
    assert writers == ["render/page.py"]


# the modules where a date parameter's text is read into a date: the CLI's options and the
# notebooks' parameters (model/params.py); dates.py defines the reading
DATE_BOUNDARY = {"cli.py", "model/params.py", "model/dates.py"}


def text_readers(tree: ast.AST) -> list[int]:
    """The lines that call parse_as_of (by any name it is imported under)."""
    names = {"parse_as_of"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname for a in node.names if a.name == "parse_as_of" and a.asname}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) in names or getattr(node.func, "attr", None) in names)
    ]


def test_date_text_is_read_only_at_the_boundary():
    """as_of, start and end are read from text once, where they enter (the CLI, a notebook's
    parameters); past it every function takes a datetime.date."""
    found = {
        str(p.relative_to(PACKAGE)): text_readers(ast.parse(p.read_text(encoding="utf-8")))
        for p in MODULES
    }
    assert {k for k, v in found.items() if v} == DATE_BOUNDARY - {"model/dates.py"}, found


def test_the_check_sees_a_date_read_past_the_boundary():
    planted = ast.parse(
        "from ..model.dates import parse_as_of as read\n"
        "def f(as_of):\n"
        "    return read(as_of)\n"
        "def g(as_of):\n"
        "    return dates.parse_as_of(as_of)\n"
    )
    assert text_readers(planted) == [3, 5]


def test_the_model_refuses_text_where_it_takes_a_date():
    import datetime as dt

    from palermo.model import params
    from palermo.model.coverage import count_on

    with pytest.raises(TypeError, match=r"takes a datetime.date.*params.as_of\('2020-12-23'\)"):
        count_on("UNTOC", "2020-12-23")
    day = params.check(as_of="2020-12-23")["as_of"]
    assert day == dt.date(2020, 12, 23) and count_on("UNTOC", day).parties > 0


# the book engine (Jupyter Book 1 is Sphinx, its theme and myst-nb): only its adapter, the folder
# pipeline/book/, knows it (decisions/0001-book-engine.md)
ENGINE_PACKAGES = {
    "sphinx",
    "docutils",
    "myst_nb",
    "myst_parser",
    "jupyter_book",
    "sphinx_book_theme",
    "sphinx_external_toc",
    "pydata_sphinx_theme",
    "sphinxcontrib",
}
ADAPTER = "palermo.pipeline.book"
# the modules that may enter the adapter, and why
ENTER_THE_ADAPTER = {
    "palermo.pipeline.build": "runs the engine, and hands the runner and the seminar's pages to it",
}
# the one module outside the adapter that writes the engine's syntax, and why
KERNEL_SIDE = {
    "palermo.render.myst": "what a notebook's outputs carry (glue records, roles, print tables) "
    "is written in the kernel, and a notebook may not import the pipeline",
}
# MyST in a string: a role (``{doc}`x```), a directive's fence (```{only} html, :::{container}),
# a target (``(label)=`` on its own line); an f-string's values read as "x"
MYST = re.compile(r"\{[a-z][\w:.+-]*\}`|(?:```|:::)\{[a-z]|^\([^()\s]+\)=$", re.M)


def in_adapter(module: str) -> bool:
    return module == ADAPTER or module.startswith(ADAPTER + ".")


def engine_imports(tree: ast.AST) -> set[str]:
    """The book engine's packages a module imports, anywhere in it (``importlib`` too)."""
    out = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif _dynamic(node):
            names = [str(_dynamic(node))]
        out |= {n.split(".")[0] for n in names} & ENGINE_PACKAGES
    return out


def myst_strings(tree: ast.AST) -> list[str]:
    """The string literals of a module (its docstrings apart) that hold MyST syntax."""
    skipped = set()  # docstrings, and the pieces of an f-string (read with it, whole)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        elif isinstance(node, ast.JoinedStr):
            skipped |= {id(v) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in skipped:
                continue
            text = node.value
        else:
            continue
        if MYST.search(str(text)):
            found.append(f"line {node.lineno}: {text[:60]!r}")
    return sorted(set(found))


def engine_knowledge(package: Path) -> dict[str, list[str]]:
    """What each module outside the adapter knows of the book engine that it should not: an
    import of the engine's packages, MyST in a string (but the kernel's side), an import of
    the adapter (but the modules allowed to enter it)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        me = module_name(path)
        if in_adapter(me):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = [f"imports {m}" for m in sorted(engine_imports(tree))]
        if me not in KERNEL_SIDE:
            found += [f"writes MyST, {s}" for s in myst_strings(tree)]
        if me not in ENTER_THE_ADAPTER:
            found += [f"enters the adapter: {t}" for t in sorted(imported(path)) if in_adapter(t)]
        if found:
            out[me] = found
    return out


def test_only_the_adapter_knows_the_book_engine():
    """Sphinx, docutils, myst-nb, Jupyter Book and the theme are imported in pipeline/book/
    alone, MyST is written there alone (and, for what a notebook's outputs carry, in
    render/myst.py), and only the build enters the folder: a move to another engine replaces
    the folder and that module (decisions/0001-book-engine.md)."""
    assert engine_knowledge(PACKAGE) == {}
    adapter = {module_name(p) for p in (PACKAGE / "pipeline" / "book").rglob("*.py")}
    assert {m for m in adapter if engine_imports(ast.parse(_source(m)))} >= {
        f"{ADAPTER}.sphinx_ext",
        f"{ADAPTER}.sphinx_nav",
    }
    entering = {module_name(p) for p in MODULES if any(in_adapter(t) for t in imported(p))}
    assert entering - adapter == set(ENTER_THE_ADAPTER), "a module allowed in no longer enters"


def _source(module: str) -> str:
    base = PACKAGE.parent / module.replace(".", "/")
    path = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
    return path.read_text(encoding="utf-8")


def test_the_engine_check_sees_each_planted_fault(tmp_path, monkeypatch):
    """The test above could fail: an ``import sphinx`` planted in a chapter (in a function, or
    through importlib), a MyST role, fence or target written outside the adapter, and the
    teaching stage entering the adapter are each caught; the adapter itself may do all three."""
    package = tmp_path / "palermo"
    for folder in ("chapters", "render", "teaching", "pipeline/book"):
        (package / folder).mkdir(parents=True)
    (package / "chapters" / "planted.py").write_text(
        "import sphinx\n\ndef f():\n    from docutils import nodes\n"
        "    importlib.import_module('myst_nb.ext')\n"
    )
    (package / "render" / "words.py").write_text(
        '"""A docstring may name {download}`x` and ```{only} html."""\n\n'
        "def f(path, role, label):\n"
        '    a = f"{{download}}`this <{path}>`"\n'
        '    b = f"{{{role}}}`text`"\n'
        '    c = "::::{only} html\\n"\n'
        '    d = f"({label})="\n'
        "    return a, b, c, d\n"
    )
    (package / "teaching" / "pages.py").write_text("from ..pipeline.book import pages\n")
    (package / "pipeline" / "book" / "pages.py").write_text(
        'import sphinx\n\nROLE = "{download}`x <y>`"\n'
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    found = engine_knowledge(package)
    assert set(found) == {
        "palermo.chapters.planted",
        "palermo.render.words",
        "palermo.teaching.pages",
    }
    assert found["palermo.chapters.planted"] == [
        "imports docutils",
        "imports myst_nb",
        "imports sphinx",
    ]
    assert [x.split(",")[0] for x in found["palermo.render.words"]] == ["writes MyST"] * 4
    assert found["palermo.teaching.pages"] == ["enters the adapter: palermo.pipeline.book.pages"]


def test_one_table_renderer():
    """An HTML table is built by render/tables.py alone (the claims ledger and the handout once
    each built their own, and the book's tables were pandas' HTML rewritten by regex)."""
    builders = [
        str(p.relative_to(PACKAGE))
        for p in MODULES
        if any(m in p.read_text(encoding="utf-8") for m in ("<table", "<tr", ".to_html("))
    ]
    assert builders == ["render/tables.py"]


# --- the tests mirror the stages ------------------------------------------------------------
#
# palermo/<stage>/<module>.py is tested in tests/<stage>/test_<module>.py, and a top-level
# module palermo/<module>.py in tests/test_<module>.py: a newcomer changing a module opens the
# file of the same name, and `pytest tests/<stage>` runs one stage alone. Two folders of tests
# mirror no module: tests/book/ (the built book, the browser, the PDF) and tests/project/ (the
# repository as a whole).

TESTS = config.ROOT / "tests"
# the folders of tests/ that are not a stage of the package, and what they hold
NOT_A_STAGE = {
    "book": "tests of the built book, in the browser and in the PDF (markers book, browser, pdf)",
    "project": "tests of the repository as a whole: architecture, environment, lock, workflows",
    "fixtures": "files the tests read",
    "schemas": "schemas the tests validate against",
}
# modules with no test file of their own, and why
NO_TEST_FILE = {
    "__init__.py": "a package's docstring (the version in palermo/__init__.py is held to "
    "CITATION.cff by tests/project/test_publication.py)",
}


def where_tested(module: Path, package: Path = PACKAGE, tests: Path = TESTS) -> Path:
    """Where a module's tests live: tests/<stage>/test_<module>.py."""
    rel = module.relative_to(package)
    return tests / rel.parent / f"test_{rel.name}"


def untested_modules(package: Path = PACKAGE, tests: Path = TESTS) -> list[str]:
    """The modules of the package whose test file is missing."""
    return [
        str(p.relative_to(package))
        for p in sorted(package.rglob("*.py"))
        if p.name not in NO_TEST_FILE and not where_tested(p, package, tests).is_file()
    ]


def unmirrored_test_files(package: Path = PACKAGE, tests: Path = TESTS) -> list[str]:
    """The test files under tests/ (outside book/ and project/) that name no module, and the
    folders of tests/ that are neither a stage nor one of NOT_A_STAGE."""
    stages = {p.parent.relative_to(package) for p in package.rglob("*.py")}
    out = []
    for t in sorted(tests.rglob("test_*.py")):
        rel = t.relative_to(tests)
        if rel.parts[0] in NOT_A_STAGE:
            continue
        module = package / rel.parent / rel.name.removeprefix("test_")
        if rel.parent not in stages or not module.is_file():
            out.append(str(rel))
    return out


def test_every_module_has_its_test_file():
    assert untested_modules() == []


def test_every_test_file_names_a_module():
    assert unmirrored_test_files() == []


def test_every_folder_of_tests_is_a_package():
    """tests/ is a package, and so is each folder of test files, so two files of one name in
    two stages (tests/model/test_claims.py, tests/chapters/test_claims.py) are two modules."""
    folders = {t.parent for t in TESTS.rglob("test_*.py")}
    assert [str(f) for f in sorted(folders) if not (f / "__init__.py").is_file()] == []


def test_the_mirror_check_sees_a_module_without_tests_and_a_test_of_nothing(tmp_path):
    package, tests = tmp_path / "palermo", tmp_path / "tests"
    for path in ("__init__.py", "cli.py", "model/__init__.py", "model/status.py"):
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text("")
    for path in ("test_cli.py", "model/test_status.py", "book/test_pdf.py"):
        (tests / path).parent.mkdir(parents=True, exist_ok=True)
        (tests / path).write_text("")
    assert untested_modules(package, tests) == []
    assert unmirrored_test_files(package, tests) == []
    (package / "model" / "planted.py").write_text("")  # a module without tests
    (tests / "model" / "test_reader_review.py").write_text("")  # tests named by an event
    (tests / "misc").mkdir()
    (tests / "misc" / "test_status.py").write_text("")  # a folder that is no stage
    assert untested_modules(package, tests) == ["model/planted.py"]
    assert unmirrored_test_files(package, tests) == [
        "misc/test_status.py",
        "model/test_reader_review.py",
    ]
