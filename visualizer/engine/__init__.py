"""The engine: pure numpy, no Qt. Everything the window shows is computed here.

>>> from visualizer.engine import Network
>>> net = Network([2, 4, 2, 1], activation="tanh", output="tanh", loss="squared", seed=0)
>>> net.forward([[0.5, -1.0]]).shape
(1, 1)
"""

from .activations import ACTIVATIONS, DERIVATIVES, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .data import (
    CLASSIFICATION_2D,
    DATASETS,
    REGRESSION_2D,
    TABLES,
    CSVFormatError,
    Dataset,
    make_dataset,
    normalize,
    read_csv,
    write_csv,
)
from .experiment import PLAYGROUND_LEARNING_RATES, PLAYGROUND_REG_RATES, Config, Experiment, build
from .features import FEATURES, feature_matrix
from .grid import GridEvaluator, GridResult
from .losses import LOSSES
from .network import INITS, Network
from .optimizers import OPTIMIZERS, make_optimizer
from .trainer import StopCriteria, StopReason, Trainer, encode_targets, predict_classes

__all__ = [
    "ACTIVATIONS",
    "CLASSIFICATION_2D",
    "DATASETS",
    "DERIVATIVES",
    "FEATURES",
    "HIDDEN_ACTIVATIONS",
    "INITS",
    "LOSSES",
    "OPTIMIZERS",
    "OUTPUT_ACTIVATIONS",
    "PLAYGROUND_LEARNING_RATES",
    "PLAYGROUND_REG_RATES",
    "REGRESSION_2D",
    "TABLES",
    "CSVFormatError",
    "Config",
    "Dataset",
    "Experiment",
    "GridEvaluator",
    "GridResult",
    "Network",
    "StopCriteria",
    "StopReason",
    "Trainer",
    "build",
    "encode_targets",
    "feature_matrix",
    "make_dataset",
    "make_optimizer",
    "normalize",
    "predict_classes",
    "read_csv",
    "write_csv",
]
