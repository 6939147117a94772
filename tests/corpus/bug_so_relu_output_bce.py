# Binary classifier whose output unit is relu: binary_crossentropy takes the log of values outside
# (0, 1), which goes NaN (KC102).
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense

df = pd.read_csv("heart.csv")
X = MinMaxScaler().fit_transform(df.drop(columns="target"))
y = df["target"].values

model = Sequential([
    Dense(16, activation="relu", input_shape=(X.shape[1],)),
    Dense(8, activation="relu"),
    Dense(1, activation="relu"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=100, batch_size=16, validation_split=0.2)
