# Standardising the target as well as the features is fine, but the standardised target is signed
# (mean 0, std 1) and the output layer is a sigmoid (KC112). The accuracy metric is meaningless for
# a regression (KC106).
import pandas as pd
from sklearn.preprocessing import StandardScaler
import tensorflow as tf

df = pd.read_csv("auto-mpg.csv").dropna()
X = df[["cylinders", "displacement", "horsepower", "weight", "acceleration"]].values
y = df[["mpg"]].values

X = StandardScaler().fit_transform(X)
y = StandardScaler().fit_transform(y)

model = tf.keras.Sequential()
model.add(tf.keras.layers.Dense(64, activation="relu", input_shape=(5,)))
model.add(tf.keras.layers.Dense(64, activation="relu"))
model.add(tf.keras.layers.Dense(1, activation="sigmoid"))
model.compile(optimizer=tf.keras.optimizers.RMSprop(0.001), loss="mse", metrics=["mae", "accuracy"])
model.fit(X, y, epochs=100, validation_split=0.2, verbose=0)
