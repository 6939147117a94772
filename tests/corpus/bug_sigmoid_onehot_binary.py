# Iris (tf.keras): three sigmoid units trained with binary_crossentropy on one-hot single-label targets from
# to_categorical -- a multi-class problem posed as multi-label, classes don't compete -> KC104.
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler

df = pd.read_csv("iris.csv")
X = df[["sepal_length", "sepal_width", "petal_length", "petal_width"]].values
y = LabelEncoder().fit_transform(df["species"])
y = tf.keras.utils.to_categorical(y, 3)

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = tf.keras.models.Sequential(
    [
        tf.keras.layers.Dense(10, activation="relu", input_shape=(4,)),
        tf.keras.layers.Dense(10, activation="relu"),
        tf.keras.layers.Dense(3, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=200, batch_size=5, validation_data=(X_test, y_test))

import numpy as np

loss, acc = model.evaluate(X_test, y_test, verbose=0)
print("accuracy:", acc)
print(np.round(model.predict(X_test[:5]), 2))
