"""KC901 removed-keras2-argument: Keras 1 keywords (nb_epoch, init, output_dim, border_mode...)."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc901(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC901"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras1_pima_init_and_nb_epoch_each_keyword() -> None:
    src = """\
        import numpy
        from keras.models import Sequential
        from keras.layers import Dense

        dataset = numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",")
        X = dataset[:, 0:8]
        Y = dataset[:, 8]
        model = Sequential()
        model.add(Dense(12, input_dim=8, init="uniform", activation="relu"))
        model.add(Dense(1, init="uniform", activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X, Y, nb_epoch=150, batch_size=10)
        """
    assert kc901(src) == [("KC901", 9), ("KC901", 10), ("KC901", 12)]
    init, _, epochs = lint_snippet(src, select=["KC901"])
    assert init.column == 34 and "kernel_initializer='uniform'" in init.message
    assert "TypeError" in init.message and init.severity == "warning"
    assert "rename it to epochs=" in epochs.message


def test_keras1_convnet_keywords() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense, Dropout
        from keras.regularizers import l2

        model = Sequential()
        model.add(Convolution2D(nb_filter=32, nb_row=3, nb_col=3, border_mode="same",
                                dim_ordering="th", input_shape=(1, 28, 28)))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(output_dim=128, W_regularizer=l2(0.01), activation="relu"))
        model.add(Dropout(p=0.5))
        model.add(Dense(10, activation="softmax"))
        """
    assert kc901(src) == [("KC901", 6)] * 4 + [("KC901", 7)] + [("KC901", 10)] * 2 + [("KC901", 11)]
    messages = " | ".join(f.message for f in lint_snippet(src, select=["KC901"]))
    for expected in ("filters=32", "kernel_size=(3, 3)", "padding='same'", "data_format='channels_first'",
                     "units=128", "kernel_regularizer=", "rate=0.5"):
        assert expected in messages


def test_functional_keras1_model_and_recurrent_keywords() -> None:
    src = """\
        from keras.models import Model
        from keras.layers import Input, Embedding, LSTM, Dense

        inputs = Input(shape=(100,))
        x = Embedding(input_dim=20000, output_dim=128, init="uniform")(inputs)
        x = LSTM(output_dim=64, dropout_W=0.2, dropout_U=0.2, inner_activation="hard_sigmoid")(x)
        outputs = Dense(1, activation="sigmoid")(x)
        model = Model(input=inputs, output=outputs)
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """
    assert kc901(src) == [("KC901", 5)] + [("KC901", 6)] * 4 + [("KC901", 8)] * 2
    messages = [f.message for f in lint_snippet(src, select=["KC901"])]
    assert any("embeddings_initializer" in m for m in messages)
    assert not any("Embedding(output_dim" in m for m in messages)
    assert any("Model(inputs=...)" in m for m in messages)


def test_tf_keras_fit_generator_keras1_counts_in_a_factory() -> None:
    src = """\
        import tensorflow as tf

        def train(model, gen, val_gen):
            model.fit_generator(gen, samples_per_epoch=2000, nb_epoch=50,
                                validation_data=val_gen, nb_val_samples=800)
            return model

        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(4,))])
        model.compile(optimizer="adam", loss="mse")
        train(model, train_gen, val_gen)
        """
    assert kc901(src) == [("KC901", 4), ("KC901", 4), ("KC901", 5)]
    assert "steps_per_epoch=" in lint_snippet(src, select=["KC901"])[0].message


def test_keras2_show_accuracy_and_batchnorm_mode() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.layers.normalization import BatchNormalization

        model = Sequential()
        model.add(Dense(64, input_dim=10, activation="relu"))
        model.add(BatchNormalization(mode=0))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="rmsprop")
        model.fit(X, y, epochs=10, show_accuracy=True)
        """
    assert kc901(src) == [("KC901", 7), ("KC901", 10)]


# -- not firing ----------------------------------------------------------------------------------------


def test_keras2_spellings_are_fine() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D

        model = Sequential()
        model.add(Conv2D(32, kernel_size=(3, 3), padding="same", strides=(1, 1),
                         kernel_initializer="he_normal", input_shape=(28, 28, 1)))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(units=128, kernel_regularizer=None, activation="relu"))
        model.add(Dropout(rate=0.5))
        model.add(Dense(10, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(X, Y, epochs=12, batch_size=128)
        """
    assert kc901(src) == []


def test_embedding_output_dim_is_valid() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(200,)),
            layers.Embedding(input_dim=20000, output_dim=128),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc901(src) == []


def test_nb_epoch_as_a_variable_name() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        nb_epoch = 20
        nb_classes = 10
        model = Sequential()
        model.add(Dense(nb_classes, activation="softmax", input_shape=(784,)))
        model.compile(loss="categorical_crossentropy", optimizer="sgd")
        model.fit(X_train, Y_train, epochs=nb_epoch, batch_size=128)
        """
    assert kc901(src) == []


def test_functional_model_with_inputs_outputs() -> None:
    src = """\
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(32,))
        x = tf.keras.layers.Dense(64, activation="relu")(inputs)
        outputs = tf.keras.layers.Dense(1)(x)
        model = tf.keras.Model(inputs=inputs, outputs=outputs, name="regressor")
        model.compile(optimizer="adam", loss="mse")
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc901(src) == []


def test_same_keywords_on_non_keras_calls() -> None:
    src = """\
        import torch
        from sklearn.decomposition import NMF
        import keras

        nmf = NMF(n_components=5, init="random")
        drop = torch.nn.Dropout(p=0.5)
        model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc901(src) == []


def test_subclassed_model_fit_keywords() -> None:
    src = """\
        import keras
        from keras import layers

        class Regressor(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = layers.Dense(32, activation="relu")
                self.out = layers.Dense(1)

            def call(self, x):
                return self.out(self.hidden(x))

        model = Regressor()
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=10, validation_split=0.2, verbose=2)
        """
    assert kc901(src) == []
