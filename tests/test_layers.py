"""The package's layers import in one direction only: ingest <- analysis <- sections <- notebooks;
present draws and words but computes nothing (no analysis); the engine builds any notebook project
and imports no domain module (its one domain hook, the kernel warm-up, is named in config)."""
import ast
import json

from critmin import config

PKG = config.ROOT / "critmin"
CORE = {"config", "errors", "io", "yamlio"}
LAYER_OF = {"ingest": "ingest", "analysis": "analysis", "claims": "analysis",
            "sections": "sections", "present": "present", "engine": "engine"}
ALLOWED = {
    "core": {"core"},
    "ingest": {"core", "ingest"},
    "analysis": {"core", "ingest", "analysis"},
    "present": {"core", "ingest", "present"},
    "sections": {"core", "ingest", "analysis", "present", "sections"},
    "engine": {"core", "engine"},
}


def layer(module: str) -> str:
    part = module.split(".")[1]
    return "core" if part in CORE else LAYER_OF[part]


def imports(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("critmin"):
            assert node.level == 0
            out |= {f"{node.module}.{a.name}" if node.module == "critmin" else node.module for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("critmin.")}
    return out


def test_every_module_is_in_a_layer_and_imports_only_below_it():
    wrong = []
    for path in sorted(PKG.rglob("*.py")):
        parts = path.relative_to(config.ROOT).with_suffix("").parts
        if parts == ("critmin", "__init__"):
            continue
        me = layer(".".join(parts))
        for name in imports(ast.parse(path.read_text())):
            if layer(name) not in ALLOWED[me]:
                wrong.append(f"{path.relative_to(config.ROOT)} ({me}) imports {name} ({layer(name)})")
    assert wrong == []


def test_kernel_hooks_named_in_config_exist():
    import importlib

    module, func = config.KERNEL_WARM_UP.split(":")
    assert callable(getattr(importlib.import_module(module), func))
    for name in config.KERNEL_PRELOAD:
        assert layer(name) in {"analysis", "present", "sections"}, name
        importlib.import_module(name)


def test_notebooks_never_import_the_engine_or_ingest():
    wrong = []
    for nb in sorted((config.ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "code":
                for name in imports(ast.parse("".join(cell["source"]))):
                    if layer(name) in {"engine", "ingest"}:
                        wrong.append(f"{nb.name} imports {name}")
    assert wrong == []
