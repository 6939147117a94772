"""KC412 single-unit-relu-bottleneck: a hidden Dense(1, activation="relu")."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines


def kc412(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC412"])


def test_house_price_regressor_with_one_unit_relu_in_the_middle() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from keras.models import Sequential
        from keras.layers import Dense

        df = pd.read_csv("housing.csv")
        X = StandardScaler().fit_transform(df.drop("price", axis=1).values)
        y = df["price"].values

        model = Sequential()
        model.add(Dense(64, input_dim=X.shape[1], activation='relu'))
        model.add(Dense(1, activation='relu'))
        model.add(Dense(32, activation='relu'))
        model.add(Dense(1))
        model.compile(loss='mse', optimizer='adam')
        model.fit(X, y, epochs=100, batch_size=32, validation_split=0.2)
        """
    assert kc412(src) == [("KC412", 12)]


def test_functional_one_unit_relu_before_the_sigmoid_head() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(30,))
        x = layers.Dense(16, activation="relu")(inputs)
        x = layers.Dense(1, activation="relu")(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc412(src) == [("KC412", 6)]


def test_one_unit_relu_output_and_linear_or_sigmoid_scores_are_fine() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        regressor = keras.Sequential([
            keras.Input(shape=(8,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, activation="relu"),
        ])

        inputs = keras.Input(shape=(20, 32))
        scores = layers.Dense(1, activation="tanh")(inputs)
        weights = layers.Softmax(axis=1)(scores)
        gate = layers.Dense(1)(inputs)
        attention = keras.Model(inputs, [weights, gate])
        """
    assert kc412(src) == []


def test_one_unit_relu_combined_by_an_operation_is_not_a_chain() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(16,))
        x = layers.Dense(32, activation="relu")(inputs)
        score = layers.Dense(1, activation="relu")(x)
        x = layers.Dense(8, activation="relu")(x * score)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    assert kc412(src) == []
