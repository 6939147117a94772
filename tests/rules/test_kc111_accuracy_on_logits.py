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


def test_keras2_style_sequential_with_binary_accuracy_string() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        from keras.losses import BinaryCrossentropy

        model = Sequential()
        model.add(Dense(32, input_dim=20, activation="relu"))
        model.add(Dropout(0.2))
        model.add(Dense(1))
        model.compile(optimizer="rmsprop", loss=BinaryCrossentropy(from_logits=True),
                      metrics=["binary_accuracy"])
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc111(src) == [("KC111", 10)]


def test_factory_with_loss_object_held_in_a_variable() -> None:
    src = """\
        import keras

        LOSS = keras.losses.BinaryCrossentropy(from_logits=True)


        def build_classifier(width):
            model = keras.Sequential([
                keras.Input(shape=(width,)),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(1),
            ])
            model.compile(optimizer="adam", loss=LOSS, metrics=["accuracy"])
            return model


        clf = build_classifier(30)
        """
    assert kc111(src) == [("KC111", 12)]


def test_logits_head_with_auc_and_thresholded_accuracy_only() -> None:
    src = """\
        import keras

        model = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(1)])
        model.compile(
            optimizer="adam",
            loss=keras.losses.BinaryCrossentropy(from_logits=True),
            metrics=[keras.metrics.AUC(from_logits=True), keras.metrics.BinaryAccuracy(threshold=0.0)],
        )
        """
    assert kc111(src) == []


def test_probability_head_with_explicit_from_logits_false() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([
            keras.layers.Dense(16, activation="relu", input_shape=(8,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=False),
                      metrics=["accuracy"])
        """
    assert kc111(src) == []


def test_multiclass_logits_with_sparse_loss_and_custom_loss_are_not_this_rule() -> None:
    src = """\
        import tensorflow as tf

        def smooth_bce(y_true, y_pred):
            return tf.keras.losses.binary_crossentropy(y_true, y_pred, label_smoothing=0.1)

        multi = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(10)])
        multi.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        custom = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        custom.compile(optimizer="adam", loss=smooth_bce, metrics=["accuracy"])
        """
    assert kc111(src) == []
