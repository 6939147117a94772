# Targets scaled into [-1, 1] with MinMaxScaler(feature_range=(-1, 1)), then predicted with a relu
# output that cannot go below 0 (KC112): every negative target is predicted as 0.
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Dense

data = pd.read_csv("energy_consumption.csv")
data = data.fillna(method="ffill")
X = data.drop(columns=["consumption"]).values
y = data["consumption"].values.reshape(-1, 1)

x_scaler = MinMaxScaler()
y_scaler = MinMaxScaler(feature_range=(-1, 1))
X = x_scaler.fit_transform(X)
y = y_scaler.fit_transform(y)

model = Sequential()
model.add(Dense(50, input_dim=X.shape[1], activation="relu"))
model.add(Dense(25, activation="relu"))
model.add(Dense(1, activation="relu"))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=60, batch_size=32, verbose=1)
