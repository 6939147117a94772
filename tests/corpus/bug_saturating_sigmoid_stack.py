# 1990s-style deep MLP (Keras 3): five sigmoid hidden layers and no normalisation between them; gradients vanish
# and the loss plateaus -> KC401 on the first sigmoid layer of the run.
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

model = keras.Sequential()
model.add(keras.Input(shape=(784,)))
model.add(layers.Dense(256, activation="sigmoid"))
model.add(layers.Dense(256, activation="sigmoid"))
model.add(layers.Dense(128, activation="sigmoid"))
model.add(layers.Dense(128, activation="sigmoid"))
model.add(layers.Dense(64, activation="sigmoid"))
model.add(layers.Dense(10, activation="softmax"))
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(x_train, y_train, batch_size=64, epochs=20, validation_split=0.1)

loss, acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy {acc:.3f}")  # ~0.11 after 20 epochs

for layer in model.layers:
    print(layer.name, layer.activation.__name__)
model.save("deep_sigmoid_mlp.keras")
