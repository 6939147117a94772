"""KC202 learning-rate-too-low: a starting learning rate below 1e-6, zero or negative."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc202(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC202"], options={"KC202": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_typo_rate_on_functional_model() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(None,), dtype="int64")
        x = layers.Embedding(20000, 128)(inputs)
        x = layers.GlobalMaxPooling1D()(x)
        predictions = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, predictions)
        model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=1e-8),
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """
    assert kc202(src) == [("KC202", 9)]
    (finding,) = lint_snippet(src, select=["KC202"])
    assert "Adam(learning_rate=1e-8)" in finding.message and "1e-6" in finding.message
    assert finding.severity == "warning"


def test_keras2_lr_zero_through_a_variable() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import SGD

        learning_rate = 0
        model = Sequential()
        model.add(Dense(64, activation="relu", input_dim=20))
        model.add(Dense(1, activation="sigmoid"))
        sgd = SGD(lr=learning_rate, momentum=0.9)
        model.compile(loss="binary_crossentropy", optimizer=sgd)
        model.fit(X, Y, epochs=10)
        """
    assert kc202(src) == [("KC202", 9)]
    assert "zero" in lint_snippet(src, select=["KC202"])[0].message


def test_tf_keras_factory_with_a_divided_rate() -> None:
    src = """\
        import tensorflow as tf

        BASE_LR = 1e-4

        def make_model(lr):
            model = tf.keras.Sequential([
                tf.keras.layers.Dense(32, activation="relu", input_shape=(10,)),
                tf.keras.layers.Dense(1),
            ])
            model.compile(optimizer=tf.keras.optimizers.RMSprop(lr), loss="mse")
            return model

        model = make_model(BASE_LR / 1000)
        model.fit(x, y, epochs=100)
        """
    assert kc202(src) == [("KC202", 10)]


def test_schedule_starting_too_low() -> None:
    src = """\
        import keras

        schedule = keras.optimizers.schedules.ExponentialDecay(
            initial_learning_rate=5e-9, decay_steps=1000, decay_rate=0.9)
        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule),
                      loss="sparse_categorical_crossentropy")
        """
    assert kc202(src) == [("KC202", 6)]


def test_negative_rate_and_option() -> None:
    src = """\
        import keras

        opt = keras.optimizers.Adam(-0.001)
        slow = keras.optimizers.Adam(5e-6)
        """
    assert kc202(src) == [("KC202", 3)]
    assert kc202(src, min=1e-5) == [("KC202", 3), ("KC202", 4)]


# -- not firing ----------------------------------------------------------------------------------------


def test_fine_tuning_rates() -> None:
    src = """\
        import tensorflow as tf

        base_model = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False)
        base_model.trainable = True
        model = tf.keras.Sequential([base_model, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.RMSprop(learning_rate=1e-5),
                      loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
        bert_opt = tf.keras.optimizers.Adam(learning_rate=2e-5, epsilon=1e-8)
        floor = tf.keras.optimizers.Adam(1e-6)
        """
    assert kc202(src) == []


def test_string_and_default_optimizers() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(1, activation="sigmoid", input_dim=8))
        model.compile(loss="binary_crossentropy", optimizer="sgd")
        """
    assert kc202(src) == []


def test_warmup_from_zero() -> None:
    src = """\
        import keras

        schedule = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=0.0, decay_steps=10000, warmup_target=1e-3, warmup_steps=1000)
        optimizer = keras.optimizers.AdamW(learning_rate=schedule, weight_decay=0.05)
        """
    assert kc202(src) == []


def test_decayed_values_are_not_judged() -> None:
    src = """\
        import keras

        poly = keras.optimizers.schedules.PolynomialDecay(1e-3, 10000, end_learning_rate=1e-9)
        steps = keras.optimizers.schedules.PiecewiseConstantDecay([1000, 2000], [1e-3, 1e-5, 1e-8])
        a = keras.optimizers.SGD(poly, momentum=0.9)
        b = keras.optimizers.Adam(steps)
        """
    assert kc202(src) == []


def test_lr_range_test_callback_sets_the_rate() -> None:
    src = """\
        import keras
        from keras import backend as K

        class LRFinder(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                lr = K.get_value(self.model.optimizer.learning_rate) * 1.1
                K.set_value(self.model.optimizer.learning_rate, lr)

        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-7), loss="mse")
        model.fit(x, y, epochs=1, callbacks=[LRFinder()])
        """
    assert kc202(src) == []


def test_sweep_over_rates() -> None:
    src = """\
        import keras

        for lr in [1e-2, 1e-4, 1e-8]:
            model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
            model.fit(x, y, epochs=5)
        """
    assert kc202(src) == []
