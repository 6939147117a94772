"""KC111 accuracy-on-logits (opt-in): a 0.5-threshold accuracy on a one-unit logits head."""

from __future__ import annotations

import textwrap

from kerascheck.config import default_settings
from kerascheck.engine import lint_source
from kerascheck.testing import codes_and_lines, lint_snippet


def kc111(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC111"])


# -- firing --------------------------------------------------------------------------------------------


def test_text_classifier_with_logit_head_and_accuracy_string() -> None:
    src = """\
        import tensorflow as tf

        clf = tf.keras.Sequential([
            tf.keras.layers.Embedding(10000, 16),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(1),
        ])
        clf.compile(optimizer="adam",
                    loss=tf.losses.BinaryCrossentropy(from_logits=True),
                    metrics=["acc"])
        """
    assert kc111(src) == [("KC111", 10)]
    (finding,) = lint_snippet(src, select=["KC111"])
    assert finding.severity == "info" and "threshold=0.0" in finding.message


def test_binary_accuracy_object_without_threshold() -> None:
    src = """\
        import keras

        inputs = keras.Input(shape=(64,))
        logit = keras.layers.Dense(1, activation=None)(keras.layers.Dense(8, activation="relu")(inputs))
        model = keras.Model(inputs, logit)
        model.compile(
            optimizer="adam",
            loss=keras.losses.BinaryCrossentropy(from_logits=True),
            metrics=[keras.metrics.BinaryAccuracy(name="acc"), keras.metrics.AUC(from_logits=True)],
        )
        """
    assert kc111(src) == [("KC111", 9)]


# -- silent --------------------------------------------------------------------------------------------


def test_threshold_zero_sigmoid_head_and_unknown_head() -> None:
    src = """\
        import tensorflow as tf
        from somewhere import encoder

        a = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(1)])
        a.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)])
        b = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid")])
        b.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        c = tf.keras.Sequential([encoder, tf.keras.layers.Dense(1)])
        c.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=["accuracy"])
        d = tf.keras.Sequential([tf.keras.layers.Dense(3)])
        d.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=["accuracy"])
        """
    assert kc111(src) == []


def test_off_by_default() -> None:
    src = """\
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        """
    diagnostics = lint_source(textwrap.dedent(src), "snippet.py", default_settings())
    assert [d.code for d in diagnostics] == []
