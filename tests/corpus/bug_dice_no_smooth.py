# Small U-Net for binary segmentation (tf.keras) with a Dice loss written without a smoothing term: an empty mask
# and an empty prediction give 0 / 0 = NaN -> KC502 on the division. (Masks stored as 0/255 PNGs are divided by
# 255 to get 0/1 targets; with a custom loss that is correct.)
import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras import layers


def dice_coef(y_true, y_pred):
    y_true_f = K.flatten(y_true)
    y_pred_f = K.flatten(y_pred)
    intersection = K.sum(y_true_f * y_pred_f)
    return (2.0 * intersection) / (K.sum(y_true_f) + K.sum(y_pred_f))


def dice_loss(y_true, y_pred):
    return 1.0 - dice_coef(y_true, y_pred)


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)


inputs = layers.Input((128, 128, 1))
c1 = conv_block(inputs, 16)
p1 = layers.MaxPooling2D()(c1)
c2 = conv_block(p1, 32)
p2 = layers.MaxPooling2D()(c2)
b = conv_block(p2, 64)
u2 = layers.Conv2DTranspose(32, 2, strides=2, padding="same")(b)
c3 = conv_block(layers.concatenate([u2, c2]), 32)
u1 = layers.Conv2DTranspose(16, 2, strides=2, padding="same")(c3)
c4 = conv_block(layers.concatenate([u1, c1]), 16)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(c4)
model = tf.keras.Model(inputs, outputs)

images = np.load("cells_images.npy").astype("float32") / 255.0
masks = np.load("cells_masks.npy").astype("float32") / 255.0

model.compile(optimizer=tf.keras.optimizers.Adam(1e-4), loss=dice_loss, metrics=[dice_coef])
model.fit(images, masks, batch_size=8, epochs=50, validation_split=0.1)
