"""Static files by fingerprinted URL, and the service worker named after their build
(tracker/assets.py): a changed file gets a new URL and phones a new worker; no version is typed
by hand anywhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.factories import make_officer, make_user
from tracker import assets

ROOT = Path(__file__).resolve().parents[1]

STATIC = Path(assets.SOURCE)


def copy_of_static(tmp_path: Path) -> Path:
    return Path(shutil.copytree(STATIC, tmp_path / "static"))


def small_static(tmp_path: Path) -> Path:
    """A few files of each kind: building it compresses in milliseconds, not seconds."""
    source = tmp_path / "static"
    for name, data in {
        "css/app.css": b"body { color: black; }\n" * 200,
        "js/app.js": b"console.log('app');\n" * 200,
        "js/sw.js": b'"use strict";\n',
        "img/icon-192.png": (STATIC / "img" / "icon-192.png").read_bytes(),
    }.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    return source


def test_a_changed_file_changes_its_url_and_the_build_and_nothing_else(tmp_path):
    source = copy_of_static(tmp_path)
    before, build_before = assets.plan(source)
    (source / "js" / "offline.js").write_text("// changed\n", encoding="utf-8")
    after, build_after = assets.plan(source)
    assert build_after != build_before
    assert after["js/offline.js"] != before["js/offline.js"]
    assert {k: v for k, v in after.items() if k != "js/offline.js"} == {
        k: v for k, v in before.items() if k != "js/offline.js"
    }
    assert "js/sw.js" not in after  # served by its own route, with the build written in


def test_a_build_is_made_once_and_holds_compressed_copies(tmp_path):
    source = small_static(tmp_path)
    first = assets.build(source, tmp_path / "builds")
    hashed = first.root / first.manifest["css/app.css"]
    assert hashed.read_bytes() == (source / "css" / "app.css").read_bytes()
    assert Path(f"{hashed}.br").exists() and Path(f"{hashed}.gz").exists()
    assert not list(first.root.rglob("*.png.br"))  # images are compressed already
    stamp = (first.root / "manifest.json").stat().st_mtime_ns
    again = assets.build(source, tmp_path / "builds")
    assert again == first and (first.root / "manifest.json").stat().st_mtime_ns == stamp
    (source / "css" / "app.css").write_text("body{}", encoding="utf-8")
    changed = assets.build(source, tmp_path / "builds")
    assert changed.id != first.id and changed.root.exists() and first.root.exists()


def test_old_builds_are_pruned(tmp_path):
    source = small_static(tmp_path)
    ids = []
    for index in range(assets.KEPT_BUILDS + 2):
        (source / "css" / "app.css").write_text(f"/* {index} */", encoding="utf-8")
        ids.append(assets.build(source, tmp_path / "builds").id)
    kept = sorted(p.name for p in (tmp_path / "builds").iterdir())
    assert len(kept) == assets.KEPT_BUILDS and ids[-1] in kept and ids[0] not in kept


def test_pages_link_fingerprinted_files_that_are_served(app, client, auth):
    make_officer("lan")
    auth.login("lan")
    page = client.get("/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert links and all(re.search(r"\.[0-9a-f]{12}\.\w+$", link) for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "immutable" in response.headers["Cache-Control"]
        response.close()


def test_the_service_worker_is_named_after_the_build(app, client):
    build = app.extensions["assets"]
    response = client.get("/sw.js")
    text = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert text.startswith("// Service worker") and f'const BUILD = "{build.id}";' in text
    assert build.url("js/offline.js") in text and '/static/js/offline.js"' not in text
    assert "ignoreSearch" not in text
    # nobody types a version: the word appears nowhere in the worker or offline.js
    for name in ("sw.js", "offline.js"):
        source = (STATIC / "js" / name).read_text(encoding="utf-8")
        assert not re.search(r"VERSION\s*=|-v\d", source), name


def test_the_offline_page_is_for_field_users_only(app, client, auth):
    assert client.get("/offline").status_code == 302  # to the sign-in page
    make_user("boss", "leader")
    auth.login("boss")
    assert client.get("/offline").status_code == 403
    auth.logout()
    make_officer("lan")
    auth.login("lan")
    page = client.get("/offline").get_data(as_text=True)
    assert "Trang này chưa được lưu trên điện thoại này" in page
    saved = re.findall(r'data-saved-page="([^"]+)"', page)
    assert saved == ["/", "/contacts/new", "/enrollments/new"]


def test_the_vendored_plotly_points_at_no_server_of_plotlys():
    """plotly.js defaults to plotly's servers for map shapes and "edit in Chart Studio";
    `make vendor-plotly` points them at our own files and nowhere (offline users have no
    internet)."""
    bundle = (ROOT / "static" / "vendor" / "plotly" / "plotly-cartesian.min.js").read_text()
    assert "cdn.plot.ly" not in bundle and "cloud.plotly.com" not in bundle
    assert 'dflt:"/static/vendor/plotly/topojson/"' in bundle
