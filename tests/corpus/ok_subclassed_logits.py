# PyTorch-style subclassed model (Keras 3, class Net(keras.Model)): layers created in __init__, call() returns
# logits, SparseCategoricalCrossentropy(from_logits=True), AdamW(3e-4); CIFAR-10 scaled in a tf.data map lambda.
# Correct program: no findings.
import keras
import tensorflow as tf
from keras import layers


class Net(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = layers.Conv2D(32, 3, padding="same", activation="relu")
        self.conv2 = layers.Conv2D(64, 3, padding="same", activation="relu")
        self.pool = layers.MaxPooling2D()
        self.flatten = layers.Flatten()
        self.fc1 = layers.Dense(128, activation="relu")
        self.dropout = layers.Dropout(0.5)
        self.fc2 = layers.Dense(num_classes)

    def call(self, x, training=False):
        x = self.pool(self.conv1(x))
        x = self.pool(self.conv2(x))
        x = self.flatten(x)
        x = self.dropout(self.fc1(x), training=training)
        return self.fc2(x)


(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
train_ds = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, y))
    .shuffle(10000)
    .batch(64)
)
test_ds = (
    tf.data.Dataset.from_tensor_slices((x_test, y_test))
    .map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, y))
    .batch(64)
)

model = Net()
model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=3e-4),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(train_ds, epochs=15, validation_data=test_ds)
