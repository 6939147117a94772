# SO "Keras loss is 0.0000 and accuracy doesn't change" (tf.keras): a one-unit sigmoid head trained with
# categorical_crossentropy -- over a single unit the loss is identically 0, so nothing is learned -> KC105.
import tensorflow as tf
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = tf.keras.Sequential()
model.add(tf.keras.layers.Dense(30, activation="relu", input_shape=(30,)))
model.add(tf.keras.layers.Dense(15, activation="relu"))
model.add(tf.keras.layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam",
              loss="categorical_crossentropy",
              metrics=["accuracy"])
model.fit(X_train, y_train, epochs=50, batch_size=16, validation_data=(X_test, y_test))

loss, acc = model.evaluate(X_test, y_test, verbose=0)
print("loss:", loss, "accuracy:", acc)  # loss 0.0000 from the first epoch, accuracy constant

from sklearn.metrics import confusion_matrix

y_pred = (model.predict(X_test) > 0.5).astype("int32").ravel()
print(confusion_matrix(y_test, y_pred))
print(history.history["loss"][:5])
model.save("breast_cancer_mlp.keras")
