"""KC902 removed-keras2-api: predict_classes, fit_generator, merge, keras.wrappers.scikit_learn..."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc902(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC902"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras1_mnist_predict_classes_and_convolution2d_positional_kernel() -> None:
    src = """\
        from keras.datasets import mnist
        from keras.layers import Convolution2D, Dense, Flatten
        from keras.models import Sequential

        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        model = Sequential()
        model.add(Convolution2D(32, 3, 3, activation="relu", input_shape=(28, 28, 1)))
        model.add(Flatten())
        model.add(Dense(10, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        classes = model.predict_classes(X_test)
        """
    assert kc902(src) == [("KC902", 7), ("KC902", 11)]
    conv, classes = lint_snippet(src, select=["KC902"])
    assert "Conv2D(32, (3, 3))" in conv.message and "stride 3" in conv.message
    assert classes.column == 17 and "np.argmax(model.predict(x), axis=-1)" in classes.message
    assert classes.severity == "warning"


def test_keras2_generators_on_a_factory_model() -> None:
    src = """\
        from keras import layers, models
        from keras.preprocessing.image import ImageDataGenerator

        def build():
            model = models.Sequential()
            model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(150, 150, 3)))
            model.add(layers.Flatten())
            model.add(layers.Dense(1, activation="sigmoid"))
            model.compile(loss="binary_crossentropy", optimizer="rmsprop")
            return model

        model = build()
        gen = ImageDataGenerator(rescale=1.0 / 255).flow_from_directory("train", target_size=(150, 150))
        model.fit_generator(gen, steps_per_epoch=100, epochs=30)
        loss = model.evaluate_generator(gen, steps=50)
        preds = model.predict_generator(gen, steps=50)
        """
    assert kc902(src) == [("KC902", 14), ("KC902", 15), ("KC902", 16)]


def test_sklearn_wrapper_import() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.wrappers.scikit_learn import KerasClassifier
        from sklearn.model_selection import cross_val_score

        def create_baseline():
            model = Sequential()
            model.add(Dense(60, input_dim=60, activation="relu"))
            model.add(Dense(1, activation="sigmoid"))
            model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
            return model

        estimator = KerasClassifier(build_fn=create_baseline, epochs=100, batch_size=5)
        results = cross_val_score(estimator, X, y, cv=10)
        probabilities = estimator.predict_proba(X)
        """
    assert kc902(src) == [("KC902", 3)]
    assert "scikeras" in lint_snippet(src, select=["KC902"])[0].message


def test_removed_module_paths_once_per_import_statement() -> None:
    src = """\
        import tensorflow as tf
        from keras.layers.core import Dense, Dropout, Activation
        from keras.utils import np_utils
        from keras.engine.topology import Layer

        y = np_utils.to_categorical(labels, 10)
        """
    assert kc902(src) == [("KC902", 2), ("KC902", 3), ("KC902", 4)]


def test_keras1_merge_layers_even_when_pinned() -> None:
    src = """\
        import tensorflow.compat.v1 as tf
        from keras.models import Sequential, Model
        from keras.layers import Input, Dense, Merge, merge

        left = Sequential()
        left.add(Dense(32, input_dim=10))
        right = Sequential()
        right.add(Dense(32, input_dim=10))
        merged = Merge([left, right], mode="concat")
        a = Input(shape=(10,))
        b = Input(shape=(10,))
        c = merge([Dense(8)(a), Dense(8)(b)], mode="sum")
        """
    assert kc902(src) == [("KC902", 9), ("KC902", 12)]


# -- not firing ----------------------------------------------------------------------------------------


def test_sklearn_estimators_predict_proba() -> None:
    src = """\
        import keras
        from sklearn.linear_model import LogisticRegression
        from sklearn.ensemble import RandomForestClassifier

        clf = LogisticRegression(max_iter=1000).fit(X_train, y_train)
        proba = clf.predict_proba(X_test)
        forest = RandomForestClassifier().fit(X_train, y_train)
        forest_proba = forest.predict_proba(X_test)
        """
    assert kc902(src) == []


def test_modern_api() -> None:
    src = """\
        import numpy as np
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, (3, 3)),
                                  layers.Flatten(), layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(train_ds, epochs=3)
        classes = np.argmax(model.predict(x_test), axis=-1)
        y = keras.utils.to_categorical(labels, 10)
        """
    assert kc902(src) == []


def test_convolution2d_alias_with_keras2_arguments() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Convolution2D, Conv2D

        model = Sequential()
        model.add(Convolution2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
        model.add(Convolution2D(64, 3, activation="relu"))
        model.add(Conv2D(96, 4, 4))
        """
    assert kc902(src) == []


def test_tf_keras_pinned_generators() -> None:
    src = """\
        import tf_keras as keras

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
        model.compile(optimizer="adam", loss="mse")
        model.fit_generator(gen, steps_per_epoch=10, epochs=2)
        """
    assert kc902(src) == []


def test_keras2_module_merge_and_scikeras() -> None:
    src = """\
        from keras.layers import merge
        from scikeras.wrappers import KerasClassifier
        import keras

        x = merge.concatenate([a, b])
        clf = KerasClassifier(model=build_model, epochs=10)
        clf.fit(X, y)
        proba = clf.predict_proba(X)
        """
    assert kc902(src) == []


def test_lstm_and_modern_generator_fit() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.LSTM(32, input_shape=(10, 3)), tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_generator, steps_per_epoch=100, epochs=5, validation_data=val_generator)
        predictions = model.predict(test_generator)
        """
    assert kc902(src) == []
