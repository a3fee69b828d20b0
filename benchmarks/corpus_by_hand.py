"""The corpus figures "by hand": each tool run directly, each verdict from the packaging tools.

Nothing here goes through the scorer's checks. The tools run with the harness's own
configurations (its ``ruff.toml``, its mypy ini, its pytest ini), as a person checking the
scorer would run them; the verdicts the scorer computes are recomputed with other code:

* the declared dependencies with poetry-core's own ``Factory`` (``[project]``,
  ``[dependency-groups]`` and every ``[tool.poetry]`` table) and pip's own requirements-file
  parser (``pip._internal.req.req_file.parse_requirements``, in a Python that has pip);
* what the environment holds with ``importlib.metadata`` in the environment's interpreter
  (versions, extras, ``packages_distributions()``), which modules it can import with
  ``importlib.util.find_spec`` there;
* the Python target from ``packaging.specifiers`` (or poetry-core's constraint parser) over
  the known releases;
* the own tests with pytest itself in the sandbox (no scorer plugin), counted from JUnit XML.

Where the harness has a documented rule and no tool has an opinion (which files count, a
test module that died for a missing package is set aside, which import names a distribution
the environment lacks provides), the rule is applied here from its documentation.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from harness.environment import EvaluationEnvironment
from harness.project import IGNORED_DIRS
from harness.project.distributions import import_names
from harness.sandbox import (
    OUT,
    VENV_PYTHON,
    Mount,
    Sandbox,
    SandboxLimits,
    SandboxRequest,
)
from harness.scoring.checks.own_tests import write_ini
from harness.scoring.checks.typecheck import mypy_config
from harness.scoring.context import CONFIGS_DIR

#: Python releases the target is chosen among (every minor the tools target, any patch).
RELEASES = [(3, minor, patch) for minor in range(8, 15) for patch in range(40)]
_NO_MODULE = re.compile(r"No module named '([\w.]+)'")


@dataclass
class ByHand:
    """One project's figures, by hand."""

    files: list[str]
    target: tuple[int, int]
    ruff: int = 0
    would_reformat: int = 0
    mypy: int = 0
    mypy_exit: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    set_aside: int = 0
    pytest_exit: int = 0
    charged: bool = False
    declared: int = 0
    outside: int = 0
    undeclared: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def python_files(root: Path) -> list[str]:
    """The ``.py`` files outside the folders the harness ignores (its documented list)."""
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if not path.is_symlink()
        and not any(
            part in IGNORED_DIRS or part.endswith(".egg-info")
            for part in path.relative_to(root).parts[:-1]
        )
    )


