# SO "all neurons in my layer output the same value" (tf.keras): the hidden layers are initialised with zeros,
# so every unit gets the same gradient and symmetry is never broken -> KC404 on each hidden kernel_initializer.
import tensorflow as tf
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

X, y = make_moons(n_samples=2000, noise=0.2, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(32, activation="relu", kernel_initializer="zeros", input_shape=(2,)),
        tf.keras.layers.Dense(
            32,
            activation="relu",
            kernel_initializer=tf.keras.initializers.Zeros(),
        ),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=100, batch_size=32, validation_data=(X_test, y_test))

loss, acc = model.evaluate(X_test, y_test, verbose=0)
print("test accuracy:", acc)  # ~0.5

first_hidden = model.layers[0].get_weights()[0]
print("distinct columns in the first kernel:", len({tuple(col) for col in first_hidden.T}))
model.save("moons_mlp.keras")
print(model.history.history["loss"][-5:])
