# Subclassed click-through model (Keras 3, class ClickModel(keras.Model)) with a hand-written binary
# cross-entropy in train_step: ops.log of raw sigmoid outputs hits log(0) once predictions saturate (KC501),
# and Adam(learning_rate=0.05) is far too high for Adam (KC201).
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops


class ClickModel(keras.Model):
    def __init__(self, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab_size, 32)
        self.pool = layers.GlobalAveragePooling1D()
        self.hidden = layers.Dense(64, activation="relu")
        self.out = layers.Dense(1, activation="sigmoid")
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, inputs, training=False):
        x = self.embed(inputs)
        x = self.pool(x)
        x = self.hidden(x)
        return self.out(x)

    def train_step(self, data):
        x, y = data
        y = ops.cast(ops.reshape(y, (-1, 1)), "float32")
        with tf.GradientTape() as tape:
            p = self(x, training=True)
            loss = -ops.mean(y * ops.log(p) + (1.0 - y) * ops.log(1.0 - p))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


tokens = np.load("ad_tokens.npy")  # (n, 20) int token ids
clicks = np.load("ad_clicks.npy")  # (n,) 0/1

model = ClickModel(vocab_size=50000)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05))
model.fit(tokens, clicks, batch_size=1024, epochs=5)
