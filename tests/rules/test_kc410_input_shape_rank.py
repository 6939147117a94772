"""KC410 input-shape-rank: an input shape with the wrong number of axes for the first layer."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc410(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC410"])


# -- firing --------------------------------------------------------------------------------------------


def test_conv2d_with_the_batch_axis_included() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Conv2D(32, (3, 3), activation="relu", input_shape=(None, 64, 64, 1)),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc410(src) == [("KC410", 5)]
    (finding,) = lint_snippet(src, select=["KC410"])
    assert finding.severity == "error"
    assert "batch axis" in finding.message and "(64, 64, 1)" in finding.message


def test_keras2_lstm_with_batch_size_in_input_shape() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense

        batch_size, timesteps, features = 32, 10, 4
        model = Sequential()
        model.add(LSTM(50, input_shape=(batch_size, timesteps, features)))
        model.add(Dense(1))
        model.compile(loss='mean_squared_error', optimizer='adam')
        model.fit(X, y, nb_epoch=100, batch_size=batch_size)
        """
    assert kc410(src) == [("KC410", 6)]
    (finding,) = lint_snippet(src, select=["KC410"])
    assert "(10, 4)" in finding.message


def test_grayscale_images_without_channel_axis() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc410(src) == [("KC410", 4)]
    (finding,) = lint_snippet(src, select=["KC410"])
    assert "(28, 28, 1)" in finding.message


def test_functional_input_with_batch_axis() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(None, 32, 32, 3))
        x = layers.Conv2D(16, 3, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc410(src) == [("KC410", 4)]


def test_conv1d_with_flat_input_in_a_factory() -> None:
    src = """\
        import keras
        from keras import layers

        def build_model(n_samples=187):
            model = keras.Sequential()
            model.add(layers.Conv1D(32, 5, activation="relu", input_shape=(n_samples,)))
            model.add(layers.GlobalMaxPooling1D())
            model.add(layers.Dense(5, activation="softmax"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            return model

        model = build_model()
        """
    assert kc410(src) == [("KC410", 6)]


def test_batch_input_shape_without_feature_axis() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense

        model = Sequential()
        model.add(LSTM(4, batch_input_shape=(1, 10), stateful=True))
        model.add(Dense(1))
        model.compile(loss='mse', optimizer='adam')
        """
    assert kc410(src) == [("KC410", 5)]


# -- not firing ----------------------------------------------------------------------------------------


def test_dense_on_a_sequence_shape() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Dense(32, activation="relu", input_shape=(None, 20)),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc410(src) == []


def test_lstm_shape_from_variables() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Dropout

        model = Sequential()
        model.add(LSTM(units=50, return_sequences=True, input_shape=(X_train.shape[1], 1)))
        model.add(Dropout(0.2))
        model.add(LSTM(units=50))
        model.add(Dense(units=1))
        model.compile(optimizer='adam', loss='mean_squared_error')
        """
    assert kc410(src) == []


def test_stateful_lstm_batch_input_shape() -> None:
    src = """\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import LSTM, Dense

        look_back = 3
        model = Sequential()
        model.add(LSTM(4, batch_input_shape=(1, 1, look_back), stateful=True))
        model.add(Dense(1))
        model.compile(loss='mean_squared_error', optimizer='adam')
        """
    assert kc410(src) == []


def test_image_shapes_that_fit() -> None:
    src = """\
        import keras
        from keras import layers

        a = keras.Sequential([keras.Input(shape=(None, None, 3)), layers.Conv2D(8, 3), layers.Conv2D(1, 1)])
        b = keras.Sequential([layers.Conv3D(8, 3, input_shape=(16, 64, 64, 1)), layers.Flatten(),
                              layers.Dense(2, activation="softmax")])
        c = keras.Sequential([layers.Dense(12, input_dim=8, activation="relu"), layers.Dense(1)])
        """
    assert kc410(src) == []


def test_reshape_first_then_conv() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Reshape((28, 28, 1), input_shape=(784,)),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc410(src) == []


def test_shape_not_known_statically() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=x_train.shape[1:]),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc410(src) == []


def test_bidirectional_lstm_with_two_axes() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(None, 16))
        x = layers.Bidirectional(layers.LSTM(32))(inputs)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc410(src) == []


# -- audit regressions: starred elements in a shape tuple ------------------------------------------


def test_starred_array_shape_splices_unknown_axes() -> None:
    # ``(None, *frames.shape[2:])`` has as many axes as the array has; the starred
    # element is not one axis, so the rank is unknown and nothing can be claimed.
    src = """\
        import numpy as np
        import keras
        from keras import layers

        frames = np.load("clips.npy")
        inputs = layers.Input(shape=(None, *frames.shape[2:]))
        x = layers.ConvLSTM2D(16, (3, 3), padding="same", return_sequences=True)(inputs)
        x = layers.BatchNormalization()(x)
        outputs = layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc410(src) == []


def test_starred_literal_size_is_spliced() -> None:
    src = """\
        import keras
        from keras import layers

        PATCH = [96, 96]
        model = keras.Sequential([
            keras.Input(shape=[*PATCH, 3]),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc410(src) == []


def test_starred_literal_size_without_channels_still_fires() -> None:
    src = """\
        import keras
        from keras import layers

        SIDE = (48, 48)
        model = keras.Sequential([
            keras.Input(shape=(*SIDE,)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(7, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc410(src) == [("KC410", 6)]
