"""An AT-SPI client, as a screen reader sees the window: run by Debian's Python (python3-pyatspi).

Started by ``test_atspi.py`` with the app's process id; it walks the accessibility tree of every
page, the editor and the dialogs, drives the app with keys sent through AT-SPI (XTest under the
hood), and prints one JSON object on stdout for the test to judge. It imports nothing of ours: the
venv cannot load Debian's gi, and a client should know the app only over the bus.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi
from gi.repository import Atspi, GLib

INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "spin button",
    "list",
    "table",
    "tree",
    "tree table",
    "page tab",
    "slider",
}
KEYS = {
    "Tab": 0xFF09,
    "Return": 0xFF0D,
    "Escape": 0xFF1B,
    "Down": 0xFF54,
    "BackSpace": 0xFF08,
}
MODIFIERS = {"Shift": 1 << 0, "Control": 1 << 2, "Alt": 1 << 3}  # X11's modifier masks


class Client:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.focused: list[Atspi.Accessible] = []
        self.announced: list[str] = []
        pyatspi.Registry.registerEventListener(self._focus, "object:state-changed:focused")
        pyatspi.Registry.registerEventListener(self._announcement, "object:announcement")

    def _focus(self, event: Atspi.Event) -> None:
        if event.detail1 == 1:
            self.focused.append(event.source)

    def _announcement(self, event: Atspi.Event) -> None:
        self.announced.append(str(event.any_data))

    def pump(self, seconds: float, until=lambda: False) -> bool:
        """Deliver events for up to ``seconds``; True as soon as ``until()`` holds."""
        context = GLib.MainContext.default()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            while context.iteration(False):
                pass
            if until():
                return True
            time.sleep(0.02)
        return until()

    def app(self) -> Atspi.Accessible:
        desktop = pyatspi.Registry.getDesktop(0)
        for _ in range(300):
            for index in range(desktop.get_child_count()):
                child = desktop.get_child_at_index(index)
                if child is not None and child.get_process_id() == self.pid:
                    return child
            time.sleep(0.1)
        raise SystemExit(f"the app (pid {self.pid}) never appeared on the AT-SPI bus")

    def window(self, name_part: str, seconds: float = 20) -> Atspi.Accessible:
        found: list[Atspi.Accessible] = []

        def look() -> bool:
            app = self.app()
            for index in range(app.get_child_count()):
                child = app.get_child_at_index(index)
                if (
                    child is not None
                    and name_part in (child.get_name() or "")
                    and child.get_state_set().contains(pyatspi.STATE_SHOWING)
                ):
                    found.append(child)
                    return True
            return False

        if not self.pump(seconds, look):
            names = [
                self.app().get_child_at_index(i).get_name()
                for i in range(self.app().get_child_count())
            ]
            raise SystemExit(
                f"no window named like {name_part!r}; windows: {names}; "
                f"focus on {self.focus_id()!r}"
            )
        return found[0]

    def key(self, name: str, *modifiers: str) -> None:
        mask = sum(MODIFIERS[m] for m in modifiers)
        if mask:
            Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.LOCKMODIFIERS)
        keysym = KEYS.get(name) or ord(name)
        Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
        if mask:
            Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
        self.pump(0.15)

    def type(self, text: str) -> None:
        Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
        self.pump(0.3)

    def tab_until(self, target: str, limit: int) -> list[str]:
        """Press Tab until an object whose id holds ``target`` has focus; the ids on the way."""
        stops = [self.focus_id()]
        for _ in range(limit):
            before = len(self.focused)
            self.key("Tab")
            self.pump(1.0, lambda: len(self.focused) > before)  # noqa: B023 (called at once)
            stops.append(self.focus_id())
            if target in stops[-1]:
                break
        return stops

    def focus_id(self) -> str:
        return describe(self.focused[-1])["id"] if self.focused else ""


def describe(node: Atspi.Accessible) -> dict[str, str]:
    try:
        ident = node.get_accessible_id() or ""
    except GLib.Error:
        ident = ""
    return {"role": node.get_role_name(), "name": node.get_name() or "", "id": ident}


def details(node: Atspi.Accessible) -> dict[str, object]:
    """What a reader learns beyond role and name: labelled by whom, which actions, which states."""
    relations = node.get_relation_set() or []
    labelled = any(r.get_relation_type() == Atspi.RelationType.LABELLED_BY for r in relations)
    action = node.get_action_iface()
    actions = [action.get_action_name(i) for i in range(action.get_n_actions())] if action else []
    return {
        "labelled": labelled,
        "actions": actions,
        "description": node.get_description() or "",
    }


def walk(root: Atspi.Accessible, where: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Every showing interactive control under ``root``; those without a role or a name."""
    seen, unnamed = [], []
    pending = [root]
    while pending:
        node = pending.pop()
        states = node.get_state_set()
        if not states.contains(pyatspi.STATE_SHOWING) and node is not root:
            continue
        info = describe(node)
        if info["role"] in INTERACTIVE or states.contains(pyatspi.STATE_FOCUSABLE):
            info["where"] = where
            seen.append({**info, **details(node)})
            if not info["name"].strip() or info["role"] in ("unknown", "invalid"):
                unnamed.append(info)
        if info["role"] in ("table", "tree", "tree table", "list"):
            continue  # rows and cells are data, named by their text
        pending += [node.get_child_at_index(i) for i in range(node.get_child_count())]
    return seen, unnamed


