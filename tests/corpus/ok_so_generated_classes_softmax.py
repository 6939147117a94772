# make_classification with four classes, a four-unit softmax and sparse categorical cross-entropy on
# the integer labels; make_blobs labels one-hot encoded for categorical cross-entropy. Both match.
from sklearn.datasets import make_blobs, make_classification
from tensorflow import keras

X, y = make_classification(n_samples=3000, n_features=20, n_informative=8, n_classes=4)
model = keras.Sequential([
    keras.Input(shape=(20,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=20, validation_split=0.2)

Xb, yb = make_blobs(n_samples=600, centers=3, n_features=2)
yb = keras.utils.to_categorical(yb, 3)
blobs = keras.Sequential([
    keras.Input(shape=(2,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(3, activation="softmax"),
])
blobs.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
blobs.fit(Xb, yb, epochs=30)
