# A configurable-depth regressor (depth and width from argparse): relu hidden layers added in a loop,
# a linear output, mse on standardised features. Nothing to report whatever the depth.
import argparse
import pandas as pd
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

parser = argparse.ArgumentParser()
parser.add_argument("--depth", type=int, default=3)
parser.add_argument("--units", type=int, default=64)
args = parser.parse_args()

df = pd.read_csv("concrete.csv").dropna()
X = StandardScaler().fit_transform(df.drop(columns=["strength"]).values)
y = df["strength"].values

model = keras.Sequential([keras.Input(shape=(X.shape[1],))])
for _ in range(args.depth):
    model.add(keras.layers.Dense(args.units, activation="relu"))
    model.add(keras.layers.Dropout(0.1))
model.add(keras.layers.Dense(1))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse", metrics=["mae"])
model.fit(X, y, epochs=200, batch_size=32, validation_split=0.2)
