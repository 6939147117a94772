"""KC302 unscaled-tabular-input: features read from a file reaching fit with no scaling at all."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc302(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC302"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_pima_loadtxt() -> None:
    src = """\
        from numpy import loadtxt
        from keras.models import Sequential
        from keras.layers import Dense

        dataset = loadtxt('pima-indians-diabetes.csv', delimiter=',')
        X = dataset[:, 0:8]
        y = dataset[:, 8]

        model = Sequential()
        model.add(Dense(12, input_dim=8, init='uniform', activation='relu'))
        model.add(Dense(8, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, y, nb_epoch=150, batch_size=10)
        """
    assert kc302(src) == [("KC302", 14)]
    (finding,) = lint_snippet(src, select=["KC302"])
    assert finding.severity == "info" and "X" in finding.message and "StandardScaler" in finding.message


def test_house_prices_read_csv_functional_tf_keras() -> None:
    src = """\
        import pandas as pd
        import tensorflow as tf
        from sklearn.model_selection import train_test_split

        df = pd.read_csv("kc_house_data.csv")
        df = df.dropna()
        X = df[["bedrooms", "bathrooms", "sqft_living", "sqft_lot", "yr_built"]].values
        y = df["price"].values
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

        inputs = tf.keras.Input(shape=(5,))
        h = tf.keras.layers.Dense(64, activation="relu")(inputs)
        h = tf.keras.layers.Dense(64, activation="relu")(h)
        outputs = tf.keras.layers.Dense(1)(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
        model.fit(X_train, y_train, epochs=100, validation_data=(X_test, y_test))
        """
    assert kc302(src) == [("KC302", 17)]


def test_boston_housing_from_keras_datasets_in_a_factory() -> None:
    src = """\
        import keras
        from keras import layers

        (train_data, train_targets), (test_data, test_targets) = keras.datasets.boston_housing.load_data()

        def build_model():
            model = keras.Sequential([
                layers.Dense(64, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dense(1),
            ])
            model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
            return model

        model = build_model()
        model.fit(train_data, train_targets, epochs=130, batch_size=16, verbose=0)
        """
    assert kc302(src) == [("KC302", 16)]


def test_titanic_after_inplace_fill_only() -> None:
    src = """\
        import pandas as pd
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Activation

        train = pd.read_csv("train.csv")
        train["Age"].fillna(train["Age"].median(), inplace=True)
        X = train[["Pclass", "Age", "SibSp", "Parch", "Fare"]]
        y = train["Survived"]

        model = Sequential()
        model.add(Dense(16, input_dim=5))
        model.add(Activation("relu"))
        model.add(Dense(1))
        model.add(Activation("sigmoid"))
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=50, batch_size=32)
        """
    assert kc302(src) == [("KC302", 16)]


def test_stock_prices_windowed_by_a_visible_function() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        from keras.models import Sequential
        from keras.layers import Dense, LSTM

        df = pd.read_csv("AAPL.csv")
        prices = df["Close"].values

        def create_dataset(dataset, look_back=1):
            data_x, data_y = [], []
            for i in range(len(dataset) - look_back - 1):
                data_x.append(dataset[i:(i + look_back)])
                data_y.append(dataset[i + look_back])
            return np.array(data_x), np.array(data_y)

        look_back = 3
        train_x, train_y = create_dataset(prices, look_back)
        train_x = np.reshape(train_x, (train_x.shape[0], 1, look_back))

        model = Sequential()
        model.add(LSTM(4, input_shape=(1, look_back)))
        model.add(Dense(1))
        model.compile(loss="mean_squared_error", optimizer="adam")
        model.fit(train_x, train_y, epochs=100, batch_size=1)
        """
    assert kc302(src) == [("KC302", 24)]


# -- not firing ------------------------------------------------------------------------------------------


def test_standard_scaler_on_train_and_test_is_clean() -> None:
    src = """\
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from keras.models import Sequential
        from keras.layers import Dense

        dataset = pd.read_csv('Churn_Modelling.csv')
        X = dataset.iloc[:, 3:13].values
        y = dataset.iloc[:, 13].values
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
        sc = StandardScaler()
        X_train = sc.fit_transform(X_train)
        X_test = sc.transform(X_test)

        classifier = Sequential()
        classifier.add(Dense(units=6, kernel_initializer='uniform', activation='relu', input_dim=10))
        classifier.add(Dense(units=1, kernel_initializer='uniform', activation='sigmoid'))
        classifier.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
        classifier.fit(X_train, y_train, batch_size=10, epochs=100)
        """
    assert kc302(src) == []


def test_column_scaler_assignment_and_manual_standardisation_are_clean() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import MinMaxScaler
        from tensorflow import keras

        df = pd.read_csv("insurance.csv")
        num_cols = ["age", "bmi", "children"]
        scaler = MinMaxScaler()
        df[num_cols] = scaler.fit_transform(df[num_cols])
        X = df[num_cols].values
        y = df["charges"].values

        raw = pd.read_csv("insurance.csv")[num_cols]
        X2 = (raw - raw.mean()) / raw.std()

        model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mae")
        model.fit(X, y, epochs=50)
        model.fit(X2, y, epochs=50)
        """
    assert kc302(src) == []


def test_normalization_layer_adapted_in_the_model_is_clean() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        import tensorflow as tf
        from tensorflow.keras import layers

        raw_dataset = pd.read_csv("auto-mpg.csv", na_values="?")
        dataset = raw_dataset.dropna()
        train_features = dataset.copy()
        train_labels = train_features.pop("MPG")

        normalizer = tf.keras.layers.Normalization(axis=-1)
        normalizer.adapt(np.array(train_features))

        def build_and_compile_model(norm):
            model = tf.keras.Sequential([
                norm,
                layers.Dense(64, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dense(1),
            ])
            model.compile(loss="mean_absolute_error", optimizer=tf.keras.optimizers.Adam(0.001))
            return model

        dnn_model = build_and_compile_model(normalizer)
        dnn_model.fit(train_features, train_labels, validation_split=0.2, epochs=100)
        """
    assert kc302(src) == []


def test_batch_normalization_first_and_embedding_models_are_clean() -> None:
    src = """\
        import pandas as pd
        from keras.models import Sequential
        from keras.layers import BatchNormalization, Dense, Embedding, Flatten

        df = pd.read_csv("sensor.csv")
        X = df.drop("label", axis=1).values
        y = df["label"].values

        model = Sequential()
        model.add(BatchNormalization(input_shape=(12,)))
        model.add(Dense(32, activation="relu"))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X, y, epochs=20)

        ids = pd.read_csv("user_ids.csv").values
        emb = Sequential([Embedding(10000, 16, input_length=1), Flatten(), Dense(1, activation="sigmoid")])
        emb.compile(loss="binary_crossentropy", optimizer="adam")
        emb.fit(ids, y, epochs=5)
        """
    assert kc302(src) == []


def test_one_hot_encoded_and_log_transformed_features_are_clean() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        from tensorflow import keras

        df = pd.read_csv("mushrooms.csv")
        X = pd.get_dummies(df.drop("class", axis=1)).values
        y = (df["class"] == "p").astype(int).values

        sales = pd.read_csv("sales.csv")
        X2 = np.log1p(sales.drop("target", axis=1).values)

        model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=10)
        model.fit(X2, y, epochs=10)
        """
    assert kc302(src) == []


def test_data_through_unseen_functions_pipelines_or_prepared_files_is_clean() -> None:
    src = """\
        import pandas as pd
        from sklearn.compose import ColumnTransformer
        from sklearn.preprocessing import OneHotEncoder, StandardScaler
        from tensorflow import keras
        from utils import preprocess

        df = pd.read_csv("adult.csv")
        X = preprocess(df)

        ct = ColumnTransformer([("num", StandardScaler(), ["age", "hours"]),
                                ("cat", OneHotEncoder(), ["workclass"])])
        X2 = ct.fit_transform(df)

        X3 = pd.read_csv("adult_normalized.csv").values

        model = keras.Sequential([keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, df["income"], epochs=10)
        model.fit(X2, df["income"], epochs=10)
        model.fit(X3, df["income"], epochs=10)
        """
    assert kc302(src) == []


def test_image_pixels_divided_after_read_csv_are_clean() -> None:
    src = """\
        import pandas as pd
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense
        from keras.utils import to_categorical

        train = pd.read_csv("digit-recognizer/train.csv")
        y = to_categorical(train["label"].values, 10)
        X = train.drop("label", axis=1).values.reshape(-1, 28, 28, 1) / 255.0

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
        model.add(Flatten())
        model.add(Dense(10, activation="softmax"))
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=10, batch_size=86)
        """
    assert kc302(src) == []


# -- audit regressions ------------------------------------------------------------------------------


def test_subclassed_model_made_of_raw_tensor_ops_is_clean() -> None:
    # The forward pass is hand-written tensor arithmetic on weights from add_weight: no
    # layer is visible, so whatever it does to its inputs is unknown.
    src = """\
        import numpy as np
        import tensorflow as tf
        import keras

        table = np.loadtxt("sensors.csv", delimiter=",", skiprows=1)
        features, target = table[:, :-1], table[:, -1]


        class HandMadeRegressor(keras.Model):
            def __init__(self, hidden=32, **kwargs):
                super().__init__(**kwargs)
                self.hidden = hidden

            def build(self, input_shape):
                self.w1 = self.add_weight(shape=(input_shape[-1], self.hidden), initializer="glorot_uniform")
                self.w2 = self.add_weight(shape=(self.hidden, 1), initializer="glorot_uniform")

            def call(self, inputs):
                centred = (inputs - tf.reduce_mean(inputs, axis=0)) / (tf.math.reduce_std(inputs, axis=0) + 1e-6)
                hidden = tf.maximum(tf.matmul(centred, self.w1), 0.0)
                return tf.matmul(hidden, self.w2)


        model = HandMadeRegressor()
        model.compile(optimizer="adam", loss="mse")
        model.fit(features, target, epochs=50, batch_size=32)
        """
    assert kc302(src) == []


def test_visible_dense_stack_on_the_same_file_still_fires() -> None:
    src = """\
        import numpy as np
        import keras
        from keras import layers

        table = np.loadtxt("sensors.csv", delimiter=",", skiprows=1)
        features, target = table[:, :-1], table[:, -1]

        model = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(features, target, epochs=50, batch_size=32)
        """
    assert kc302(src) == [("KC302", 10)]


def test_made_up_features_with_large_visible_ranges() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        X = np.random.randint(0, 1000, size=(500, 5))
        y = np.random.randint(0, 2, 500)
        small = np.random.randint(0, 10, size=(500, 5))
        model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(5,)),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, y, epochs=5)
        model.fit(small, y, epochs=5)
        model.fit(X / 1000.0, y, epochs=5)
        """
    assert codes_and_lines(src, select=["KC302"]) == [("KC302", 10)]
    assert "random draws with values in [0, 999]" in lint_snippet(src, select=["KC302"])[0].message
