# Feature visualisation by gradient ascent (the keras.io / DLWP pattern): the optimizer updates the
# pixels of a tf.Variable, not the network's weights, so its large learning rate is normal.
import tensorflow as tf
from tensorflow import keras

model = keras.applications.ResNet50V2(weights="imagenet", include_top=False)
layer = model.get_layer("conv3_block4_out")
feature_extractor = keras.Model(inputs=model.inputs, outputs=layer.output)
image = tf.Variable(tf.random.uniform((1, 180, 180, 3)) * 0.25 + 0.375)
optimizer = keras.optimizers.SGD(
    keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=100.0, decay_steps=100, decay_rate=0.96))


def compute_loss(input_image, filter_index):
    activation = feature_extractor(input_image)
    filter_activation = activation[:, 2:-2, 2:-2, filter_index]
    return tf.reduce_mean(filter_activation)


def gradient_ascent_step(img, filter_index):
    with tf.GradientTape() as tape:
        tape.watch(img)
        loss = -compute_loss(img, filter_index)
    grads = tape.gradient(loss, img)
    grads = tf.math.l2_normalize(grads)
    return grads


for iteration in range(30):
    grads = gradient_ascent_step(image, 0)
    optimizer.apply_gradients([(grads, image)])
