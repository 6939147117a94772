# A reusable helper that builds and trains a regressor; the helper ends in a sigmoid, and the caller
# feeds it make_regression targets (KC112 on the helper's output layer).
from sklearn.datasets import make_regression
from tensorflow import keras


def train_regressor(X, y, hidden=64, epochs=30):
    model = keras.Sequential([
        keras.layers.Dense(hidden, activation="relu", input_shape=(X.shape[1],)),
        keras.layers.Dense(hidden, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="mae")
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0)
    return model


X, y = make_regression(n_samples=800, n_features=12, noise=1.0)
regressor = train_regressor(X, y)
print(regressor.evaluate(X, y))
