"""Static files as phones should get them: fingerprinted, compressed and cached for a year.

At start the app builds static/ into instance/static-build/<build id>/ (once per content: a
restart with the same files reuses the build): every file under its own name and under a name
carrying its content hash (css/app.css and css/app.<hash>.css), with .br and .gz beside it.
WhiteNoise serves that directory under /static/; a hashed name never changes its bytes, so it
is cached for a year ("immutable"), and a changed file gets a new name, hence a new URL.
Templates keep writing url_for('static', filename=...): a URL default swaps in the hashed name.

The build id is a hash of every file's hash: the service worker names its caches after it
(tracker/main/views.py), so nobody types a cache version by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

SOURCE = Path(__file__).resolve().parents[1] / "static"
# The service worker is served through its own route with the build id written in.
NOT_BUILT = {"js/sw.js"}
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
KEPT_BUILDS = 3  # a worker still running the previous build keeps its files during a deploy


@dataclass(frozen=True)
class Build:
    source: Path
    root: Path
    manifest: dict[str, str]  # "css/app.css" -> "css/app.<hash>.css"
    id: str

    def url(self, filename: str) -> str:
        return "/static/" + self.manifest.get(filename, filename)


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _hashed_name(name: str, digest: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.{digest}.{extension}" if dot and "/" not in extension else f"{name}.{digest}"


def plan(source: Path = SOURCE) -> tuple[dict[str, str], str]:
    """The manifest and the build id of `source`, reading the files but writing nothing."""
    manifest: dict[str, str] = {}
    whole = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        if name in NOT_BUILT:
            continue
        digest = _file_hash(path)
        manifest[name] = _hashed_name(name, digest)
        whole.update(f"{name}\0{digest}\n".encode())
    return manifest, whole.hexdigest()[:12]


def build(source: Path, builds: Path) -> Build:
    """Build `source` into `builds`/<id>/ unless that build exists. Written aside and renamed
    into place, so gunicorn workers starting together never serve a half-written build."""
    manifest, build_id = plan(source)
    root = builds / build_id
    if not (root / "manifest.json").exists():
        builds.mkdir(parents=True, exist_ok=True)
        work = builds / f".{build_id}-{uuid.uuid4().hex}"
        compressor = Compressor(quiet=True)
        for name, hashed in manifest.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, work / name)
            if compressor.should_compress(name):
                compressor.compress(str(work / name))
            for suffix in ("", ".br", ".gz"):
                if (work / (name + suffix)).exists():
                    shutil.copyfile(work / (name + suffix), work / (hashed + suffix))
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        try:
            os.rename(work, root)
        except OSError:  # another worker finished the same build first
            shutil.rmtree(work, ignore_errors=True)
        _prune(builds, keep=root)
    return Build(source, root, manifest, build_id)


def _prune(builds: Path, keep: Path) -> None:
    done = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in done[KEPT_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def current() -> Build:
    return current_app.extensions["assets"]


def _add_headers(headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app: Flask) -> None:
    """STATIC_SOURCE (static/ unless set, as a test of a deploy does) built and served."""
    source = Path(app.config.get("STATIC_SOURCE") or SOURCE)
    built = build(source, Path(app.instance_path) / "static-build")
    app.extensions["assets"] = built

    @app.url_defaults
    def fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = built.manifest.get(values["filename"], values["filename"])

    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=built.root,
        prefix="static/",
        max_age=60,  # unhashed names (the manifest's icons) may change
        immutable_file_test=lambda path, url: bool(HASHED.search(url)),
        add_headers_function=_add_headers,
    )
