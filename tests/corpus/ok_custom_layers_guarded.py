# Custom Keras 3 layers with guarded numerics: L2 normalisation via ops.rsqrt(ops.maximum(sum_sq, eps)), RMSNorm
# with ops.rsqrt(mean_square + epsilon) and a ones-initialised scale weight, a cosine classifier divided by a
# temperature constant; custom logits head trained with from_logits=True. Correct program: no findings.
import numpy as np
import keras
from keras import layers, ops


class L2Normalize(layers.Layer):
    def __init__(self, epsilon=1e-12, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        square_sum = ops.sum(ops.square(x), axis=-1, keepdims=True)
        return x * ops.rsqrt(ops.maximum(square_sum, self.epsilon))


class RMSNorm(layers.Layer):
    def __init__(self, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, x):
        mean_square = ops.mean(ops.square(x), axis=-1, keepdims=True)
        return x * ops.rsqrt(mean_square + self.epsilon) * self.scale


class CosineClassifier(layers.Layer):
    def __init__(self, num_classes, temperature=0.05, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.temperature = temperature

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.num_classes), initializer="glorot_uniform", name="w")

    def call(self, x):
        w = self.w * ops.rsqrt(ops.maximum(ops.sum(ops.square(self.w), axis=0, keepdims=True), 1e-12))
        return ops.matmul(x, w) / self.temperature


inputs = keras.Input(shape=(64,))
x = layers.Dense(256, activation="gelu")(inputs)
x = RMSNorm()(x)
x = layers.Dense(128, activation="gelu")(x)
x = L2Normalize()(x)
logits = CosineClassifier(20)(x)
model = keras.Model(inputs, logits)

model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
features = np.load("sentence_embeddings.npy")
labels = np.load("intent_labels.npy")
model.fit(features, labels, epochs=20, batch_size=128, validation_split=0.1)
