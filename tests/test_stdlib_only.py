"""purenet imports nothing but the standard library: checked at run time and in the source."""

import ast
import importlib
import importlib.util
import json
import os
import pkgutil
import subprocess
import sys

import purenet

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STDLIB = set(sys.stdlib_module_names)

# Run in a fresh interpreter without site (-S), so that nothing but purenet's own
# imports (and the interpreter's start-up modules) appears in sys.modules.
PROBE = """
import json, sys
before = set(sys.modules)
import purenet
import purenet.datasets
new = sorted(set(sys.modules) - before)
print(json.dumps({"new": new, "all": sorted(sys.modules), "file": purenet.__file__}))
"""


def run_probe():
    environment = dict(os.environ)
    environment["PYTHONPATH"] = REPO_ROOT
    environment.pop("PYTHONSTARTUP", None)
    result = subprocess.run(
        [sys.executable, "-S", "-c", PROBE], check=False, capture_output=True, text=True, env=environment, cwd=REPO_ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_importing_purenet_loads_only_standard_library_modules():
    report = run_probe()
    assert os.path.dirname(report["file"]) == os.path.join(REPO_ROOT, "purenet"), "the probe must import this repo's purenet"
    assert "purenet" in report["new"] and "purenet.matrices" in report["new"]
    outside = [
        name
        for name in report["all"]
        if name.split(".")[0] not in STDLIB and name.split(".")[0] not in ("purenet", "__main__")
    ]
    assert outside == [], f"modules from outside the standard library: {outside}"


def test_the_probe_would_notice_a_third_party_module():
    # The check above can fail: a name outside sys.stdlib_module_names is caught.
    assert "pytest" not in STDLIB and "numpy" not in STDLIB and "hypothesis" not in STDLIB
    assert "math" in STDLIB and "json" in STDLIB


def all_purenet_modules():
    names = ["purenet"]
    for module in pkgutil.walk_packages(purenet.__path__, prefix="purenet."):
        names.append(module.name)
    return names


def imported_top_level_names(source, filename):
    """Top-level names of every absolute import in a module's source (relative ones give None)."""
    names = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            names.extend(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append(None if node.level > 0 else node.module.split(".")[0])
    return names


def test_every_purenet_module_imports_and_uses_only_the_standard_library():
    modules = all_purenet_modules()
    # the engine's modules are all found by the walk
    for expected in ("purenet.matrices", "purenet.layers.dense", "purenet.losses", "purenet.serialization", "purenet.datasets.toy"):
        assert expected in modules
    problems = []
    for name in modules:
        if name.split(".")[-1] == "__main__":
            # importing it would run the command line; its source is still checked
            filename = importlib.util.find_spec(name).origin
        else:
            filename = importlib.import_module(name).__file__
        with open(filename, encoding="utf-8") as file:
            source = file.read()
        for top in imported_top_level_names(source, filename):
            if top is not None and top != "purenet" and top not in STDLIB:
                problems.append(f"{name} imports {top}")
    assert problems == []


def test_the_source_check_would_notice_a_third_party_import():
    names = imported_top_level_names("import numpy as np\nfrom torch.nn import Linear\nfrom . import matrices\n", "<test>")
    assert names == ["numpy", "torch", None]
    assert [n for n in names if n is not None and n not in STDLIB] == ["numpy", "torch"]
