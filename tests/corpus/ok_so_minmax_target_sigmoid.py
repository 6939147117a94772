# Sigmoid regression done right: the target is scaled into [0, 1] with MinMaxScaler() before the fit
# and the predictions are mapped back with inverse_transform (no KC112).
import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler
from keras.models import Sequential
from keras.layers import Dense

df = pd.read_csv("housing.csv").dropna()
X = MinMaxScaler().fit_transform(df.drop(columns=["price"]).values)
y_scaler = MinMaxScaler()
y = y_scaler.fit_transform(df[["price"]].values)

model = Sequential()
model.add(Dense(64, input_dim=X.shape[1], activation="relu"))
model.add(Dense(32, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="mse", optimizer="adam", metrics=["mae"])
model.fit(X, y, epochs=100, batch_size=32, validation_split=0.2)
prices = y_scaler.inverse_transform(model.predict(X[:5]))
print(np.round(prices))
