"""KC403 softmax-in-hidden-layer: softmax as a hidden activation feeding another Dense/Conv layer."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc403(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC403"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_sequential_softmax_everywhere() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(32,)),
            layers.Dense(64, activation="softmax"),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10)
        """
    assert kc403(src) == [("KC403", 6)]
    (finding,) = lint_snippet(src, select=["KC403"])
    assert "hidden Dense(64)" in finding.message and "Dense(10)" in finding.message
    assert 'activation="relu"' in finding.message


def test_keras2_activation_layer_is_reported_where_softmax_is_written() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation

        model = Sequential()
        model.add(Dense(100, input_dim=50))
        model.add(Activation('softmax'))
        model.add(Dense(3))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])
        model.fit(X, Y, nb_epoch=100)
        """
    assert kc403(src) == [("KC403", 6)]


def test_conv_layer_with_softmax() -> None:
    src = """\
        from tensorflow.keras import Sequential
        from tensorflow.keras.layers import Conv2D, Dense, Flatten, MaxPooling2D

        model = Sequential([
            Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
            MaxPooling2D(),
            Conv2D(64, (3, 3), activation='softmax'),
            Flatten(),
            Dense(10, activation='softmax'),
        ])
        model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
        """
    assert kc403(src) == [("KC403", 7)]


def test_tf_keras_functional_with_dropout_between() -> None:
    src = """\
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(300,))
        x = tf.keras.layers.Dense(128, activation=tf.nn.softmax)(inputs)
        x = tf.keras.layers.Dropout(0.3)(x)
        outputs = tf.keras.layers.Dense(5, activation="softmax")(x)
        model = tf.keras.Model(inputs=inputs, outputs=outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc403(src) == [("KC403", 4)]


def test_factory_with_activation_in_a_variable() -> None:
    src = """\
        import keras

        ACT = "softmax"

        def make_model():
            model = keras.Sequential()
            model.add(keras.layers.Dense(64, activation=ACT, input_shape=(20,)))
            model.add(keras.layers.Dense(1, activation="sigmoid"))
            model.compile(optimizer="adam", loss="binary_crossentropy")
            return model

        model = make_model()
        """
    assert kc403(src) == [("KC403", 7)]


# -- not firing ----------------------------------------------------------------------------------------


def test_softmax_only_on_the_output() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        """
    assert kc403(src) == []


def test_keras2_attention_over_timesteps() -> None:
    src = """\
        from keras.layers import Input, Embedding, LSTM, Dense, Flatten, Activation, RepeatVector, Permute
        from keras.layers import multiply, Lambda
        from keras.models import Model
        from keras import backend as K

        inp = Input(shape=(100,))
        emb = Embedding(10000, 128)(inp)
        activations = LSTM(64, return_sequences=True)(emb)
        attention = Dense(1, activation='tanh')(activations)
        attention = Flatten()(attention)
        attention = Activation('softmax')(attention)
        attention = RepeatVector(64)(attention)
        attention = Permute([2, 1])(attention)
        sent = multiply([activations, attention])
        sent = Lambda(lambda xin: K.sum(xin, axis=-2), output_shape=(64,))(sent)
        out = Dense(1, activation='sigmoid')(sent)
        model = Model(inputs=inp, outputs=out)
        model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
        """
    assert kc403(src) == []


def test_attention_weights_used_in_a_product() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input(shape=(64,))
        h = layers.Dense(64, activation="relu")(inputs)
        weights = layers.Dense(64, activation="softmax")(h)
        context = weights * h
        outputs = layers.Dense(1, activation="sigmoid")(context)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc403(src) == []


def test_softmax_weights_into_a_dot_layer() -> None:
    src = """\
        import keras
        from keras import layers

        features = keras.Input(shape=(10, 32))
        scores = layers.Dense(10, activation="softmax")(layers.Flatten()(features))
        pooled = layers.Dot(axes=1)([scores, features])
        outputs = layers.Dense(4, activation="softmax")(pooled)
        model = keras.Model(features, outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc403(src) == []


def test_multi_output_model_with_auxiliary_softmax() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(50,))
        x = layers.Dense(64, activation="relu")(inputs)
        aux = layers.Dense(10, activation="softmax", name="aux")(x)
        main = layers.Dense(1, name="main")(aux)
        model = keras.Model(inputs, [main, aux])
        model.compile(optimizer="adam", loss={"main": "mse", "aux": "categorical_crossentropy"})
        """
    assert kc403(src) == []


def test_softmax_head_after_dropout() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, Activation

        model = Sequential()
        model.add(Dense(64, input_dim=20, activation='relu'))
        model.add(Dropout(0.5))
        model.add(Dense(10))
        model.add(Dropout(0.0))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='sgd')
        """
    assert kc403(src) == []


def test_gating_network_feeding_a_lambda() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        inputs = keras.Input(shape=(16,))
        gate = keras.layers.Dense(4, activation="softmax")(inputs)
        mixed = keras.layers.Lambda(lambda g: tf.reduce_sum(g, axis=-1, keepdims=True))(gate)
        outputs = keras.layers.Dense(1)(mixed)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc403(src) == []
