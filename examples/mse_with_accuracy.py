"""House prices with a regression loss and an accuracy metric: "accuracy" stays near 0.

The model below learns fine (its loss and mean absolute error go down epoch after epoch), yet the
reported accuracy hovers around 0.0 for the whole run: a predicted price of 21.37 almost never equals
a target of 21.4 exactly, so almost no prediction is ever "accurate". `kerascheck` reports it as KC106
(accuracy-with-regression-loss); replace `"accuracy"` with `"mae"` to see the real progress.

    kerascheck examples/mse_with_accuracy.py
"""

from tensorflow import keras
from tensorflow.keras import layers

# 404 training houses, 13 features each (crime rate, rooms, tax...), prices in k$.
(x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()

# Standardise the features with the training statistics.
mean = x_train.mean(axis=0)
std = x_train.std(axis=0)
x_train = (x_train - mean) / std
x_test = (x_test - mean) / std


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(13,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=0.001),
        loss="mse",
        metrics=["accuracy"],
    )
    return model


model = build_model()
model.fit(x_train, y_train, epochs=100, batch_size=16, validation_split=0.2, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test)
print(f"test mse {loss:.2f}, test 'accuracy' {accuracy:.3f}")
