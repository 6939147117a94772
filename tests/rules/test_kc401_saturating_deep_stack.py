"""KC401 saturating-deep-stack: runs of hidden sigmoid/tanh layers with nothing normalising between."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc401(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC401"], options={"KC401": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_add_style_with_activation_layers_and_dropout() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation, Dropout
        from keras.optimizers import SGD

        model = Sequential()
        model.add(Dense(64, input_dim=20, init='uniform'))
        model.add(Activation('sigmoid'))
        model.add(Dropout(0.5))
        model.add(Dense(64, init='uniform'))
        model.add(Activation('sigmoid'))
        model.add(Dropout(0.5))
        model.add(Dense(64, init='uniform'))
        model.add(Activation('sigmoid'))
        model.add(Dense(1, init='uniform'))
        model.add(Activation('sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer=SGD(lr=0.1), metrics=['accuracy'])
        model.fit(X_train, y_train, nb_epoch=20, batch_size=16)
        """
    assert kc401(src) == [("KC401", 6)]
    (finding,) = lint_snippet(src, select=["KC401"])
    assert "3 consecutive hidden Dense layers" in finding.message and "sigmoid" in finding.message
    assert "relu" in finding.message and finding.severity == "warning"


def test_tf_keras_functional_sigmoid_stack() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(784,))
        x = layers.Dense(512, activation=tf.nn.sigmoid)(inputs)
        x = layers.Dense(256, activation="sigmoid")(x)
        x = layers.Dense(128, activation="sigmoid")(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc401(src) == [("KC401", 6)]


def test_factory_with_constant_loop_and_activation_in_a_variable() -> None:
    src = """\
        import keras
        from keras import layers

        HIDDEN_ACTIVATION = "sigmoid"

        def build_model(n_hidden=5, units=128):
            model = keras.Sequential()
            model.add(keras.Input(shape=(30,)))
            for _ in range(n_hidden):
                model.add(layers.Dense(units, activation=HIDDEN_ACTIVATION))
            model.add(layers.Dense(1, activation="sigmoid"))
            model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
            return model

        model = build_model()
        model.fit(x_train, y_train, epochs=50, validation_split=0.2)
        """
    assert kc401(src) == [("KC401", 10)]


def test_long_tanh_only_stack() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(100, activation="tanh", input_shape=(8,)),
            tf.keras.layers.Dense(100, activation="tanh"),
            tf.keras.layers.Dense(100, activation="tanh"),
            tf.keras.layers.Dense(100, activation="tanh"),
            tf.keras.layers.Dense(100, activation="tanh"),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.01), loss="mse")
        model.fit(X, y, epochs=200)
        """
    assert kc401(src) == [("KC401", 4)]
    (finding,) = lint_snippet(src, select=["KC401"])
    assert "5 consecutive" in finding.message and "tanh" in finding.message


def test_conv_stack_with_pooling_between() -> None:
    src = """\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='sigmoid', input_shape=(64, 64, 3)))
        model.add(MaxPooling2D((2, 2)))
        model.add(Conv2D(64, (3, 3), activation='sigmoid'))
        model.add(MaxPooling2D((2, 2)))
        model.add(Conv2D(64, (3, 3), activation='sigmoid'))
        model.add(Flatten())
        model.add(Dense(1, activation='sigmoid'))
        model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
        """
    assert kc401(src) == [("KC401", 5)]


def test_subclassed_model() -> None:
    src = """\
        import keras
        from keras import layers

        class MLP(keras.Model):
            def __init__(self):
                super().__init__()
                self.h1 = layers.Dense(128, activation="sigmoid")
                self.h2 = layers.Dense(128, activation="sigmoid")
                self.h3 = layers.Dense(64, activation="hard_sigmoid")
                self.out = layers.Dense(10)

            def call(self, x):
                return self.out(self.h3(self.h2(self.h1(x))))

        model = MLP()
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        """
    assert kc401(src) == [("KC401", 7)]


# -- not firing ----------------------------------------------------------------------------------------


def test_two_sigmoid_hidden_layers_are_below_the_threshold() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(12, input_dim=8, activation='sigmoid'))
        model.add(Dense(8, activation='sigmoid'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, Y, epochs=150, batch_size=10)
        """
    assert kc401(src) == []


def test_batch_normalization_between_breaks_the_run() -> None:
    src = """\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Activation, BatchNormalization, Dense

        model = Sequential()
        model.add(Dense(128, input_shape=(20,)))
        model.add(BatchNormalization())
        model.add(Activation('sigmoid'))
        model.add(Dense(128))
        model.add(BatchNormalization())
        model.add(Activation('sigmoid'))
        model.add(Dense(128))
        model.add(BatchNormalization())
        model.add(Activation('sigmoid'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
        """
    assert kc401(src) == []


def test_four_tanh_layers_are_below_the_tanh_threshold() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(13,)),
            layers.Dense(64, activation="tanh"),
            layers.Dense(64, activation="tanh"),
            layers.Dense(64, activation="tanh"),
            layers.Dense(64, activation="tanh"),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """
    assert kc401(src) == []


def test_stacked_lstms_are_not_counted() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Dropout

        model = Sequential()
        model.add(LSTM(50, return_sequences=True, input_shape=(60, 1)))
        model.add(Dropout(0.2))
        model.add(LSTM(50, return_sequences=True))
        model.add(LSTM(50, return_sequences=True))
        model.add(LSTM(50))
        model.add(Dense(1))
        model.compile(optimizer='adam', loss='mean_squared_error')
        """
    assert kc401(src) == []


def test_relu_hidden_layers_with_sigmoid_output() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(256, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc401(src) == []


def test_unknown_depth_is_not_judged() -> None:
    src = """\
        import keras
        from keras import layers

        def build_model(n_layers, units):
            model = keras.Sequential([keras.Input(shape=(10,))])
            for _ in range(n_layers):
                model.add(layers.Dense(units, activation="sigmoid"))
            model.add(layers.Dense(1))
            model.compile(optimizer="adam", loss="mse")
            return model

        model = build_model(args.layers, args.units)
        """
    assert kc401(src) == []


def test_residual_sum_breaks_the_run() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(64,))
        x = layers.Dense(64, activation="tanh")(inputs)
        y = layers.Dense(64, activation="sigmoid")(x)
        y = layers.Dense(64, activation="sigmoid")(y)
        x = x + y
        x = layers.Dense(64, activation="sigmoid")(x)
        x = layers.Dense(64, activation="sigmoid")(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc401(src) == []


def test_threshold_option() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(16,)),
            layers.Dense(32, activation="sigmoid"),
            layers.Dense(32, activation="sigmoid"),
            layers.Dense(32, activation="sigmoid"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc401(src) == [("KC401", 6)]
    assert kc401(src, **{"min-layers": 4}) == []


def test_a_short_loop_over_a_long_known_range_is_unrolled() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(50, input_dim=10, activation="relu"))
        for _ in range(20):
            model.add(Dense(50, activation="sigmoid"))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """
    findings = lint_snippet(src, select=["KC401"])
    assert [(f.code, f.line) for f in findings] == [("KC401", 7)]
    assert findings[0].message.startswith("20 consecutive")
