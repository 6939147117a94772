# Functional spam filter (Keras 3) written "like the multi-class tutorial": Dense(1, activation='softmax') with
# categorical_crossentropy -- the output is always 1.0 and the loss always 0 (KC101 on the layer, KC105 on the loss).
import numpy as np
import keras
from keras import layers
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

data = np.loadtxt("spambase.data", delimiter=",")
X, y = data[:, :-1], data[:, -1]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

inputs = keras.Input(shape=(57,))
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dropout(0.2)(x)
x = layers.Dense(32, activation="relu")(x)
outputs = layers.Dense(1, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

model.compile(
    optimizer="adam",
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(X_train, y_train, epochs=30, batch_size=64, validation_data=(X_test, y_test))

print(model.predict(X_test[:5]))  # [[1.], [1.], [1.], [1.], [1.]]
