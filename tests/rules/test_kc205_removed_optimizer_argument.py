"""KC205 removed-optimizer-argument: lr= and decay= on (non-legacy) Keras optimizers."""

from __future__ import annotations

from kerascheck.rules.base import all_rules
from kerascheck.testing import codes_and_lines, lint_snippet


def kc205(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC205"])


def test_declares_safe_and_unsafe_fixes() -> None:
    assert all_rules()["KC205"].fixable == "mixed"


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_sgd_lr_and_decay_reported_at_each_keyword() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        from keras.optimizers import SGD

        model = Sequential()
        model.add(Dense(64, activation="relu", input_dim=20))
        model.add(Dropout(0.5))
        model.add(Dense(10, activation="softmax"))
        sgd = SGD(lr=0.01,
                  decay=1e-6, momentum=0.9, nesterov=True)
        model.compile(loss="categorical_crossentropy", optimizer=sgd, metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=20, batch_size=128)
        """
    assert kc205(src) == [("KC205", 9), ("KC205", 10)]
    lr, decay = lint_snippet(src, select=["KC205"])
    assert lr.column == 11 and "learning_rate=0.01" in lr.message and "default rate 0.01;" in lr.message
    assert "InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)" in decay.message
    assert lr.severity == "error"


def test_tf_keras_inline_optimizer_in_compile() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers, models

        model = models.Sequential()
        model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
        model.add(layers.Flatten())
        model.add(layers.Dense(10))
        model.compile(optimizer=tf.keras.optimizers.Adam(lr=0.001),
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        """
    assert kc205(src) == [("KC205", 8)]


def test_keras3_factory_and_variable() -> None:
    src = """\
        import keras
        from keras import layers

        LEARNING_RATE = 3e-4

        def get_model():
            model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.RMSprop(lr=LEARNING_RATE), loss="mse")
            return model

        model = get_model()
        """
    assert kc205(src) == [("KC205", 8)]
    assert "RMSprop(lr=0.0003)" in lint_snippet(src, select=["KC205"])[0].message


def test_decay_zero_and_unattached_optimizer() -> None:
    src = """\
        from tensorflow.keras.optimizers import Adam

        adam = Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False)
        """
    assert kc205(src) == [("KC205", 3)]
    assert "delete it" in lint_snippet(src, select=["KC205"])[0].message


# -- not firing ----------------------------------------------------------------------------------------


def test_learning_rate_keyword_and_positional() -> None:
    src = """\
        import keras

        a = keras.optimizers.Adam(learning_rate=1e-3)
        b = keras.optimizers.SGD(0.01, momentum=0.9)
        c = keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=0.004)
        """
    assert kc205(src) == []


def test_legacy_optimizers_accept_lr_and_decay() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras.optimizers import legacy

        a = tf.keras.optimizers.legacy.SGD(lr=0.01, decay=1e-6, momentum=0.9)
        b = legacy.Adam(learning_rate=0.001, decay=0.001 / 30)
        """
    assert kc205(src) == []


def test_tf_keras_pinned_file() -> None:
    src = """\
        import tf_keras as keras

        model = keras.models.Sequential()
        model.add(keras.layers.Dense(10, activation="softmax", input_shape=(100,)))
        sgd = keras.optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
        model.compile(loss="categorical_crossentropy", optimizer=sgd)
        """
    assert kc205(src) == []


def test_tf_compat_v1_pinned_file() -> None:
    src = """\
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        from keras.optimizers import Adam

        opt = Adam(lr=0.0002, beta_1=0.5)
        """
    assert kc205(src) == []


def test_tf1_optimizers_and_weight_decay() -> None:
    src = """\
        import tensorflow as tf

        opt = tf.compat.v1.train.AdamOptimizer(learning_rate=0.001)
        adamw = tf.keras.optimizers.AdamW(weight_decay=1e-4)
        """
    assert kc205(src) == []


def test_string_optimizer_and_other_lr_keywords() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        reduce = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, min_lr=0.001)
        """
    assert kc205(src) == []


def test_a_rate_that_is_also_too_high_gets_kc201s_advice_not_its_own_value() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import Adam

        model = Sequential([Dense(32, activation="relu", input_shape=(8,)),
                            Dense(1, activation="sigmoid")])
        model.compile(optimizer=Adam(lr=0.1), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=10)
        """
    findings = lint_snippet(src, select=["KC201", "KC205"])
    assert [(f.code, f.line) for f in findings] == [("KC201", 7), ("KC205", 7)]
    kc201, kc205 = findings
    assert "learning_rate=0.001" in kc201.message
    assert "write learning_rate=0.001" in kc205.message and "learning_rate=0.1" not in kc205.message
    assert kc205.severity == "error"
