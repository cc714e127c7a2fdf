"""``xltargets wps install | status | remove``: the offline jsplugins.xml route, and its safety rules."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from servetools import _env
from xltargets import __version__
from xltargets.errors import XltargetsError
from xltargets.wps.install import WpsHost, WpsNotAvailable, install, remove, status

HOSTS = {
    "linux": lambda home: WpsHost(system="Linux", home=home),
    "windows": lambda home: WpsHost(system="Windows", home=home, appdata=home / "AppData" / "Roaming"),
}
EXPECTED_PATHS = {
    "linux": (".local/share/Kingsoft/wps/jsaddons", ".config/autostart/xltargets-serve.desktop"),
    "windows": ("AppData/Roaming/kingsoft/wps/jsaddons", "AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/xltargets-serve.cmd"),
}


def tree(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        out[rel] = "link->" + os.readlink(p) if p.is_symlink() else (p.read_bytes() if p.is_file() else "dir")
    return out


@pytest.fixture(params=sorted(HOSTS))
def kind(request):
    return request.param


@pytest.fixture
def host(kind, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return HOSTS[kind](home)


def test_paths_are_wps_and_the_desktops(host, kind):
    jsaddons, auto = EXPECTED_PATHS[kind]
    assert host.jsaddons == host.home / jsaddons
    assert host.autostart == host.home / auto
    assert host.folder.name == f"xltargets_{__version__}"


def test_install_writes_the_addin_the_entry_and_a_private_config(host, kind):
    report = install(host, autostart=True)
    assert report.ok and report.done
    for name in ("ribbon.xml", "index.html", "main.js", "js/service.js", "js/marks.js"):
        assert (host.folder / name).is_file(), name
    config = host.folder / "js" / "config.js"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    state = json.loads((host.home / ".xltargets" / "serve.json").read_text())
    assert json.loads(config.read_text().split("=", 1)[1].strip().rstrip(";")) == {"port": 47211, "token": state["token"]}
    listing = (host.jsaddons / "jsplugins.xml").read_text(encoding="utf-8")
    assert f'<jsplugin name="xltargets" type="et" url="{host.folder.as_uri()}/" version="{__version__}" />' in listing
    text = host.autostart.read_text(encoding="utf-8")
    assert "-m xltargets serve --port 47211" in text
    assert ("[Desktop Entry]" in text) == (kind == "linux")
    assert all(c.ok for c in status(host).checks if c.what != "本地服务")


def test_remove_takes_away_exactly_what_install_wrote(host):
    before = tree(host.home)
    install(host, autostart=True)
    install(host, autostart=True)  # again: replaces its own files
    remove(host)
    after = tree(host.home)
    # serve.json (the service's token) is the service's, not the add-in's: it stays
    assert {k: v for k, v in after.items() if not k.startswith(".xltargets")} == before
    assert "已删除" in remove(host).done[0] or "未安装" in remove(host).done[0]


def test_other_entries_of_jsplugins_xml_are_kept(host):
    host.jsaddons.mkdir(parents=True)
    other = '<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n  <jspluginonline name="公文助手" type="wps" url="http://intranet/a/"/>\n</jsplugins>\n'
    (host.jsaddons / "jsplugins.xml").write_text(other, encoding="utf-8")
    install(host)
    text = (host.jsaddons / "jsplugins.xml").read_text(encoding="utf-8")
    assert 'name="公文助手"' in text and 'name="xltargets"' in text
    remove(host)
    text = (host.jsaddons / "jsplugins.xml").read_text(encoding="utf-8")
    assert 'name="公文助手"' in text and "xltargets" not in text


OTHERS = '<jsplugins>\r\n  <jsplugin name="公文助手" type="wps" url="file:///C:/加载项/公文/" version="1.0"/>\r\n</jsplugins>\r\n'


@pytest.mark.parametrize(
    "head, encoding",
    [
        ('<?xml version="1.0" encoding="GBK"?>\r\n', "gbk"),
        ('<?xml version="1.0" encoding="gb2312"?>\r\n', "gb2312"),
        ("<?xml version='1.0' encoding='GB18030' standalone='yes'?>\r\n", "gb18030"),
        ("", "utf-8-sig"),
        ("", "utf-16"),
    ],
    ids=["declared-gbk", "declared-gb2312", "declared-gb18030", "utf8-bom", "utf16-bom"],
)
def test_a_jsplugins_xml_in_the_encoding_it_declares_keeps_its_entries(host, head, encoding):
    # another add-in's installer writing GBK, as declared, was refused «不是有效的 XML（multi-byte encodings are
    # not supported）», with the advice to rename the file away: expat reads no GBK; Python's codec does
    host.jsaddons.mkdir(parents=True)
    (host.jsaddons / "jsplugins.xml").write_bytes((head + OTHERS).encode(encoding))
    install(host)
    text = (host.jsaddons / "jsplugins.xml").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'name="公文助手"' in text and 'url="file:///C:/加载项/公文/"' in text and 'name="xltargets"' in text
    assert all(c.ok for c in status(host).checks if c.what.startswith("jsplugins"))


@pytest.mark.parametrize(
    "data, expect",
    [
        (OTHERS.encode("gbk"), "不是 UTF-8 编码，也没有声明编码"),
        (('<?xml version="1.0" encoding="GBK"?>\n' + OTHERS).encode("utf-8"), "声明的编码是 GBK，但第 3 行有不是 GBK 的字节"),
    ],
    ids=["gbk-undeclared", "utf8-declared-gbk"],
)
def test_a_jsplugins_xml_not_in_its_encoding_is_refused_saying_so(host, data, expect):
    host.jsaddons.mkdir(parents=True)
    (host.jsaddons / "jsplugins.xml").write_bytes(data)
    _refused(host, lambda: install(host), expect)


@pytest.mark.parametrize(
    "where, expect",
    [
        ("jsplugins-is-a-folder", "不是普通文件（是文件夹或设备）"),
        ("jsaddons-is-a-file", "应是文件夹，但它是一个文件"),
        ("kingsoft-is-a-file", "应是文件夹，但它是一个文件"),
        ("autostart-folder-is-a-file", "应是文件夹，但它是一个文件"),
    ],
)
def test_a_file_where_a_folder_belongs_or_the_reverse_is_refused_before_anything_is_written(host, where, expect):
    # «xltargets 内部错误（IsADirectoryError / NotADirectoryError）», exit 3, until session 8's attack pass
    if where == "jsplugins-is-a-folder":
        host.jsplugins.mkdir(parents=True)
    elif where == "jsaddons-is-a-file":
        host.jsaddons.parent.mkdir(parents=True)
        host.jsaddons.write_bytes(b"")
    elif where == "kingsoft-is-a-file":
        host.jsaddons.parent.parent.parent.mkdir(parents=True)
        host.jsaddons.parent.parent.write_bytes(b"")
    else:
        host.autostart.parent.parent.mkdir(parents=True)
        host.autostart.parent.write_bytes(b"")
    _refused(host, lambda: install(host, autostart=True), expect)
    if where == "jsplugins-is-a-folder":
        _refused(host, lambda: remove(host), expect)


def test_a_users_own_file_in_the_folder_is_kept(host):
    install(host)
    (host.folder / "我的笔记.txt").write_text("自己的文件", encoding="utf-8")
    report = remove(host)
    assert (host.folder / "我的笔记.txt").read_text(encoding="utf-8") == "自己的文件"
    assert not (host.folder / "main.js").exists()
    assert any("已保留" in line for line in report.done)


def test_an_earlier_version_is_replaced(host):
    install(host)
    old = host.jsaddons / "xltargets_0.0.9"
    host.folder.rename(old)
    manifest = json.loads((old / ".xltargets-install.json").read_text())
    manifest["version"] = "0.0.9"
    (old / ".xltargets-install.json").write_text(json.dumps(manifest))
    install(host)
    assert not old.exists() and host.folder.is_dir()


def _refused(host, call, *expect: str) -> None:
    before = tree(host.home)
    with pytest.raises(XltargetsError) as info:
        call()
    assert tree(host.home) == before, "nothing may change when refused"
    for text in expect:
        assert text in info.value.message
    return info.value


def test_a_foreign_folder_of_the_same_name_is_refused(host):
    host.folder.mkdir(parents=True)
    (host.folder / "main.js").write_text("// someone else's", encoding="utf-8")
    _refused(host, lambda: install(host), "不是 xltargets 安装的")


def test_a_foreign_autostart_file_is_refused(host):
    host.autostart.parent.mkdir(parents=True)
    host.autostart.write_text("the user's own login item", encoding="utf-8")
    _refused(host, lambda: install(host, autostart=True), "不是 xltargets 写的")
    install(host)  # without --autostart it is not touched
    remove(host)
    assert host.autostart.read_text(encoding="utf-8") == "the user's own login item"


def test_a_broken_jsplugins_xml_is_refused(host):
    host.jsaddons.mkdir(parents=True)
    (host.jsaddons / "jsplugins.xml").write_text("<jsplugins><oops>", encoding="utf-8")
    _refused(host, lambda: install(host), "不是有效的 XML")


@pytest.mark.parametrize("what", ["jsaddons", "jsplugins", "autostart-dir"])
def test_symlinks_are_never_followed(host, tmp_path, what):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "jsplugins.xml").write_text("<jsplugins/>", encoding="utf-8")
    outside = tree(elsewhere)
    if what == "jsaddons":
        host.jsaddons.parent.mkdir(parents=True)
        host.jsaddons.symlink_to(elsewhere, target_is_directory=True)
        call = lambda: install(host)  # noqa: E731
    elif what == "jsplugins":
        host.jsaddons.mkdir(parents=True)
        (host.jsaddons / "jsplugins.xml").symlink_to(elsewhere / "jsplugins.xml")
        call = lambda: install(host)  # noqa: E731
    else:
        host.autostart.parent.parent.mkdir(parents=True)
        host.autostart.parent.symlink_to(elsewhere, target_is_directory=True)
        call = lambda: install(host, autostart=True)  # noqa: E731
    _refused(host, call, "符号链接")
    assert tree(elsewhere) == outside


def test_remove_does_not_follow_a_symlink_put_in_place_of_a_file(host, tmp_path):
    install(host)
    victim = tmp_path / "victim.js"
    victim.write_text("keep me", encoding="utf-8")
    (host.folder / "main.js").unlink()
    (host.folder / "main.js").symlink_to(victim)
    remove(host)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_macos_has_no_wps_addins(tmp_path):
    with pytest.raises(WpsNotAvailable) as info:
        install(WpsHost(system="Darwin", home=tmp_path))
    assert "Windows 和 Linux" in info.value.message


def test_cli_install_status_remove(tmp_path):
    env = _env(tmp_path)
    env.pop("XDG_DATA_HOME", None)
    env.pop("XDG_CONFIG_HOME", None)
    run = lambda *a: subprocess.run([sys.executable, "-m", "xltargets", "wps", *a], env=env, capture_output=True, text=True, encoding="utf-8")  # noqa: E731
    out = run("install")
    assert out.returncode == 0, out.stderr
    assert "已安装 WPS 加载项" in out.stdout
    st = run("status")
    assert st.returncode == 1  # the service is not running here
    assert "✓ 加载项文件" in st.stdout and "✗ 本地服务：未运行：在命令行运行 xltargets serve" in st.stdout
    assert "· 登录时自动启动：未设置" in st.stdout  # optional and not asked for: no success mark
    out = run("remove")
    assert out.returncode == 0 and "已删除 WPS 加载项" in out.stdout
    assert not (tmp_path / ".local" / "share" / "Kingsoft").exists()


# --- the autostart file read by its consumer ----------------------------------------
# A Python path with `%` (cmd.exe reads %...% as a variable even inside quotes; a desktop entry reads %f as a field
# code), with a backslash on Linux (the desktop entry unescapes twice), spaces, Chinese, shell characters.

LINUX_FOLDERS = {
    "spaces-and-chinese": "张三 的 程序",
    "percent": "完成 100% %HOME%",
    "field-codes": "%f %u %% %c",
    "backslash": r"C:\Users\张三\n",
    "backslashes-before-quoted-characters": r"a\\b\$HOME\"",
    "shell-characters": 'a "quoted" $HOME `id` \'single\'',
}


def _python_with_gio() -> str | None:
    """An interpreter with GLib's Python bindings (python3-gi): the system's, whatever venv runs the tests."""
    for python in (sys.executable, "/usr/bin/python3"):
        probe = "import gi; gi.require_version('Gio', '2.0'); from gi.repository import Gio"
        if Path(python).exists() and subprocess.run([python, "-c", probe], capture_output=True).returncode == 0:
            return python
    return None


@pytest.mark.parametrize("folder", LINUX_FOLDERS.values(), ids=list(LINUX_FOLDERS))
def test_the_desktop_entry_starts_the_python_it_names_whatever_its_path(tmp_path, folder):
    """GLib (what GNOME and most desktops use to start autostart entries) launches the entry: the program it starts is
    our Python, with the arguments we wrote. Before session 8's fix `%` and backslashes were mangled."""
    from xltargets.wps.install import autostart_text

    gio = _python_with_gio()
    if gio is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("GLib's Python bindings (python3-gi) are required under CI=true")
        pytest.skip("python3-gi is not installed")
    where = tmp_path / folder
    where.mkdir(parents=True)
    python = where / "python3"
    record = tmp_path / "argv.json"
    python.write_text(f"#!{sys.executable}\nimport json, sys\nopen({str(record)!r}, 'w').write(json.dumps(sys.argv))\n")
    python.chmod(0o755)
    entry = tmp_path / "xltargets-serve.desktop"
    entry.write_text(autostart_text(WpsHost(system="Linux", home=tmp_path), 47299, python=python), encoding="utf-8")
    launch = (
        "import sys, gi; gi.require_version('Gio', '2.0'); from gi.repository import Gio\n"
        "info = Gio.DesktopAppInfo.new_from_filename(sys.argv[1])\n"
        "assert info is not None, 'GLib refused the entry'\n"
        "assert info.launch([], None)\n"
    )
    res = subprocess.run([gio, "-c", launch, str(entry)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    import time

    for _ in range(200):
        if record.exists() and record.stat().st_size:
            break
        time.sleep(0.05)
    assert json.loads(record.read_text()) == [str(python), "-m", "xltargets", "serve", "--port", "47299"]


def _cmd_expands(line: str, env: dict[str, str]) -> str:
    """What cmd.exe makes of a line of a batch file before running it (its percent phase): ``%%`` is ``%``, ``%0``-``%9``
    and ``%*`` the batch's (empty) arguments, ``%NAME%`` the variable or nothing when undefined, a lone ``%`` nothing."""
    out, i = [], 0
    while i < len(line):
        ch = line[i]
        if ch != "%":
            out.append(ch)
            i += 1
        elif line[i + 1:i + 2] == "%":
            out.append("%")
            i += 2
        elif line[i + 1:i + 2] and line[i + 1] in "0123456789*":
            i += 2
        else:
            end = line.find("%", i + 1)
            if end < 0:
                i += 1
                continue
            out.append(env.get(line[i + 1:end].upper(), ""))
            i = end + 1
    return "".join(out)


WINDOWS_PYTHONS = {
    "chinese-user": r"C:\Users\张三\AppData\Local\Programs\Python\Python312\pythonw.exe",
    "percent": r"D:\工具 100%\Python 3%\pythonw.exe",
    "a-folder-named-like-a-variable": r"C:\Users\%USERNAME%\py\pythonw.exe",
    "cmd-characters-and-spaces": r"C:\Program Files (x86)\A&B ^工具 !x!\pythonw.exe",
}


@pytest.mark.parametrize("python", WINDOWS_PYTHONS.values(), ids=list(WINDOWS_PYTHONS))
def test_the_startup_cmd_runs_the_python_it_names_whatever_its_path(tmp_path, python):
    """The .cmd file's `start` line after cmd.exe's percent expansion (simulated: no Windows here) names our Python."""
    from xltargets.wps.install import autostart_text

    text = autostart_text(WpsHost(system="Windows", home=tmp_path, appdata=tmp_path), 47299, python=Path(python))
    [line] = [line for line in text.split("\r\n") if line.startswith("start ")]
    expanded = _cmd_expands(line, {"USERNAME": "李四", "HOME": "x"})
    assert expanded == f'start "" /min "{python}" -m xltargets serve --port 47299'
