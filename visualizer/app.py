"""Command line and QApplication: ``nn-visualizer`` and ``python -m visualizer``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from . import __version__  # its __init__ limits BLAS to one thread before numpy loads
from .cli import lesson_list, parse

QT_SYSTEM_LIBRARIES = ("libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 "
                       "libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1 libegl1 "
                       "libgl1 libfontconfig1 libdbus-1-3")
"""Debian/Ubuntu packages of the system libraries Qt's xcb platform plugin loads (README names them too)."""

NO_WINDOW_ADVICE = ("run it in a desktop session, or use --screenshot FILE.png (with QT_QPA_PLATFORM=offscreen) "
                    "without a screen; on Debian/Ubuntu Qt needs: sudo apt-get install " + QT_SYSTEM_LIBRARIES)


def main(argv: Sequence[str] | None = None) -> int:
    args, config, size = parse(argv)
    lesson = args.lesson
    if lesson is not None and lesson[0] == "list":
        print(lesson_list())
        return 0
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        epochs = args.epochs
        if epochs is None:
            epochs = _lesson_epochs(lesson) if lesson is not None else 100
        from .screenshot import _screenshot

        return _screenshot(args.screenshot, epochs, config, size, args.dataset_object, lesson=lesson,
                           stage=args.step_through)
    problem = no_display_problem()
    if problem:
        print(f"nn-visualizer: error: {problem}: {NO_WINDOW_ADVICE}", file=sys.stderr)
        return 1
    return _run(config, size, use_settings=not args.fresh, dataset=args.dataset_object, lesson=lesson)


def _lesson_epochs(lesson) -> int:
    from .engine import lessons

    return int(lessons.resolve(*lesson).training.epochs)


def no_display_problem(environ=None, platform: str | None = None) -> str | None:
    """Why no window can open here (before Qt is loaded: Qt aborts the process instead), or None.

    On Linux, without QT_QPA_PLATFORM (or with xcb/wayland) a display is needed: DISPLAY or WAYLAND_DISPLAY.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    qpa = environ.get("QT_QPA_PLATFORM", "").strip().lower()
    wants = {p.split(":")[0] for p in qpa.split(";") if p}
    if wants and not wants <= {"xcb", "wayland", "wayland-egl"}:
        return None  # offscreen, vnc, eglfs, …: the user chose a platform that needs no display
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return "no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)"


def _application():
    import pyqtgraph as pg
    from PyQt6.QtGui import QIcon
    from PyQt6.QtWidgets import QApplication

    from .paths import resource

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major", background="w", foreground="#333")
    starting = _install_message_handler()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    starting()
    app.setApplicationName("NN Visualizer")
    app.setOrganizationName("nn-visualizer")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("nn-visualizer")
    with contextlib.suppress(FileNotFoundError):
        app.setWindowIcon(QIcon(str(resource("icon.png"))))
    return app


def _install_message_handler():
    """Qt's messages, with two changes. While the QApplication starts, messages are held back: if Qt then gives up
    (no display, a missing system library: Qt would abort with status 134), print one line that says what to do
    and exit 1. The offscreen platform cannot resize native windows for dock widgets and says so on every start;
    that is expected there, so that one message is dropped. Returns the function to call once Qt has started."""
    from PyQt6.QtCore import QtMsgType, qInstallMessageHandler

    offscreen = os.environ.get("QT_QPA_PLATFORM") == "offscreen"
    held: list[str] = []
    state = {"starting": True}

    def handler(mode, _context, message: str) -> None:
        if offscreen and "propagateSizeHints" in message:
            return
        if mode == QtMsgType.QtFatalMsg and state["starting"]:
            causes = [m for m in held if "needed" in m or "connect" in m or "Could not" in m] or [message]
            cause = " ".join(" ".join(causes).split())[:300]
            print(f"nn-visualizer: error: Qt could not open a window ({cause}): {NO_WINDOW_ADVICE}",
                  file=sys.stderr, flush=True)
            os._exit(1)
        if state["starting"]:
            held.append(message)
        else:
            print(message, file=sys.stderr)

    def started() -> None:
        state["starting"] = False
        for message in held:
            print(message, file=sys.stderr)
        held.clear()

    qInstallMessageHandler(handler)
    return started


def _fit(size: tuple[int, int], window) -> tuple[int, int]:
    """``size`` reduced to the screen's available area (the offscreen platform has no real screen)."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return size
    screen = window.screen()
    if screen is None:
        return size
    area = screen.availableGeometry()
    w, h = min(size[0], area.width()), min(size[1], area.height())
    if (w, h) != tuple(size):
        print(f"nn-visualizer: --size is larger than the screen's available {area.width()}x{area.height()}: "
              f"using {w}x{h}", file=sys.stderr)
    return w, h


def _run(config, size, use_settings: bool, dataset=None, lesson=None) -> int:
    app = _application()
    from .ui.main_window import MainWindow

    window = MainWindow(config, use_settings=use_settings and config is None and lesson is None, dataset=dataset)
    if lesson is not None:
        window.lessons.open_lesson(*lesson)
    if size:
        window.resize(*_fit(size, window))
    window.show()
    code = app.exec()
    _dispose(window)
    return code


def _dispose(window) -> None:
    """Destroy the window (and its training thread's objects) while the QApplication still exists.

    Returning from the function that holds both would free the QApplication first (Python frees a frame's locals
    in order of definition) and leave Qt objects to be destroyed without their application: a crash at exit,
    seen now and then as status -11 after a --screenshot run had written its PNG.
    """
    from PyQt6.QtCore import QCoreApplication, QEvent

    window.shutdown()  # idempotent: the training thread has ended
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


if __name__ == "__main__":
    sys.exit(main())
