"""KC411 sequence-output-into-head (opt-in): the last RNN returns sequences into a Dense head."""

from __future__ import annotations

from kerascheck.rules.base import all_rules
from kerascheck.testing import codes_and_lines, lint_snippet


def kc411(source: str) -> list[tuple[str, int]]:
    """Every such model, whatever its targets (the rule's former opt-in behaviour)."""
    return codes_and_lines(source, select=["KC411"],
                           options={"KC411": {"visible-targets-only": False}})


def kc411_default(source: str) -> list[tuple[str, int]]:
    """KC411's findings under the default rule selection and options."""
    return [found for found in codes_and_lines(source) if found[0] == "KC411"]


def test_is_on_by_default_as_a_warning() -> None:
    rule = all_rules()["KC411"]
    assert rule.default_enabled is True and rule.severity.value == "warning"


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_lstm_returning_sequences_into_sigmoid() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(50, 8)),
            layers.LSTM(64, return_sequences=True),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc411(src) == [("KC411", 6)]
    assert kc411_default(src) == []  # x_train/y_train are not visible: maybe a sequence tagger
    (finding,) = lint_snippet(src, select=["KC411"], options={"KC411": {"visible-targets-only": False}})
    assert finding.severity == "info"
    assert "LSTM(64) returns the whole sequence into Dense(1)" in finding.message


def test_keras2_stacked_lstm_stock_model() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Dropout

        model = Sequential()
        model.add(LSTM(50, return_sequences=True, input_shape=(60, 1)))
        model.add(Dropout(0.2))
        model.add(LSTM(50, return_sequences=True))
        model.add(Dropout(0.2))
        model.add(Dense(1))
        model.compile(optimizer='adam', loss='mean_squared_error')
        model.fit(X_train, y_train, nb_epoch=100, batch_size=32)
        """
    assert kc411(src) == [("KC411", 7)]


def test_bidirectional_gru() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(10000, 64),
            tf.keras.layers.Bidirectional(tf.keras.layers.GRU(32, return_sequences=True)),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
        """
    assert kc411(src) == [("KC411", 5)]


def test_factory_with_return_sequences_in_a_variable() -> None:
    src = """\
        from tensorflow.keras import layers, models

        RETURN_SEQ = True

        def build(n_classes=5):
            model = models.Sequential()
            model.add(layers.SimpleRNN(32, return_sequences=RETURN_SEQ, input_shape=(20, 3)))
            model.add(layers.Dense(n_classes))
            model.add(layers.Activation("softmax"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            return model

        model = build()
        """
    assert kc411(src) == [("KC411", 7)]


# -- not firing ----------------------------------------------------------------------------------------


def test_last_lstm_returns_its_final_state() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Dropout

        model = Sequential()
        model.add(LSTM(50, return_sequences=True, input_shape=(60, 1)))
        model.add(Dropout(0.2))
        model.add(LSTM(50))
        model.add(Dense(1))
        model.compile(optimizer='adam', loss='mean_squared_error')
        """
    assert kc411(src) == []


def test_time_distributed_head() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(None, 40)),
            layers.LSTM(128, return_sequences=True),
            layers.TimeDistributed(layers.Dense(10, activation="softmax")),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc411(src) == []


def test_global_pooling_after_the_sequence() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(20000, 128),
            tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(64, return_sequences=True)),
            tf.keras.layers.GlobalMaxPooling1D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc411(src) == []


def test_flatten_after_the_sequence() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import GRU, Flatten, Dense

        model = Sequential()
        model.add(GRU(32, return_sequences=True, input_shape=(30, 6)))
        model.add(Flatten())
        model.add(Dense(1))
        model.compile(loss='mse', optimizer='adam')
        """
    assert kc411(src) == []


def test_functional_sequence_tagger_is_not_judged() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(None,), dtype="int32")
        x = layers.Embedding(5000, 64)(inputs)
        x = layers.LSTM(64, return_sequences=True)(x)
        outputs = layers.Dense(9, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc411(src) == []


def test_attention_over_the_sequence() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(30, 16)),
            layers.LSTM(64, return_sequences=True),
            layers.Attention(),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc411(src) == []


def test_explicit_return_sequences_false() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(30, 16)),
            layers.GRU(64, return_sequences=False),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc411(src) == []


# -- audit regressions ------------------------------------------------------------------------------


def test_repeat_vector_encoder_decoder_is_quiet() -> None:
    # Encoder state repeated once per output position, then a decoder that predicts every
    # position: per-timestep output is the point of the model.
    src = """\
        import keras
        from keras import layers

        OUT_LEN, VOCAB = 6, 14
        model = keras.Sequential()
        model.add(keras.Input(shape=(9, VOCAB)))
        model.add(layers.GRU(96))
        model.add(layers.RepeatVector(OUT_LEN))
        model.add(layers.GRU(96, return_sequences=True))
        model.add(layers.Dense(VOCAB, activation="softmax"))
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc411(src) == []


def test_sequence_regressor_without_repeat_vector_still_fires() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(20, 3)),
            layers.LSTM(32, return_sequences=True),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc411(src) == [("KC411", 6)]


# -- on by default: targets visibly one per sequence -----------------------------------------------------


def test_imdb_sentiment_lstm_returning_sequences_fires_by_default() -> None:
    src = """\
        from keras.datasets import imdb
        from keras.preprocessing import sequence
        from keras.models import Sequential
        from keras.layers import Dense, Embedding, LSTM, Dropout

        (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=5000)
        x_train = sequence.pad_sequences(x_train, maxlen=500)
        x_test = sequence.pad_sequences(x_test, maxlen=500)

        model = Sequential()
        model.add(Embedding(5000, 32, input_length=500))
        model.add(LSTM(100, return_sequences=True))
        model.add(Dropout(0.2))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=3, batch_size=64)
        """
    assert kc411_default(src) == [("KC411", 12)]
    (finding,) = lint_snippet(src, select=["KC411"])
    assert finding.severity == "warning"


def test_label_encoded_csv_classes_fire_and_a_tagger_on_hand_built_targets_does_not() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        from sklearn.preprocessing import LabelEncoder
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.utils import to_categorical

        df = pd.read_csv("activity.csv")
        windows = np.load("windows.npy")
        labels = to_categorical(LabelEncoder().fit_transform(df["activity"]))
        model = keras.Sequential([
            keras.Input(shape=(128, 9)),
            layers.GRU(64, return_sequences=True),
            layers.Dense(6, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(windows, labels, epochs=20, batch_size=64)

        tags = np.load("tags.npy")
        tagger = keras.Sequential([
            keras.Input(shape=(40,)),
            layers.Embedding(20000, 64),
            layers.LSTM(64, return_sequences=True),
            layers.Dense(17, activation="softmax"),
        ])
        tagger.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        tagger.fit(np.load("tokens.npy"), tags, epochs=5)
        """
    assert kc411_default(src) == [("KC411", 13)]
