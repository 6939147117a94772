# Two sigmoid units under sparse_categorical_crossentropy: independent sigmoids are not a distribution
# over the classes (KC110).
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

data = load_breast_cancer()
X = StandardScaler().fit_transform(data.data)
y = data.target

model = keras.Sequential([
    keras.layers.Dense(30, activation="relu", input_shape=(30,)),
    keras.layers.Dense(2, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=50, batch_size=16)
