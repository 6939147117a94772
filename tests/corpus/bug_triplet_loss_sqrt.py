# FaceNet-style triplet loss (tf.keras) with Euclidean distances: tf.sqrt of a sum of squared differences has an
# infinite gradient when an anchor and its positive coincide (common early on, and for duplicate images), so the
# embeddings turn NaN -> KC503 on each sqrt.
import numpy as np
import tensorflow as tf

EMB = 128


def triplet_loss(y_true, y_pred, alpha=0.2):
    anchor, positive, negative = y_pred[:, :EMB], y_pred[:, EMB : 2 * EMB], y_pred[:, 2 * EMB :]
    pos_dist = tf.sqrt(tf.reduce_sum(tf.square(anchor - positive), axis=-1))
    neg_dist = tf.sqrt(tf.reduce_sum(tf.square(anchor - negative), axis=-1))
    return tf.reduce_mean(tf.maximum(pos_dist - neg_dist + alpha, 0.0))


def embedding_network():
    inputs = tf.keras.Input(shape=(96, 96, 3))
    x = tf.keras.layers.Rescaling(1.0 / 255)(inputs)
    x = tf.keras.layers.Conv2D(32, 3, activation="relu")(x)
    x = tf.keras.layers.MaxPooling2D()(x)
    x = tf.keras.layers.Conv2D(64, 3, activation="relu")(x)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    x = tf.keras.layers.Dense(EMB)(x)
    x = tf.keras.layers.UnitNormalization()(x)
    return tf.keras.Model(inputs, x)


embed = embedding_network()
a_in = tf.keras.Input(shape=(96, 96, 3), name="anchor")
p_in = tf.keras.Input(shape=(96, 96, 3), name="positive")
n_in = tf.keras.Input(shape=(96, 96, 3), name="negative")
merged = tf.keras.layers.Concatenate(axis=-1)([embed(a_in), embed(p_in), embed(n_in)])
model = tf.keras.Model([a_in, p_in, n_in], merged)
model.compile(optimizer=tf.keras.optimizers.Adam(1e-4), loss=triplet_loss)

triplets = np.load("face_triplets.npy")  # (n, 3, 96, 96, 3) uint8, rescaled inside the network
dummy = np.zeros((len(triplets), 1))
model.fit([triplets[:, 0], triplets[:, 1], triplets[:, 2]], dummy, batch_size=64, epochs=30)
