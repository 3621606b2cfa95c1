"""The main window's data handling: drawn data, CSV import (menu or a dropped file) and export, and screenshots."""

from __future__ import annotations

from PyQt6.QtCore import QBuffer, QByteArray, QIODevice
from PyQt6.QtWidgets import (
    QMessageBox,
)


class WindowFiles:
    """User data and screenshots of :class:`~visualizer.ui.main_window.MainWindow` (a mixin)."""

    def _on_data_edited(self, dataset) -> None:
        """Points drawn, erased or cleared (or an undo): the running network trains on them from its next epoch,
        nothing reset. With no training point left, training pauses until one is drawn."""
        if dataset.n_train == 0:
            self.controller.pause()
            self.statusBar().showMessage("No training points: training paused — draw some (or Ctrl+Z).", 8000)
            return
        self.controller.replace_data(dataset)

    def _on_draw_toggled(self, on: bool) -> None:
        """Drawing and the step-through mode both take clicks on the map: turning one on leaves the other."""
        mode = getattr(self, "stepthrough", None)
        if on and mode is not None and mode.active:
            mode.leave()

    def choose_import_path(self) -> str:
        """Ask for a CSV file to import ("" if cancelled). Tests replace this (no native dialog)."""
        from PyQt6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Import data", "", "CSV files (*.csv *.tsv *.txt);;All files (*)")
        return path

    def choose_export_path(self) -> str:
        """Ask where to save the data as CSV ("" if cancelled). Tests replace this (no native dialog)."""
        from PyQt6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "Export data", "data.csv", "CSV files (*.csv)")
        return path

    def import_data(self, path: str | None = None):
        """File ▸ Import data… (and a .csv dropped on the window): open the import dialog on ``path`` (asked for
        when None). The session changes only when the dialog is accepted with data it could read; returns the
        dialog (None if no file was chosen)."""
        from .import_dialog import ImportDialog

        if path is None:
            path = self.choose_import_path()
        if not path or self._closing:
            return None
        old = getattr(self, "import_dialog", None)
        if old is not None:
            old.close()
        dialog = ImportDialog(path, self, train_fraction=self._config.train_fraction)
        dialog.sigImport.connect(self._apply_import)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _apply_import(self, dataset, normalization) -> None:
        """Train a new network on imported data (with its normalization); the old session is replaced."""
        try:
            config = self._config.replace(normalization=normalization)
        except ValueError as err:
            self.statusBar().showMessage(f"Data not imported: {err}", 8000)
            return
        self._config = config
        self.controller.set_data(config, dataset)
        self.statusBar().showMessage(
            f"Imported {dataset.name}: {dataset.n_samples:,d} rows, {dataset.n_features} inputs, "
            f"{dataset.task}" + (f" ({dataset.n_classes} classes)" if dataset.is_classification else ""), 8000)

    def export_data(self, path: str | None = None) -> bool:
        """File ▸ Export data…: write the current data (training rows, then test rows, labelled) as CSV."""
        from ..engine.data import write_csv

        dataset = self.data_editor.dataset
        if dataset is None and self.controller.latest is not None:
            dataset = self.controller.latest.dataset
        if dataset is None:
            self.statusBar().showMessage("No data to export yet.", 5000)
            return False
        if path is None:
            path = self.choose_export_path()
        if not path:
            return False
        try:
            write_csv(dataset, path)
        except (OSError, ValueError) as err:
            self.statusBar().showMessage(f"Could not export the data to {path}: {err}", 10000)
            return False
        self.statusBar().showMessage(
            f"Exported {dataset.n_samples:,d} points ({dataset.n_train:,d} training) to {path}", 5000)
        return True

    @staticmethod
    def _dropped_csv(event) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith((".csv", ".tsv", ".txt")):
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_csv(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = self._dropped_csv(event)
        if path:
            event.acceptProposedAction()
            self.import_data(path)
        else:
            event.ignore()

    def _on_save_screenshot(self) -> None:
        from PyQt6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "nn-visualizer.png", "PNG images (*.png)")
        if path:
            self.save_screenshot_reporting(path)

    def save_screenshot(self, path: str) -> bool:
        """Write a PNG of the whole window; on failure False, with the reason in ``last_save_error``."""
        self.last_save_error = None
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not self.grab().save(buffer, "PNG"):
            self.last_save_error = "the window could not be encoded as PNG"
            return False
        buffer.close()
        try:
            with open(path, "wb") as f:
                f.write(bytes(data))
        except OSError as err:
            self.last_save_error = err.strerror or str(err)
            return False
        return True

    def save_screenshot_reporting(self, path: str) -> bool:
        """Save a PNG and say how it went: the path in the status bar, and a warning naming the path and the
        reason if it could not be written (non-blocking)."""
        if self.save_screenshot(path):
            self.statusBar().showMessage(f"Screenshot saved to {path}", 5000)
            return True
        message = f"Could not save the screenshot to {path}: {self.last_save_error}."
        self.statusBar().showMessage(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Screenshot not saved", message,
                          QMessageBox.StandardButton.Ok, self)
        box.setInformativeText("Choose another folder or file name (Ctrl+S).")
        box.open()
        self.save_error_box = box
        return False
