"""KC409 dense-on-feature-map: a Dense head on a conv/pooling map without Flatten/global pooling."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc409(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC409"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_convnet_without_flatten() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc409(src) == [("KC409", 10)]
    (finding,) = lint_snippet(src, select=["KC409"])
    assert "Dense(128) follows MaxPooling2D" in finding.message
    assert "Flatten()" in finding.message


def test_keras2_add_style_with_dropout_between() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Convolution2D, MaxPooling2D, Dropout, Dense, Activation

        model = Sequential()
        model.add(Convolution2D(32, 3, 3, input_shape=(64, 64, 3)))
        model.add(Activation('relu'))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Dropout(0.25))
        model.add(Dense(64))
        model.add(Activation('relu'))
        model.add(Dense(5))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, Y, nb_epoch=10)
        """
    assert kc409(src) == [("KC409", 9)]


def test_tf_keras_binary_classifier_dense_right_after_pooling() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.models.Sequential([
            tf.keras.layers.Conv2D(16, (3, 3), activation="relu", input_shape=(150, 150, 3)),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
        """
    assert kc409(src) == [("KC409", 8)]


def test_batchnorm_between_conv_and_dense_in_a_factory() -> None:
    src = """\
        from tensorflow.keras import layers, models

        def make_model(num_classes):
            model = models.Sequential()
            model.add(layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)))
            model.add(layers.AveragePooling2D())
            model.add(layers.Conv2D(64, 3, activation="relu"))
            model.add(layers.BatchNormalization())
            model.add(layers.Dense(num_classes, activation="softmax"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            return model

        model = make_model(10)
        """
    assert kc409(src) == [("KC409", 9)]


# -- not firing ----------------------------------------------------------------------------------------


def test_flatten_before_dense() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc409(src) == []


def test_global_average_pooling_before_dense() -> None:
    src = """\
        from tensorflow.keras import layers, models

        model = models.Sequential([
            layers.Conv2D(64, 3, activation="relu", input_shape=(96, 96, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(128, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc409(src) == []


def test_per_pixel_segmentation_head_after_upsampling() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(128, 128, 3)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.UpSampling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc409(src) == []


def test_conv1d_per_timestep_dense() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Conv1D, MaxPooling1D, Dense

        model = Sequential()
        model.add(Conv1D(64, 3, activation='relu', input_shape=(100, 8)))
        model.add(MaxPooling1D(2))
        model.add(Dense(3, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
        """
    assert kc409(src) == []


def test_dense_on_the_map_then_flatten() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc409(src) == []


def test_convolutional_autoencoder_with_mse() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc409(src) == []


def test_functional_reshape_before_dense() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Reshape((-1,))(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc409(src) == []


def test_conv1d_text_classifier_on_imdb_labels_without_flatten() -> None:
    src = """\
        from keras.datasets import imdb
        from keras.preprocessing.sequence import pad_sequences
        from keras.models import Sequential
        from keras.layers import Embedding, Conv1D, MaxPooling1D, Dense, Dropout

        (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=10000)
        x_train = pad_sequences(x_train, maxlen=400)
        model = Sequential()
        model.add(Embedding(10000, 50, input_length=400))
        model.add(Conv1D(64, 5, activation='relu'))
        model.add(MaxPooling1D(4))
        model.add(Dropout(0.3))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=5, batch_size=32)
        """
    assert kc409(src) == [("KC409", 13)]
    assert "GlobalAveragePooling1D" in lint_snippet(src, select=["KC409"])[0].message


def test_conv1d_classifier_with_global_pooling_on_imdb_labels() -> None:
    src = """\
        from keras.datasets import imdb
        from keras.preprocessing.sequence import pad_sequences
        from keras.models import Sequential
        from keras.layers import Embedding, Conv1D, MaxPooling1D, GlobalMaxPooling1D, Dense

        (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=10000)
        x_train = pad_sequences(x_train, maxlen=400)
        model = Sequential()
        model.add(Embedding(10000, 50, input_length=400))
        model.add(Conv1D(64, 5, activation='relu'))
        model.add(MaxPooling1D(4))
        model.add(Conv1D(64, 5, activation='relu'))
        model.add(GlobalMaxPooling1D())
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=5, batch_size=32)
        """
    assert kc409(src) == []
