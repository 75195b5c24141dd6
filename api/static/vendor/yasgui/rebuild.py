"""Rebuild the vendored YASGUI bundle from the npm registry (the query page serves it itself: no CDN).

Usage: python api/static/vendor/yasgui/rebuild.py [VERSION]   (default: the version in VERSION.json)

Installs @zazuko/yasgui into a temporary directory with npm, copies the minified script and style
sheet here (without the source-map comment: maps are not vendored), writes VERSION.json with the
SHA-256 of each file (a test checks them) and THIRD-PARTY-LICENSES.txt with the licence of every
package the bundle contains. Needs node and npm; nothing else reads the network.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "@zazuko/yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")
LICENCE_NAMES = re.compile(r"^(licen[cs]e|copying)(\.(md|txt))?$", re.IGNORECASE)
MIT = """MIT License

Copyright (c) {holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _people(value: object) -> str:
    items = value if isinstance(value, list) else [value] if value else []
    return ", ".join(i.get("name", "") if isinstance(i, dict) else str(i) for i in items)


def _notice(package_dir: Path) -> str:
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    head = f"{meta['name']} {meta['version']} — licence: {meta.get('license', 'not stated')}"
    files = sorted(p for p in package_dir.iterdir() if p.is_file() and LICENCE_NAMES.match(p.name))
    if files:
        text = files[0].read_text(encoding="utf-8", errors="replace").strip()
    elif str(meta.get("license", "")).upper() == "MIT":
        holder = " and ".join(filter(None, [_people(meta.get("author")), _people(meta.get("contributors"))]))
        text = "(the package ships no licence file; this is the MIT text its package.json names)\n\n"
        text += MIT.format(holder=holder or meta["name"] + " authors").strip()
    else:
        text = "(the package ships no licence file; see its repository)"
    repo = meta.get("repository")
    url = repo.get("url", "") if isinstance(repo, dict) else str(repo or "")
    return f"{'=' * 100}\n{head}\n{url}\n{'=' * 100}\n{text}\n"


def _packages(modules: Path) -> list[Path]:
    found = []
    for entry in sorted(modules.iterdir()):
        if entry.name.startswith("@"):
            found.extend(sorted(p for p in entry.iterdir() if (p / "package.json").exists()))
        elif (entry / "package.json").exists():
            found.append(entry)
    return found


def main(argv: list[str]) -> None:
    version = argv[1] if len(argv) > 1 else json.loads((HERE / "VERSION.json").read_text())["version"]
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to rebuild the vendored bundle (apt-get install npm)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "package.json").write_text('{"name": "vendor", "version": "0.0.0", "private": true}')
        subprocess.run(  # noqa: S603 - fixed arguments, the version is the only input
            [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", f"{PACKAGE}@{version}"],
            cwd=work, check=True,
        )
        build = work / "node_modules" / PACKAGE / "build"
        digests = {}
        for name in FILES:
            text = (build / name).read_text(encoding="utf-8")
            text = re.sub(r"\n?/[/*]# sourceMappingURL=\S+(\s*\*/)?\s*$", "\n", text)
            (HERE / name).write_text(text, encoding="utf-8")
            digests[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        lock = json.loads((work / "package-lock.json").read_text())
        entry = lock["packages"][f"node_modules/{PACKAGE}"]
        notices = [_notice(p) for p in _packages(work / "node_modules")]
    (HERE / "THIRD-PARTY-LICENSES.txt").write_text(
        f"Licences of the packages in the vendored {PACKAGE} {version} bundle (yasgui.min.js, yasgui.min.css),\n"
        f"collected from the npm packages by rebuild.py.\n\n" + "\n".join(notices),
        encoding="utf-8",
    )
    record = {
        "package": PACKAGE,
        "version": version,
        "tarball": entry.get("resolved") or f"https://registry.npmjs.org/{PACKAGE}/-/yasgui-{version}.tgz",
        "integrity": entry.get("integrity"),
        "sha256": digests,
    }
    (HERE / "VERSION.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"vendored {PACKAGE} {version}: " + ", ".join(f"{n} {(HERE / n).stat().st_size} bytes" for n in FILES))


if __name__ == "__main__":
    main(sys.argv)
