# Eight generated classes but only five softmax units under sparse_categorical_crossentropy: labels
# 5..7 are out of range (KC109).
from sklearn.datasets import make_classification
from tensorflow import keras

X, y = make_classification(n_samples=5000, n_features=30, n_informative=20, n_classes=8,
                           n_clusters_per_class=1)

model = keras.Sequential([
    keras.layers.Input(shape=(30,)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=25, batch_size=128, validation_split=0.1)
