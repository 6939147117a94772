# Functional MLP (Keras 3) whose hidden Dense layers were written without activation=: three stacked linear maps
# collapse into one and the model is just a linear classifier -> KC402 on the first of them.
import keras
from keras import layers
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=3)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

inputs = keras.Input(shape=(13,))
x = layers.Dense(64)(inputs)
x = layers.Dense(64)(x)
x = layers.Dense(32)(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=100, batch_size=16, validation_data=(X_test, y_test))

loss, acc = model.evaluate(X_test, y_test, verbose=0)
print(f"test accuracy {acc:.3f}")  # never better than logistic regression

from sklearn.linear_model import LogisticRegression

baseline = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print("logistic regression:", baseline.score(X_test, y_test))
model.save("wine_mlp.keras")
