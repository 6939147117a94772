"""KC113 relu-before-softmax: the class scores go through relu, then the output softmax."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines


def kc113(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC113"])


def test_keras2_dense_relu_then_softmax_activation_layer() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, Activation
        from keras.utils import np_utils
        from keras.datasets import mnist

        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        X_train = X_train.reshape(60000, 784).astype('float32') / 255
        Y_train = np_utils.to_categorical(y_train, 10)

        model = Sequential()
        model.add(Dense(512, input_shape=(784,)))
        model.add(Activation('relu'))
        model.add(Dropout(0.2))
        model.add(Dense(10, activation='relu'))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
        model.fit(X_train, Y_train, batch_size=128, epochs=20)
        """
    assert kc113(src) == [("KC113", 14)]


def test_functional_relu_layer_between_scores_and_softmax() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(64, 64, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(5)(x)
        x = layers.ReLU()(x)
        outputs = layers.Softmax()(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc113(src) == [("KC113", 8)]


def test_linear_scores_then_softmax_and_relu_hidden_layers_are_fine() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(256),
            layers.ReLU(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
            layers.Activation("softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        mixed = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
            layers.Activation("softmax", dtype="float32"),
        ])
        """
    assert kc113(src) == []


def test_relu_feature_map_softmax_over_a_reshape_is_not_the_class_scores() -> None:
    # attention weights: relu scores over time steps, softmax after a Flatten
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential([
            keras.Input(shape=(20, 16)),
            layers.Dense(1, activation="relu"),
            layers.Flatten(),
            layers.Activation("softmax"),
        ])
        """
    assert kc113(src) == []
