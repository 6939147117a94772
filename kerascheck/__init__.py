"""kerascheck: find the reasons a Keras model will train to NaN, zero accuracy or no learning.

The static pass (the default) reads sources with libcst and never imports TensorFlow, Keras or the
user's code; see ``kerascheck.engine``.
"""

__version__ = "0.1.0"