def _run(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8", **env}
    return subprocess.run(
        argv, cwd=cwd, env=clean, capture_output=True, text=True, check=False
    )


# -- declared dependencies -----------------------------------------------------------------


def _pyproject(root: Path) -> dict[str, Any]:
    try:
        return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _by_poetry_core(data: dict[str, Any]) -> list[str]:
    """PEP 508 strings of every group, as poetry-core's Factory reads the file."""
    from poetry.core.factory import Factory
    from poetry.core.packages.project_package import ProjectPackage

    package = ProjectPackage("by-hand", "0")
    Factory._configure_package_dependencies(
        package=package,
        project=data.get("project", {}),
        tool_poetry=data.get("tool", {}).get("poetry", {}),
        dependency_groups=data.get("dependency-groups", {}),
    )
    return [
        dep.to_pep_508()
        for group in package._dependency_groups.values()
        for dep in group.dependencies_for_locking
    ]


def _by_pip(root: Path) -> list[str]:
    """Every requirements file the harness reads, parsed by pip itself."""
    files = sorted(
        p.relative_to(root).as_posix()
        for p in [*root.glob("requirements*.txt"), *root.glob("requirements/*.txt")]
    )
    script = (
        "import json, sys\n"
        "from pip._internal.network.session import PipSession\n"
        "from pip._internal.req.req_file import parse_requirements\n"
        "out = []\n"
        "for name in sys.argv[1:]:\n"
        "    for r in parse_requirements(name, session=PipSession()):\n"
        "        out.append(r.requirement)\n"
        "print(json.dumps(out))\n"
    )
    if not files:
        return []
    # pip is in neither of uv's environments: the base interpreter has it.
    python = Path(sys.base_prefix) / "bin" / "python3"
    done = subprocess.run(
        [str(python), "-I", "-c", script, *files],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"pip could not parse {files}: {done.stderr.strip()[-300:]}"
        raise RuntimeError(msg)
    found: list[str] = json.loads(done.stdout or "[]")
    # The harness's documented rule: a URL or path without a name (``git+https://...``,
    # ``./pkg``) names no distribution it could check without building it.
    named = [r for r in found if not re.match(r"^(?:[\w+.-]+://|[./])", r)]
    return list(dict.fromkeys(named))


def declared(root: Path) -> list[str]:
    """The project's declared dependencies as PEP 508 strings, read by the packaging tools."""
    data = _pyproject(root)
    found = _by_poetry_core(data)
    tool = data.get("tool", {})
    found += list(tool.get("uv", {}).get("dev-dependencies", []))
    for items in tool.get("pdm", {}).get("dev-dependencies", {}).values():
        found += list(items)
    return list(dict.fromkeys(found)) or _by_pip(root)


_ENV_SCRIPT = """
import importlib.metadata as md, importlib.util, json, sys
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name as canon
texts, modules = json.loads(sys.argv[1]), json.loads(sys.argv[2])
extras = [""] + json.loads(sys.argv[3])
provides = {}
for module, dists in md.packages_distributions().items():
    for dist in dists:
        provides.setdefault(str(canon(dist)), set()).add(module)
verdicts, names, unavailable = [], set(), set()
def names_of(dist):
    found = provides.get(str(canon(dist)))
    return (sorted(found), True) if found is not None else ([], False)
for text in texts:
    r = Requirement(text)
    if r.marker and not any(r.marker.evaluate({"extra": e}) for e in extras):
        verdicts.append("n/a"); continue
    mine, held = names_of(r.name)
    names.update(mine)
    if not held:
        verdicts.append("missing"); unavailable.add(r.name)
        names.update(("extra:" + e) for e in r.extras); continue
    ok = r.specifier.contains(md.version(r.name), prereleases=True)
    verdict = "ok" if ok else "conflict"
    provided = {str(canon(e)) for e in md.metadata(r.name).get_all("Provides-Extra") or []}
    for extra in r.extras:
        if str(canon(extra)) not in provided:
            continue
        for line in md.requires(r.name) or []:
            need = Requirement(line)
            env = {"extra": extra}
            if not (need.marker and need.marker.evaluate(env)
                    and not need.marker.evaluate({"extra": ""})):
                continue
            theirs, there = names_of(need.name)
            names.update(theirs)
            if not there:
                unavailable.add(need.name); verdict = "extra"
            elif not need.specifier.contains(md.version(need.name), prereleases=True):
                verdict = "extra"
    verdicts.append(verdict)
importable = [m for m in modules if importlib.util.find_spec(m) is not None]
print(json.dumps({"verdicts": verdicts, "names": sorted(names),
                  "unavailable": sorted(unavailable), "importable": importable}))
"""


def _in_environment(
    venv_python: Path, texts: list[str], modules: list[str], extras: list[str]
) -> dict[str, Any]:
    """Verdicts, provided names and importable modules, asked of the environment itself.

    The project's own extras count as requested: the harness counts its optional
    dependencies as declared (its documented rule).
    """
    argv = [str(venv_python), "-I", "-c", _ENV_SCRIPT]
    argv += [json.dumps(texts), json.dumps(modules), json.dumps(extras)]
    done = _run(argv, Path("/"))
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _importable(venv_python: Path, modules: list[str]) -> set[str]:
    """The names the environment's interpreter finds (no project on its path)."""
    script = (
        "import importlib.util, json, sys\n"
        "print(json.dumps([m for m in json.loads(sys.argv[1])"
        " if m.isidentifier() and importlib.util.find_spec(m)]))\n"
    )
    done = _run([str(venv_python), "-I", "-c", script, json.dumps(modules)], Path("/"))
    return set(json.loads(done.stdout or "[]"))


# -- imports ---------------------------------------------------------------------------------


def _imports(root: Path, files: list[str]) -> tuple[dict[str, set[str]], set[str]]:
    """Top-level absolute imports by name (with their files), and those only guarded."""
    found: dict[str, set[str]] = {}
    required: set[str] = set()
    for rel in files:
        try:
            tree = ast.parse((root / rel).read_bytes())
        except (SyntaxError, ValueError):
            continue
        guarded = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.Try)
            and any(
                h.type is None
                or any(
                    isinstance(t, ast.Name)
                    and t.id in {"ImportError", "ModuleNotFoundError", "Exception"}
                    for t in (
                        h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
                    )
                )
                for h in node.handlers
            )
            for stmt in node.body
            for sub in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                found.setdefault(top, set()).add(rel)
                if id(node) not in guarded:
                    required.add(top)
    return found, set(found) - required


def _held(files: list[str], import_roots: list[str]) -> set[str]:
    """The harness's documented rule: names directly inside a folder that runs on the path.

    Such a folder is an import root, one of Python files that is no package (pytest and
    scripts put it on the path), or the parent of one (alembic runs ``migrations/env.py``
    from above).
    """
    paths = [PurePosixPath(rel) for rel in files]
    packages = {p.parent for p in paths if p.name == "__init__.py"}
    plain = {p.parent for p in paths} - packages
    entries = (
        {str(f) for f in plain} | {str(f.parent) for f in plain} | set(import_roots)
    )
    held = set()
    for path in paths:
        for entry in entries:
            prefix = () if entry == "." else PurePosixPath(entry).parts
            if path.parts[: len(prefix)] == prefix and len(path.parts) > len(prefix):
                held.add(PurePosixPath(path.parts[len(prefix)]).stem)
    return {name for name in held if name.isidentifier()}


# -- Python target -----------------------------------------------------------------------------


def target(root: Path, environment_python: str) -> tuple[int, int]:
    """The environment's minor when the project admits it, else the lowest it admits."""
    from poetry.core.constraints.version import Version as PoetryVersion
    from poetry.core.constraints.version import parse_constraint

    data = _pyproject(root)
    declared_python = data.get("project", {}).get("requires-python")
    poetry = (
        data.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    )
    text = declared_python or poetry
    current = tuple(int(x) for x in environment_python.split(".")[:3])
    if not isinstance(text, str):
        return (current[0], current[1])
    try:
        spec = SpecifierSet(text)

        def admits(v: tuple[int, ...]) -> bool:
            return spec.contains(".".join(map(str, v)), prereleases=True)
    except InvalidSpecifier:
        try:
            constraint = parse_constraint(text)
        except (ValueError, RuntimeError):
            return (current[0], current[1])

        def admits(v: tuple[int, ...]) -> bool:
            return constraint.allows(PoetryVersion.parse(".".join(map(str, v))))

    if admits(current):
        return (current[0], current[1])
    lowest = next((v for v in RELEASES if admits(v)), current)
    return (lowest[0], lowest[1])


# -- the tools ---------------------------------------------------------------------------------


def _ruff_config(scratch: Path, target_minor: tuple[int, int]) -> Path:
    config = scratch / "ruff.toml"
    config.write_text(
        re.sub(
            r'^target-version = ".*"$',
            'target-version = "py{}{}"'.format(*target_minor),
            (CONFIGS_DIR / "ruff.toml").read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        ),
        encoding="utf-8",
    )
    return config


def _ruff(venv: Path, work: Path, config: Path, files: list[str]) -> tuple[int, int]:
    ruff = str(venv / "bin" / "ruff")
    checked = _run(
        [ruff, "check", "--config", str(config), "--no-cache", "--output-format", "json",
         "--exit-zero", "--", *files],
        work,
    )  # fmt: skip
    formatted = _run(
        [ruff, "format", "--check", "--output-format", "concise", "--config", str(config),
         "--no-cache", "--", *files],
        work,
    )  # fmt: skip
    changed = set(
        re.findall(
            r"^(.+?):\d+:\d+: (?:unformatted|invalid-syntax)", formatted.stdout, re.M
        )
    )
    return len(json.loads(checked.stdout or "[]")), len(changed)


def _mypy(
    venv: Path,
    work: Path,
    scratch: Path,
    config: str,
    mypy_path: Path,
    files: list[str],
) -> tuple[int, int]:
    ini = scratch / "mypy.ini"
    ini.write_text(config, encoding="utf-8")
    done = _run(
        [str(venv / "bin" / "python"), "-m", "mypy", "--config-file", str(ini),
         "--cache-dir", str(scratch / "mypy-cache"), "--output", "json", "--", *files],
        work,
        MYPYPATH=str(mypy_path),
    )  # fmt: skip
    errors = sum(
        1
        for line in done.stdout.splitlines()
        if line.startswith("{") and json.loads(line)["severity"] == "error"
    )
    return errors, done.returncode


def _pytest(
    sandbox: Sandbox,
    work: Path,
    scratch: Path,
    python_path: str,
    options: dict[str, Any],
    unavailable: set[str],
) -> tuple[int, int, int, int, int, bool]:
    """Run pytest in the sandbox, no scorer plugin: passed, failed, errors, set aside, exit."""
    out = scratch / "pytest-out"
    out.mkdir()
    write_ini(out, options, timeout_s=60)
    request = SandboxRequest(
        argv=[VENV_PYTHON, "-m", "pytest", "-c", f"{OUT}/pytest.ini", "--rootdir", "/work",
              "-p", "no:cacheprovider", "-q", "--continue-on-collection-errors",
              f"--junitxml={OUT}/junit.xml"],
        workspace=work,
        workspace_writable=True,
        mounts=[Mount(source=out, target=OUT, writable=True)],
        env={"PYTHONPATH": python_path,
             "DATABASE_URL": "sqlite+aiosqlite:////tmp/own-tests.db"},
        limits=SandboxLimits(wall_seconds=600),
    )  # fmt: skip
    run = sandbox.run(request)
    counts = {"passed": 0, "failed": 0, "error": 0, "aside": 0}
    report = out / "junit.xml"
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):  # noqa: S314 - ours
            bad = [c for c in case if c.tag in {"failure", "error"}]
            if any(c.tag == "skipped" for c in case) and not bad:
                continue
            text = " ".join(f"{c.get('message', '')} {c.text or ''}" for c in bad)
            tops = {m.split(".")[0] for m in _NO_MODULE.findall(text)}
            if bad and any(t in unavailable or t.lower() in unavailable for t in tops):
                counts["aside"] += 1
            elif not bad:
                counts["passed"] += 1
            else:
                counts["failed" if bad[0].tag == "failure" else "error"] += 1
    said = {m.split(".")[0] for m in _NO_MODULE.findall(run.stdout + run.stderr)}
    counted = counts["passed"] + counts["failed"] + counts["error"]
    charged = not counted and (
        counts["aside"] > 0
        or any(m in unavailable or m.lower() in unavailable for m in said)
    )
    return (
        counts["passed"],
        counts["failed"],
        counts["error"],
        counts["aside"],
        run.returncode,
        charged,
    )


