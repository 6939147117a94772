"""KC304 scaled-input-into-embedding: token ids rescaled before an Embedding first layer."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines


def kc304(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC304"])


def test_padded_sequences_divided_by_the_vocabulary_size() -> None:
    src = """\
        import pandas as pd
        from keras.preprocessing.text import Tokenizer
        from keras.preprocessing.sequence import pad_sequences
        from keras.models import Sequential
        from keras.layers import Embedding, LSTM, Dense

        df = pd.read_csv("tweets.csv").dropna()
        tok = Tokenizer(num_words=5000)
        tok.fit_on_texts(df["text"])
        X = pad_sequences(tok.texts_to_sequences(df["text"]), maxlen=50)
        X = X / 5000.0
        y = df["sentiment"].values

        model = Sequential()
        model.add(Embedding(5000, 64, input_length=50))
        model.add(LSTM(32))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=64)
        """
    assert kc304(src) == [("KC304", 19)]


def test_standardised_ids_from_a_scaler() -> None:
    src = """\
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras
        from tensorflow.keras import layers

        (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=20000)
        x_train = keras.utils.pad_sequences(x_train, maxlen=100)
        x_train = StandardScaler().fit_transform(x_train)
        model = keras.Sequential([
            layers.Embedding(20000, 16),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=3)
        """
    assert kc304(src) == [("KC304", 14)]


def test_integer_ids_and_scaled_inputs_into_a_dense_model_are_fine() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=20000)
        x_train = keras.utils.pad_sequences(x_train, maxlen=100)
        text = keras.Sequential([
            layers.Embedding(20000, 16),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        text.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        text.fit(x_train, y_train, epochs=3)

        (images, labels), _ = keras.datasets.mnist.load_data()
        images = images.reshape(-1, 784) / 255.0
        dense = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
        dense.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        dense.fit(images, labels, epochs=3)
        """
    assert kc304(src) == []
