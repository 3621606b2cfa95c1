"""The Qt side of training: a worker in a QThread that owns the engine, and a GUI-thread controller."""
