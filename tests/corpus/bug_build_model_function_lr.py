# "Hands-On ML"-style model factory (tf.keras): build_model(..., lr=0.5) makes RMSprop run at 0.5 and the
# regression diverges -> KC201, reported on the optimizer's learning-rate argument inside build_model.
import tensorflow as tf
from sklearn.datasets import fetch_california_housing
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

housing = fetch_california_housing()
X_train_full, X_test, y_train_full, y_test = train_test_split(housing.data, housing.target, random_state=42)
X_train, X_valid, y_train, y_valid = train_test_split(X_train_full, y_train_full, random_state=42)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_valid = scaler.transform(X_valid)
X_test = scaler.transform(X_test)


def build_model(n_hidden=1, n_neurons=30, lr=3e-3, input_shape=(8,)):
    model = tf.keras.models.Sequential()
    model.add(tf.keras.layers.InputLayer(input_shape=input_shape))
    for layer in range(n_hidden):
        model.add(tf.keras.layers.Dense(n_neurons, activation="relu"))
    model.add(tf.keras.layers.Dense(1))
    optimizer = tf.keras.optimizers.RMSprop(learning_rate=lr)
    model.compile(loss="mse", optimizer=optimizer)
    return model


model = build_model(n_hidden=2, lr=0.5)
model.fit(
    X_train,
    y_train,
    epochs=30,
    validation_data=(X_valid, y_valid),
    callbacks=[tf.keras.callbacks.EarlyStopping(patience=10)],
)
print(model.evaluate(X_test, y_test))
