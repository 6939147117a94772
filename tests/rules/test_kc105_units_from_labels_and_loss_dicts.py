"""KC105 when the unit count comes from the labels' shape (``n_out = y.shape[1]``) or the loss is
given per output name for a one-output model (``loss={"out": ...}``)."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines


def kc105(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC105"])


# -- firing --------------------------------------------------------------------------------------------


def test_units_from_encoded_labels_reshaped_to_one_column() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import LabelEncoder
        from keras.models import Sequential
        from keras.layers import GRU, Dense

        log = pd.read_csv("sensor_log.csv")
        windows = log.drop(columns=["state"]).values.reshape(-1, 20, 6)
        states = LabelEncoder().fit_transform(log["state"].values[::20]).reshape(-1, 1)

        n_steps, n_channels, n_targets = windows.shape[1], windows.shape[2], states.shape[1]
        rnn = Sequential()
        rnn.add(GRU(64, input_shape=(n_steps, n_channels)))
        rnn.add(Dense(n_targets, activation="sigmoid"))
        rnn.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        rnn.fit(windows, states, epochs=15)
        """
    assert kc105(src) == [("KC105", 14)]


def test_per_output_loss_dict_on_a_one_output_functional_model() -> None:
    src = """\
        import tensorflow as tf

        features = tf.keras.Input(shape=(30,), name="features")
        hidden = tf.keras.layers.Dense(32, activation="relu")(features)
        verdict = tf.keras.layers.Dense(1, activation="sigmoid", name="verdict")(hidden)
        scorer = tf.keras.Model(features, verdict)
        scorer.compile(optimizer="adam",
                       loss={"verdict": tf.keras.losses.sparse_categorical_crossentropy},
                       metrics={"verdict": "accuracy"})
        """
    assert kc105(src) == [("KC105", 8)]


def test_one_element_loss_list() -> None:
    src = """\
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss=["categorical_crossentropy"])
        """
    assert kc105(src) == [("KC105", 4)]


# -- silent --------------------------------------------------------------------------------------------


def test_units_from_one_hot_labels_are_the_class_count() -> None:
    src = """\
        import pandas as pd
        from tensorflow import keras

        log = pd.read_csv("activity.csv")
        windows = log.drop(columns=["act"]).values.reshape(-1, 20, 6)
        acts = keras.utils.to_categorical(log["act"].values[::20])

        n_targets = acts.shape[1]
        rnn = keras.Sequential([
            keras.layers.LSTM(64, input_shape=(20, 6)),
            keras.layers.Dense(n_targets, activation="softmax"),
        ])
        rnn.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        rnn.fit(windows, acts, epochs=15)
        """
    assert kc105(src) == []


def test_loss_dict_with_a_matching_binary_loss_and_a_two_output_model() -> None:
    src = """\
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(30,))
        hidden = tf.keras.layers.Dense(32, activation="relu")(inputs)
        flag = tf.keras.layers.Dense(1, activation="sigmoid", name="flag")(hidden)
        kind = tf.keras.layers.Dense(5, activation="softmax", name="kind")(hidden)
        one = tf.keras.Model(inputs, flag)
        one.compile(optimizer="adam", loss={"flag": "binary_crossentropy"})
        two = tf.keras.Model(inputs, [flag, kind])
        two.compile(optimizer="adam", loss={"flag": "binary_crossentropy",
                                            "kind": "categorical_crossentropy"})
        """
    assert kc105(src) == []
