# Regression onto a [0, 1] target (tf.keras): features and target MinMax-scaled from a CSV, Dense(1, sigmoid)
# output trained with mse and monitored with mae. A sigmoid regressing onto proportions, with no class labels and
# no accuracy, is not a classifier. Correct program: no findings.
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

df = pd.read_csv("concrete_data.csv")
X = df.drop(columns=["strength"]).values
y = df[["strength"]].values

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)
x_scaler = MinMaxScaler()
y_scaler = MinMaxScaler()
X_train = x_scaler.fit_transform(X_train)
X_test = x_scaler.transform(X_test)
y_train = y_scaler.fit_transform(y_train)
y_test = y_scaler.transform(y_test)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=(X_train.shape[1],)),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss="mse", metrics=["mae"])
model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=200, batch_size=32, verbose=0)

predicted = y_scaler.inverse_transform(model.predict(X_test))
print(pd.DataFrame({"predicted": predicted.ravel(), "true": y_scaler.inverse_transform(y_test).ravel()}).head())
