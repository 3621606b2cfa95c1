"""The engine: pure numpy, no Qt. Everything the window shows is computed here.

>>> from visualizer.engine import Network
>>> net = Network([2, 4, 2, 1], activation="tanh", output="tanh", loss="squared", seed=0)
>>> net.forward([[0.5, -1.0]]).shape
(1, 1)
"""

from .activations import ACTIVATIONS, DERIVATIVES, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .data import (
    CLASSIFICATION_2D,
    DATASET_NAMES,
    DATASETS,
    POINTS_RANGE,
    REGRESSION_2D,
    TABLES,
    CSVFormatError,
    CSVPreview,
    Dataset,
    Expression,
    ExpressionError,
    PointStore,
    dataset_names,
    function_dataset,
    is_two_d,
    make_dataset,
    normalize,
    parse_expression,
    preview_csv,
    read_csv,
    write_csv,
)
from .evaluation import Evaluation, confusion_matrix, r2_score, recall_per_class, rmse
from .experiment import PLAYGROUND_LEARNING_RATES, PLAYGROUND_REG_RATES, Config, Experiment, build
from .features import FEATURES, feature_matrix
from .grid import GridEvaluator, GridResult
from .losses import LOSSES
from .network import INITS, Network
from .optimizers import OPTIMIZERS, make_optimizer
from .slicing import SliceGridEvaluator, SliceGridResult, slice_grid
from .stopping import StopCriteria, StopReason
from .targets import encode_targets, predict_classes
from .trainer import Trainer

__all__ = [
    "ACTIVATIONS",
    "CLASSIFICATION_2D",
    "DATASETS",
    "DATASET_NAMES",
    "DERIVATIVES",
    "FEATURES",
    "HIDDEN_ACTIVATIONS",
    "INITS",
    "LOSSES",
    "OPTIMIZERS",
    "OUTPUT_ACTIVATIONS",
    "PLAYGROUND_LEARNING_RATES",
    "PLAYGROUND_REG_RATES",
    "POINTS_RANGE",
    "REGRESSION_2D",
    "TABLES",
    "CSVFormatError",
    "CSVPreview",
    "Config",
    "Dataset",
    "Evaluation",
    "Experiment",
    "Expression",
    "ExpressionError",
    "GridEvaluator",
    "GridResult",
    "Network",
    "PointStore",
    "SliceGridEvaluator",
    "SliceGridResult",
    "StopCriteria",
    "StopReason",
    "Trainer",
    "build",
    "confusion_matrix",
    "dataset_names",
    "encode_targets",
    "feature_matrix",
    "function_dataset",
    "is_two_d",
    "make_dataset",
    "make_optimizer",
    "normalize",
    "parse_expression",
    "predict_classes",
    "preview_csv",
    "r2_score",
    "read_csv",
    "recall_per_class",
    "rmse",
    "slice_grid",
    "write_csv",
]