def by_hand(
    root: Path,
    scratch: Path,
    environment: EvaluationEnvironment,
    sandbox: Sandbox,
    *,
    import_roots: list[str],
    options: dict[str, Any],
    module_of: Callable[[str], str],
) -> ByHand:
    """Every figure of one project, by hand.

    Args:
        root: A copy of the project (pytest may write into it).
        scratch: A folder for configurations, caches and reports.
        environment: The evaluation environment.
        sandbox: The sandbox pytest runs in.
        import_roots: The layout's import roots (the harness's documented rule).
        options: The project's pytest options (the harness keeps only some).
        module_of: The layout's file-to-module naming (mypy's ``relaxed_in``).
    """
    files = python_files(root)
    minor = target(root, environment.python_version())
    figures = ByHand(files=files, target=minor)
    imports, optional = _imports(root, files)
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    texts = declared(root)
    candidates = sorted(set(imports) - stdlib - _held(files, import_roots))
    extras = list(_pyproject(root).get("project", {}).get("optional-dependencies", {}))
    env = _in_environment(environment.python, texts, candidates, extras)
    missing = sorted(set(candidates) - set(env["importable"]))
    figures.missing = missing
    names = set(env["names"])
    unavailable = set(missing)
    for dist in env["unavailable"]:
        unavailable |= import_names(dist)
    for name in list(names):
        if name.startswith("extra:"):
            names |= import_names(name.removeprefix("extra:"))
            unavailable |= import_names(name.removeprefix("extra:"))
    unavailable -= _importable(environment.python, sorted(unavailable)) | stdlib
    for text, verdict in zip(texts, env["verdicts"], strict=True):
        if verdict == "missing":
            names |= import_names(re.split(r"[\s\[<>=!~;@(]", text, maxsplit=1)[0])
    figures.undeclared = [
        m
        for m in missing
        if m not in optional and m not in names and m.lower() not in names
    ]
    applicable = [v for v in env["verdicts"] if v != "n/a"]
    figures.declared = len(applicable)
    figures.outside = sum(1 for v in applicable if v != "ok") + len(figures.undeclared)
    config = _ruff_config(scratch, minor)
    venv = environment.venv
    figures.ruff, figures.would_reformat = _ruff(venv, root, config, files)
    importers = tuple(sorted({module_of(r) for m in missing for r in imports[m]}))
    mypy_path = root if import_roots[0] == "." else root / import_roots[0]
    figures.mypy, figures.mypy_exit = _mypy(
        venv,
        root,
        scratch,
        mypy_config(f"{minor[0]}.{minor[1]}", tuple(missing), importers),
        mypy_path,
        files,
    )
    python_path = ":".join("/work" if r == "." else f"/work/{r}" for r in import_roots)
    (
        figures.passed,
        figures.failed,
        figures.errors,
        figures.set_aside,
        figures.pytest_exit,
        figures.charged,
    ) = _pytest(sandbox, root, scratch, python_path, options, unavailable)
    return figures
