"""KC406 extreme-dropout: dropout rates of 1 or more (error) or from 0.9 up (warning)."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc406(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC406"], options={"KC406": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_dropout_point_nine() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(256, activation="relu"),
            layers.Dropout(0.9),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc406(src) == [("KC406", 7)]
    (finding,) = lint_snippet(src, select=["KC406"])
    assert finding.severity == "warning"
    assert "Dropout(0.9) drops 90%" in finding.message and "scales the rest by 10" in finding.message


def test_percentage_is_an_error() -> None:
    src = """\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Dropout

        model = Sequential()
        model.add(Dense(128, activation='relu', input_shape=(20,)))
        model.add(Dropout(50))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(optimizer='adam', loss='binary_crossentropy')
        """
    assert kc406(src) == [("KC406", 6)]
    (finding,) = lint_snippet(src, select=["KC406"])
    assert finding.severity == "error" and "0.5" in finding.message and "[0, 1)" in finding.message


def test_keras1_p_keyword() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout

        model = Sequential()
        model.add(Dense(64, input_dim=100, activation='relu'))
        model.add(Dropout(p=0.95))
        model.add(Dense(2, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='sgd')
        model.fit(X, Y, nb_epoch=10)
        """
    assert kc406(src) == [("KC406", 6)]


def test_keep_prob_ported_as_rate_and_rate_one() -> None:
    src = """\
        import tensorflow as tf

        KEEP_PROB = 0.9
        inputs = tf.keras.Input(shape=(64,))
        x = tf.keras.layers.Dense(64, activation="relu")(inputs)
        x = tf.keras.layers.Dropout(KEEP_PROB)(x)
        x = tf.keras.layers.Dense(64, activation="relu")(x)
        x = tf.keras.layers.Dropout(rate=1.0)(x)
        outputs = tf.keras.layers.Dense(1)(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc406(src) == [("KC406", 6), ("KC406", 8)]
    warning, error = lint_snippet(src, select=["KC406"])
    assert (warning.severity, error.severity) == ("warning", "error")
    assert "1 - keep_prob" in error.message


def test_recurrent_dropout_arguments() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Embedding

        def build():
            model = Sequential()
            model.add(Embedding(20000, 128))
            model.add(LSTM(128, dropout=0.2, recurrent_dropout=0.95))
            model.add(Dense(1, activation='sigmoid'))
            model.compile(loss='binary_crossentropy', optimizer='adam')
            return model

        model = build()
        """
    assert kc406(src) == [("KC406", 7)]
    (finding,) = lint_snippet(src, select=["KC406"])
    assert "LSTM(recurrent_dropout=0.95)" in finding.message


# -- not firing ----------------------------------------------------------------------------------------


def test_usual_rates() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.SpatialDropout2D(0.2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc406(src) == []


def test_keras2_rates_and_recurrent_dropout() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, LSTM, SpatialDropout1D, Embedding

        model = Sequential()
        model.add(Embedding(5000, 100, input_length=250))
        model.add(SpatialDropout1D(0.2))
        model.add(LSTM(100, dropout=0.2, recurrent_dropout=0.2))
        model.add(Dropout(0.25))
        model.add(Dense(5, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc406(src) == []


def test_keep_prob_converted_to_a_rate() -> None:
    src = """\
        import tensorflow as tf

        keep_prob = 0.8
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(128, activation="relu", input_shape=(10,)),
            tf.keras.layers.Dropout(1 - keep_prob),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc406(src) == []


def test_rate_from_a_parameter() -> None:
    src = """\
        import keras

        def build_model(dropout_rate):
            return keras.Sequential([
                keras.Input(shape=(10,)),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dropout(dropout_rate),
                keras.layers.Dense(1),
            ])

        model = build_model(args.dropout)
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc406(src) == []


def test_gaussian_noise_takes_a_stddev_not_a_rate() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(16,)),
            layers.GaussianNoise(1.0),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc406(src) == []


def test_rate_below_the_threshold_and_option() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(4096,)),
            layers.Dense(512, activation="relu"),
            layers.Dropout(0.8),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc406(src) == []
    assert kc406(src, **{"max-rate": 0.75}) == [("KC406", 7)]
