"""Tutorial 004's stopping criteria (:class:`StopCriteria`) and the reasons a run stops (:class:`StopReason`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class StopCriteria:
    """Tutorial 004's four terminating conditions; each is off when ``None``.

    Attributes
    ----------
    target_loss : float or None
        Stop once the training loss is at or below this value ("the error is minimized").
    max_epochs : int or None
        Stop after this many epochs ("the maximum number of iterations").
    patience : int or None
        Stop when the training loss has not fallen by more than ``min_delta`` below its best for this many
        epochs ("no further reduction in error value").
    early_stop : int or None
        Stop when the test loss has risen for this many consecutive epochs while the training loss keeps
        falling — the training error no longer tracks the validation error (early stopping).
    min_delta : float
        Smallest reduction that counts as progress for ``patience``.
    """

    target_loss: float | None = None
    max_epochs: int | None = None
    patience: int | None = None
    early_stop: int | None = None
    min_delta: float = 0.0


class StopReason:
    """The reasons :meth:`.trainer.Trainer.run_epoch` reports (plain strings, shown to the user as they are)."""

    TARGET = "target loss reached"
    MAX_EPOCHS = "maximum epochs reached"
    PLATEAU = "no further reduction in loss"
    EARLY_STOP = "test loss rising (early stop)"
    DIVERGED = "Diverged"
    """Prefix of the divergence reason; the full text (see :meth:`.trainer.Trainer.diverged_reason`) says at which epoch
    and what to try."""
