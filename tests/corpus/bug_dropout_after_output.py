# Functional binary classifier (Keras 3) with a Dropout added after the sigmoid output "against overfitting":
# during training the predicted probabilities are randomly zeroed -> KC407 on that Dropout.
import keras
from keras import layers
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

inputs = keras.Input(shape=(30,))
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dropout(0.3)(x)
x = layers.Dense(32, activation="relu")(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
outputs = layers.Dropout(0.2)(outputs)
model = keras.Model(inputs, outputs)

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=60, batch_size=32, validation_data=(X_test, y_test))

loss, acc = model.evaluate(X_test, y_test, verbose=0)
print(f"test accuracy {acc:.3f}")
probs = model.predict(X_test).ravel()
print("mean predicted probability:", probs.mean())
model.save("breast_cancer_functional.keras")
