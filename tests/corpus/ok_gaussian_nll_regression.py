# Probabilistic regression (Keras 3): the head outputs a mean and a raw scale, the custom Gaussian negative
# log-likelihood takes ops.log of softplus(raw) + 1e-6 and divides by that positive scale; read_csv features go
# through StandardScaler. Correct program: no findings.
import math

import pandas as pd
import keras
from keras import layers, ops
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def gaussian_nll(y_true, y_pred):
    mu = y_pred[:, 0:1]
    scale = ops.softplus(y_pred[:, 1:2]) + 1e-6
    z = (y_true - mu) / scale
    return ops.mean(0.5 * math.log(2 * math.pi) + ops.log(scale) + 0.5 * ops.square(z))


df = pd.read_csv("yacht_hydrodynamics.csv")
X = df.drop(columns=["residuary_resistance"]).values
y = df[["residuary_resistance"]].values.astype("float32")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=11)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = keras.Sequential(
    [
        keras.Input(shape=(X_train.shape[1],)),
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(2),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss=gaussian_nll)
model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=300, batch_size=32, verbose=0)

pred = model.predict(X_test)
mean, std = pred[:, 0], ops.convert_to_numpy(ops.softplus(pred[:, 1])) + 1e-6
for m, s, t in zip(mean[:5], std[:5], y_test[:5, 0]):
    print(f"predicted {m:7.2f} +/- {s:5.2f}   true {t:7.2f}")
