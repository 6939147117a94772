"""KC408 channels-first-input-shape: (1, H, W)/(3, H, W) given to a channels_last Conv2D."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc408(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC408"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_sequential_input_shape() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            layers.Conv2D(32, (3, 3), activation="relu", input_shape=(1, 28, 28)),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc408(src) == [("KC408", 5)]
    (finding,) = lint_snippet(src, select=["KC408"])
    assert "(1, 28, 28)" in finding.message and "(28, 28, 1)" in finding.message
    assert 'data_format="channels_first"' in finding.message


def test_keras1_mnist_cnn_run_on_modern_keras() -> None:
    src = """\
        from keras.datasets import mnist
        from keras.models import Sequential
        from keras.layers import Activation, Dense, Flatten, Convolution2D, MaxPooling2D

        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        X_train = X_train.reshape(X_train.shape[0], 1, 28, 28).astype('float32') / 255

        model = Sequential()
        model.add(Convolution2D(32, 3, 3, activation='relu', input_shape=(1, 28, 28)))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X_train, Y_train, batch_size=32, nb_epoch=10)
        """
    assert kc408(src) == [("KC408", 9)]


def test_functional_input_channels_first_cifar() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input(shape=(3, 32, 32))
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc408(src) == [("KC408", 4)]


def test_shape_from_variables_in_a_factory() -> None:
    src = """\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Conv2D, Flatten, Dense

        img_rows, img_cols = 64, 64
        input_shape = (3, img_rows, img_cols)

        def build():
            model = Sequential()
            model.add(Conv2D(16, kernel_size=(5, 5), activation='relu', input_shape=input_shape))
            model.add(Flatten())
            model.add(Dense(2, activation='softmax'))
            return model

        model = build()
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        """
    assert kc408(src) == [("KC408", 9)]


def test_keras_input_in_a_sequential_list() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(1, 96, 96)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc408(src) == [("KC408", 5)]


# -- not firing ----------------------------------------------------------------------------------------


def test_channels_last_shape() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc408(src) == []


def test_explicit_channels_first() -> None:
    src = """\
        from tensorflow.keras import layers, models

        model = models.Sequential()
        model.add(layers.Conv2D(32, (3, 3), data_format="channels_first", input_shape=(3, 32, 32)))
        model.add(layers.Flatten())
        model.add(layers.Dense(10, activation="softmax"))
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc408(src) == []


def test_global_layout_set_to_channels_first() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense

        K.set_image_data_format('channels_first')
        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(1, 28, 28)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
        """
    assert kc408(src) == []


def test_keras_example_that_asks_for_the_layout() -> None:
    src = """\
        import keras
        from keras import backend as K
        from keras.layers import Conv2D, Dense, Flatten
        from keras.models import Sequential

        img_rows, img_cols = 28, 28
        if K.image_data_format() == 'channels_last':
            input_shape = (img_rows, img_cols, 1)
        else:
            input_shape = (1, img_rows, img_cols)

        model = Sequential()
        model.add(Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=input_shape))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss=keras.losses.categorical_crossentropy, optimizer='adadelta')
        """
    assert kc408(src) == []


def test_keras1_dim_ordering_th() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Convolution2D, Flatten, Dense

        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(3, 32, 32), dim_ordering='th'))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='sgd')
        """
    assert kc408(src) == []


def test_height_one_kernel_on_sensor_windows() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(64, (1, 5), activation="relu", input_shape=(1, 128, 9)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(6, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc408(src) == []


def test_transpose_before_the_first_convolution() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input(shape=(3, 64, 64))
        x = tf.transpose(inputs, [0, 2, 3, 1])
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc408(src) == []


def test_small_feature_grid_is_not_an_image() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(3, 3, 64)),
            layers.Conv2D(64, 2, activation="relu"),
            layers.Flatten(),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc408(src) == []
