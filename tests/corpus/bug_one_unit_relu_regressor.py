# Stack Overflow style: "my regression network predicts the same value for every input".
# Bug: a hidden Dense(1, activation='relu') squeezes everything through one relu unit; once it
# dies the output is constant (KC412).
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
from tensorflow.keras import layers

df = pd.read_csv("insurance.csv").dropna()
X = pd.get_dummies(df.drop(columns=["charges"])).values.astype("float32")
y = df["charges"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = keras.Sequential([
    layers.Dense(64, activation="relu", input_shape=(X_train.shape[1],)),
    layers.Dense(1, activation="relu"),
    layers.Dense(32, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(X_train, y_train, epochs=100, batch_size=32, validation_data=(X_test, y_test))