def main() -> None:
    client = Client(int(sys.argv[1]))
    report: dict[str, object] = {"pages": {}, "unnamed": [], "tab_stops": {}}
    main_window = client.window("GPC Portfolio")
    client.pump(1.0)

    report["seen"] = []

    def record(root: Atspi.Accessible, where: str) -> None:
        seen, unnamed = walk(root, where)
        report["pages"][where] = len(seen)
        report["seen"] += seen
        report["unnamed"] += unnamed

    for number, page in enumerate(
        ("dashboard", "evidence", "reviews", "reports", "opportunities"), 1
    ):
        client.key(str(number), "Control")
        client.pump(0.5)
        record(main_window, page)

    # Every filter and button of the Evidence page, forwards with Tab from the search box.
    client.key("2", "Control")
    client.key("f", "Control")
    client.pump(1.0, lambda: "searchBox" in client.focus_id())
    report["tab_stops"]["evidence"] = client.tab_until("evidenceTable", 14)

    # An item opened from the table with Enter, closed with Ctrl+W: focus is back on the table.
    client.key("Return")
    client.window(" — GPC Portfolio")  # an editor: "<title> — <kind> — GPC Portfolio"
    client.pump(1.0)
    client.key("w", "Control")
    client.pump(3, lambda: "evidenceTable" in client.focus_id())
    report["focus_after_editor"] = client.focus_id()

    client.key("4", "Control")
    client.pump(0.5)
    report["tab_stops"]["reports"] = client.tab_until("saveReportButton", 12)

    # The Profile dialog by its menu mnemonic, walked and dismissed.
    client.key("f", "Alt")
    client.pump(0.6)  # the File menu opens
    client.key("p")
    record(client.window("Profile"), "profile dialog")
    client.key("n", "Alt")  # to the name by its label's mnemonic, emptied: Save says why not
    client.pump(1.0, lambda: "nameEdit" in client.focus_id())
    client.key("a", "Control")
    client.key("BackSpace")
    client.key("Return")
    client.pump(3, lambda: any("enter your name" in a for a in client.announced))
    client.key("Escape")
    for menu, letter, title in (
        ("f", "b", "Backups"),
        ("t", "p", "Privacy check"),
        ("h", "k", "Keyboard shortcuts"),
    ):
        client.key(menu, "Alt")
        client.pump(0.6)  # the menu opens
        client.key(letter)
        dialog = client.window(title)
        client.pump(0.8)  # its contents load
        record(dialog, title)
        client.key("Escape")

    # Create, save and submit a reflection with the keyboard only.
    client.key("1", "Control")
    client.key("n", "Control")
    record(client.window("New evidence"), "new item dialog")
    client.key("Return")  # the first kind, Reflection, is chosen
    editor = client.window("Untitled")
    client.pump(1.0)
    record(editor, "editor")
    client.type("Keyboard-only reflection")
    client.key("Tab")
    client.pump(0.5)
    report["after_title"] = client.focus_id()
    client.key("s", "Control")
    client.pump(5, lambda: any("Saved" in a for a in client.announced))
    client.key("Return", "Control")
    client.pump(5, lambda: any("Submitted" in a for a in client.announced))
    client.key("w", "Control")
    report["announced"] = client.announced
    print(json.dumps(report))


if __name__ == "__main__":
    main()
