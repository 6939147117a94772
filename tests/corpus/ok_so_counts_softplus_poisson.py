# Count regression: non-negative targets (bike rentals) with a softplus output and the Poisson loss,
# and a relu head on prices computed from non-negative features. Both heads can reach their targets.
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

rides = pd.read_csv("bike_sharing_daily.csv").dropna()
X = StandardScaler().fit_transform(rides[["temp", "hum", "windspeed", "weekday"]].values)
counts = rides["cnt"].values

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(1, activation="softplus"),
])
model.compile(optimizer="adam", loss="poisson")
model.fit(X, counts, epochs=40, batch_size=32)

area = np.random.uniform(30, 200, size=(500, 1))
price = area * 2500 + 10000
pricer = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(16, activation="relu"),
                           keras.layers.Dense(1, activation="relu")])
pricer.compile(optimizer="adam", loss="mae")
pricer.fit(area / 200.0, price / 1e5, epochs=100)
