"""KC204 optimizer-epsilon-too-small: epsilon 0, negative or below 1e-10 in adaptive optimizers."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc204(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC204"], options={"KC204": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_adam_tiny_epsilon_multiline() -> None:
    src = """\
        import keras
        from keras import layers

        autoencoder = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ])
        optimizer = keras.optimizers.Adam(
            learning_rate=1e-3,
            epsilon=1e-12,
        )
        autoencoder.compile(optimizer=optimizer, loss="binary_crossentropy")
        """
    assert kc204(src) == [("KC204", 11)]
    (finding,) = lint_snippet(src, select=["KC204"])
    assert "epsilon=1e-12" in finding.message and "1e-7" in finding.message
    assert finding.severity == "warning"


def test_keras2_rmsprop_epsilon_zero_constant() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import RMSprop

        EPS = 0.0
        model = Sequential()
        model.add(Dense(64, activation="relu", input_dim=100))
        model.add(Dense(10, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer=RMSprop(lr=0.001, rho=0.9, epsilon=EPS))
        """
    assert kc204(src) == [("KC204", 9)]
    assert "0/0" in lint_snippet(src, select=["KC204"])[0].message


def test_tf_keras_factory_adagrad() -> None:
    src = """\
        import tensorflow as tf

        def compile_model(model, eps=1e-7):
            model.compile(optimizer=tf.keras.optimizers.Adagrad(0.01, epsilon=eps), loss="mse")
            return model

        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
        compile_model(model, eps=1e-15)
        """
    assert kc204(src) == [("KC204", 4)]


def test_adadelta_and_nadam() -> None:
    src = """\
        import keras

        a = keras.optimizers.Adadelta(learning_rate=1.0, epsilon=1e-20)
        b = keras.optimizers.Nadam(epsilon=-1e-8)
        """
    assert kc204(src) == [("KC204", 3), ("KC204", 4)]
    messages = [f.message for f in lint_snippet(src, select=["KC204"])]
    assert "vanish" in messages[0] and "0/0" in messages[1]


def test_option_raises_the_floor() -> None:
    src = """\
        import keras

        opt = keras.optimizers.Adam(epsilon=1e-9)
        """
    assert kc204(src) == []
    assert kc204(src, min=1e-8) == [("KC204", 3)]


# -- not firing ----------------------------------------------------------------------------------------


def test_usual_epsilons() -> None:
    src = """\
        import tensorflow as tf

        a = tf.keras.optimizers.Adam(learning_rate=2e-5, epsilon=1e-8)
        b = tf.keras.optimizers.Adam(epsilon=1e-7)
        c = tf.keras.optimizers.RMSprop(epsilon=1.0)
        d = tf.keras.optimizers.Adam(1e-4, beta_1=0.9, beta_2=0.98, epsilon=1e-9)
        e = tf.keras.optimizers.Adam(epsilon=1e-10)
        """
    assert kc204(src) == []


def test_keras2_epsilon_none_means_backend_default() -> None:
    src = """\
        from keras.optimizers import Adam
        from keras import backend as K

        opt = Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False)
        opt2 = Adam(epsilon=K.epsilon())
        """
    assert kc204(src) == []


def test_optimizers_without_a_division() -> None:
    src = """\
        import keras

        sgd = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
        ftrl = keras.optimizers.Ftrl(learning_rate=0.1)
        """
    assert kc204(src) == []


def test_epsilon_of_other_objects_is_not_an_optimizer_epsilon() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(16,)),
            layers.Dense(64),
            layers.BatchNormalization(epsilon=1e-12),
            layers.LayerNormalization(epsilon=0.0),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc204(src) == []


def test_string_optimizer() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
        model.compile(optimizer="rmsprop", loss="mse")
        """
    assert kc204(src) == []


def test_epsilon_from_a_config_is_unknown() -> None:
    src = """\
        import json
        import keras

        config = json.load(open("config.json"))
        opt = keras.optimizers.Adam(epsilon=config["eps"])
        """
    assert kc204(src) == []
