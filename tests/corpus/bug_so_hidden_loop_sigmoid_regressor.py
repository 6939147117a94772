# A regressor whose hidden depth comes from the command line: whatever the depth, the output layer is a
# sigmoid and the make_regression targets are signed and unbounded (KC112).
import sys
from sklearn.datasets import make_regression
from keras.models import Sequential
from keras.layers import Dense


def make_model(n_hidden, n_features):
    model = Sequential()
    model.add(Dense(64, input_dim=n_features, activation="relu"))
    for _ in range(n_hidden):
        model.add(Dense(64, activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(loss="mse", optimizer="adam")
    return model


X, y = make_regression(n_samples=1000, n_features=6, noise=2.0)
model = make_model(int(sys.argv[1]), X.shape[1])
model.fit(X, y, epochs=40, batch_size=32)
