"""KC306 predict-on-one-sample-without-batch-axis: predict(x[0]) on the array fit was given."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc306(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC306"])


def test_predict_first_training_image_after_fit() -> None:
    src = """\
        import numpy as np
        from keras.datasets import fashion_mnist
        from keras.models import Sequential
        from keras.layers import Flatten, Dense

        (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
        x_train = x_train / 255.0
        model = Sequential([Flatten(input_shape=(28, 28)), Dense(128, activation='relu'),
                            Dense(10, activation='softmax')])
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=10)
        prediction = model.predict(x_train[0])
        print(np.argmax(prediction))
        """
    assert kc306(src) == [("KC306", 12)]
    finding = lint_snippet(src, select=["KC306"])[0]
    assert finding.severity == "error" and "x_train[i:i + 1]" in finding.message


def test_tabular_row_evaluated_with_a_negative_index() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        df = pd.read_csv("diabetes.csv").dropna()
        X = StandardScaler().fit_transform(df.drop("Outcome", axis=1).values)
        y = df["Outcome"].values
        model = keras.Sequential([
            keras.layers.Dense(12, activation="relu", input_shape=(8,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=100, batch_size=10)
        print(model.evaluate(X[-1], y[-1]))
        """
    assert kc306(src) == [("KC306", 14)]


def test_slices_expanded_samples_and_arrays_not_given_to_fit_are_quiet() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        x_train, x_test = x_train / 255.0, x_test / 255.0
        model = keras.Sequential([
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train, epochs=1)
        model.predict(x_train[0:1])
        model.predict(np.expand_dims(x_train[0], axis=0))
        model.predict(x_train[[0]])
        batches = [x_test[:32], x_test[32:64]]
        model.predict(batches[0])
        """
    assert kc306(src) == []


def test_one_input_of_a_multi_input_list_is_not_a_sample() -> None:
    src = """\
        from tensorflow import keras

        inputs = [keras.Input(shape=(8,)), keras.Input(shape=(4,))]
        merged = keras.layers.Concatenate()(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1)(merged))
        model.compile(optimizer="adam", loss="mse")
        features = [np_a, np_b]
        model.fit(features, target, epochs=3)
        model.predict(features[0])
        """
    assert kc306(src) == []
