"""The engine and the square detector are kept apart: ``import purenet`` loads the engine alone."""

import ast
import json
import os
import pkgutil
import subprocess
import sys

import purenet

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPLICATION = "purenet.squares"
# The old homes of application modules: kept names that re-export from purenet.squares.
KEPT_NAMES = ("purenet.drawing", "purenet.hilbert", "purenet.datasets.shapes", "purenet.datasets.quickdraw")

PROBE = """
import json, sys
import purenet
print(json.dumps(sorted(name for name in sys.modules if name.startswith("purenet"))))
"""


def test_import_purenet_loads_only_the_engine():
    environment = dict(os.environ, PYTHONPATH=REPO_ROOT)
    result = subprocess.run(
        [sys.executable, "-S", "-c", PROBE], capture_output=True, text=True, env=environment, cwd=REPO_ROOT, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert "purenet.matrices" in loaded and "purenet.model" in loaded
    application = [name for name in loaded if name == APPLICATION or name.startswith(APPLICATION + ".") or name in KEPT_NAMES]
    assert application == [], f"import purenet loaded the application: {application}"


def engine_modules():
    for module in pkgutil.walk_packages(purenet.__path__, prefix="purenet."):
        name = module.name
        if name.startswith(APPLICATION) or name in KEPT_NAMES or name in ("purenet.cli", "purenet.__main__"):
            continue
        yield name


def imported_modules(name):
    """Absolute names of the purenet modules that a module imports (relative imports resolved)."""
    spec_path = os.path.join(REPO_ROOT, *name.split("."))
    filename = spec_path + ".py" if os.path.exists(spec_path + ".py") else os.path.join(spec_path, "__init__.py")
    package = name if filename.endswith("__init__.py") else name.rsplit(".", 1)[0]
    with open(filename, encoding="utf-8") as file:
        tree = ast.parse(file.read(), filename=filename)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            yield prefix
            yield from (f"{prefix}.{alias.name}" for alias in node.names)


def test_the_engine_imports_nothing_from_the_application():
    names = list(engine_modules())
    assert "purenet.matrices" in names and "purenet.layers.dense" in names
    problems = []
    for name in names:
        for imported in imported_modules(name):
            if imported.startswith(APPLICATION) or imported in KEPT_NAMES:
                if name == "purenet" and imported == APPLICATION:
                    continue  # purenet.square_detector() imports it lazily, inside the function
                problems.append(f"{name} imports {imported}")
    assert problems == []


def test_the_check_would_notice_an_engine_module_importing_the_application():
    tree_names = list(imported_modules("purenet.cli"))
    assert any(name.startswith(APPLICATION) for name in tree_names)


def test_kept_names_still_work():
    from purenet import drawing, hilbert
    from purenet.datasets import shapes
    from purenet.squares import drawing as application_drawing
    from purenet.squares import shapes as application_shapes

    assert drawing.prepare is application_drawing.prepare
    assert drawing.rasterize is application_drawing.rasterize
    assert hilbert.flatten(hilbert.unflatten(list(range(16)))) == list(range(16))
    assert shapes.sample is application_shapes.sample and shapes.KINDS is application_shapes.KINDS
    assert shapes.dataset is application_shapes.dataset
    # Every public name of the modules before the move (their type names, and the prepare the generator imported).
    for name in ("Point", "Stroke"):
        assert getattr(drawing, name) is getattr(application_drawing, name)
    for name in ("Drawing", "Point", "Stroke"):
        assert getattr(shapes, name) is getattr(application_shapes, name)
    assert shapes.prepare is application_drawing.prepare


def test_square_detector_loads_lazily_from_the_top_level():
    model = purenet.square_detector()
    assert model.layers[0].in_features == 1024
