# tf.data pipeline over JPEG files (tf.keras): decode_jpeg yields uint8 pixels and tf.image.convert_image_dtype in
# the map rescales them to [0, 1]; small CNN, softmax head + sparse_categorical_crossentropy. Correct: no findings.
import pathlib

import tensorflow as tf

data_dir = pathlib.Path("flower_photos")
class_names = sorted(item.name for item in data_dir.glob("*") if item.is_dir())
NUM_CLASSES = 5
IMG = 128

list_ds = tf.data.Dataset.list_files(str(data_dir / "*/*.jpg"), shuffle=True)


def get_label(file_path):
    parts = tf.strings.split(file_path, "/")
    return tf.argmax(tf.cast(parts[-2] == class_names, tf.int32))


def load_image(file_path):
    img = tf.io.read_file(file_path)
    img = tf.io.decode_jpeg(img, channels=3)
    img = tf.image.convert_image_dtype(img, tf.float32)
    img = tf.image.resize(img, [IMG, IMG])
    return img, get_label(file_path)


val_size = 600
train_ds = list_ds.skip(val_size).map(load_image, num_parallel_calls=tf.data.AUTOTUNE).batch(32).prefetch(1)
val_ds = list_ds.take(val_size).map(load_image).batch(32)

model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=(IMG, IMG, 3)),
        tf.keras.layers.Conv2D(32, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(128, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_ds, validation_data=val_ds, epochs=10)
